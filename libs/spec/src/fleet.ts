// Rules across clusters: what no single spec can see. Two clusters writing one bucket would mix
// their segments (and each one's garbage collection would delete the other's files); an account
// shared by environments lets a staging mistake reach production. Two VPCs over the same addresses
// can never be connected.

import type { ResolvedClusterSpec } from './types.js';
import { ipv4Overlap, parseIpv4Cidr } from './rules.js';

/** What each bucket field names, for messages. */
const BUCKET_ROLE: Readonly<Record<string, string>> = {
  'storage.bucket': 'the bucket',
  'storage.etcdBackupBucket': 'the etcd snapshot bucket',
  'storage.etcdBackupReplicaRegion': 'the snapshot replica bucket',
};

/** Every problem of a fleet of resolved specs, as `<cluster>: <field> <what is wrong>`. */
export function validateFleet(specs: readonly ResolvedClusterSpec[]): string[] {
  const problems: string[] = [];
  // Every bucket a cluster owns (Milvus', the snapshots', their replica) is its alone.
  const first = new Map<string, { cluster: string; field: string }>();
  for (const s of [...specs].sort((a, b) => a.name.localeCompare(b.name))) {
    const owned: [field: string, bucket: string][] = [
      ['storage.bucket', s.storage.bucket],
      ['storage.etcdBackupBucket', s.storage.etcdBackupBucket],
      ...(s.storage.etcdBackupReplicaRegion ? [['storage.etcdBackupReplicaRegion', `${s.storage.etcdBackupBucket}-replica`] as [string, string]] : []),
    ];
    for (const [field, bucket] of owned) {
      const owner = first.get(bucket);
      if (!owner) first.set(bucket, { cluster: s.name, field });
      else if (owner.cluster !== s.name) {
        problems.push(`${s.name}: ${field} (${bucket}) is also ${BUCKET_ROLE[owner.field]} of ${owner.cluster}: every cluster needs its own buckets`);
      }
    }
  }
  const byAccount = new Map<string, ResolvedClusterSpec[]>();
  for (const s of specs) byAccount.set(s.aws.accountId, [...(byAccount.get(s.aws.accountId) ?? []), s]);
  const named = (cs: readonly ResolvedClusterSpec[]) =>
    cs
      .map((c) => `${c.name} (${c.environment})`)
      .sort()
      .join(', ');
  for (const [account, clusters] of [...byAccount].sort(([a], [b]) => a.localeCompare(b))) {
    if (new Set(clusters.map((c) => c.environment)).size < 2) continue;
    const sorted = [...clusters].sort((a, b) => a.name.localeCompare(b.name));
    const prods = sorted.filter((c) => c.environment === 'prod');
    for (const c of prods) {
      problems.push(`${c.name}: aws.accountId (${account}) also holds ${named(sorted.filter((o) => o !== c))}: production runs in an account of its own`);
    }
    if (prods.length === 0) {
      problems.push(
        `${sorted[0]!.name}: aws.accountId (${account}) holds clusters of several environments (${named(sorted)}): give each environment its own account`,
      );
    }
  }
  // Overlapping VPCs cannot be peered or routed through one transit gateway, and the fleet's
  // address plan is where a collision is cheap to fix: a VPC's block cannot change in place.
  const byName = [...specs].sort((a, b) => a.name.localeCompare(b.name));
  byName.forEach((s, i) => {
    const block = parseIpv4Cidr(s.aws.vpcCidr);
    if (!block) return;
    for (const o of byName.slice(0, i)) {
      const other = parseIpv4Cidr(o.aws.vpcCidr);
      if (other && ipv4Overlap(block, other)) {
        problems.push(
          `${s.name}: aws.vpcCidr (${s.aws.vpcCidr}) overlaps aws.vpcCidr of ${o.name} (${o.aws.vpcCidr}): give every cluster its own address space`,
        );
      }
    }
  });
  return problems;
}
