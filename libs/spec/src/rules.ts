// Rules across fields, by area: what the declaration (schema.ts) cannot say of one field alone
// (maxReplicas >= minReplicas, a zone of the region, a bucket name S3 accepts, etcd snapshots S3
// keeps the segments of). Each rule reads the given spec and the spec with defaults applied, and
// judges only fields that are structurally sound: a field with a structural problem (reported by
// structure.ts) is not judged again here.

import { milvusMinorOf } from './defaults.js';
import { MILVUS_ROLE_NODE_CLASS, type NodeClass } from './placement.js';
import { parseQuantity } from './quantity.js';
import { cronIntervalSeconds, snapshotWindowSeconds } from './retention.js';
import { MILVUS_ROLE_NAMES, MILVUS_ROLES, resolvedMilvusRoles } from './roles.js';
import { AWS_REGION } from './schema.js';
import { isObj, show } from './structure.js';
import type { MilvusMinor, ResolvedClusterSpec, ResolvedFixedRole, ResolvedScalableRole } from './types.js';
import { MILVUS_MINORS } from './versions.js';

type Obj = Record<string, unknown>;

/** What a rule reads and where it reports. */
export interface RuleContext {
  /** The spec as given (an object; its fields may be anything where `sound` says no). */
  readonly spec: Obj;
  /** The spec with defaults applied. */
  readonly r: ResolvedClusterSpec;
  /** Whether a field, and every field around and under it, passed structural validation. */
  sound(...paths: string[]): boolean;
  /** Reports a problem of the field at `path`. */
  add(path: string, message: string): void;
}

/** A rule of one area. */
export type Rule = (c: RuleContext) => void;

const CRON_FIELD = /^(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?)*$/;

/** MSK's broker host names: `b-1.<cluster>.<id>.c<n>.kafka.<region>.amazonaws.com`. */
const MSK_BROKER = /\.kafka\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.amazonaws\.com:[0-9]+$/;

/**
 * An IAM role ARN: `arn:aws:iam::<12 digits>:role/<path/><name>` (IAM names: letters, digits and
 * `+=,.@_-`; EKS access entries accept a role with a path, docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html).
 */
const ROLE_ARN = /^arn:aws:iam::([0-9]{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** An IPv4 CIDR block as numbers: `first` is the network address as an unsigned 32-bit integer. */
export interface Ipv4Block {
  readonly first: number;
  readonly prefix: number;
  /** Addresses in the block (2^(32 - prefix)). */
  readonly size: number;
}

/** Parses `a.b.c.d/n`; undefined unless four octets 0-255 and a prefix 0-32 (host bits may be set). */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const first = octets.reduce((a, o) => a * 256 + o, 0);
  return { first, prefix, size: 2 ** (32 - prefix) };
}

/** Whether two blocks share an address. */
export function ipv4Overlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first < b.first + b.size && b.first < a.first + a.size;
}

/** RFC 1918 private address space (docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html recommends it for VPCs). */
const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseIpv4Cidr(c)!);

/** S3 general purpose bucket naming rules, plus no dots (they break TLS on virtual-hosted addressing). */
function bucketProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return `must be 3 to 63 characters long (has ${bucket.length})`;
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(bucket)) {
    return 'may hold only lowercase letters, digits and hyphens, and must start and end with a letter or digit';
  }
  if (bucket.startsWith('xn--') || bucket.startsWith('sthree-')) return 'must not start with a prefix S3 reserves (xn--, sthree-)';
  if (bucket.endsWith('-s3alias') || bucket.endsWith('--ol-s3')) return 'must not end with a suffix S3 reserves (-s3alias, --ol-s3)';
  return undefined;
}

/** Each entry of a given list of strings, with its index, where the list and the entry are sound. */
function entries(c: RuleContext, list: unknown, path: string): [string, number][] {
  if (!Array.isArray(list)) return [];
  return list.map((v, i) => [v, i] as [unknown, number]).filter((e): e is [string, number] => typeof e[0] === 'string' && c.sound(`${path}[${e[1]}]`));
}

// ---- aws ----

/** The zones: each of the region, none twice, three at least (one per etcd member). */
export function checkZones(c: RuleContext): void {
  const aws = c.spec.aws;
  if (!isObj(aws)) return;
  const regionOk = c.sound('aws.region') && typeof aws.region === 'string';
  const seen = new Set<string>();
  for (const [zone, i] of entries(c, aws.availabilityZones, 'aws.availabilityZones')) {
    const path = `aws.availabilityZones[${i}]`;
    if (seen.has(zone)) c.add(path, `(${show(zone)}) is listed twice`);
    seen.add(zone);
    if (regionOk && !new RegExp(`^${aws.region as string}[a-z]$`).test(zone)) c.add(path, `(${show(zone)}) is not a zone of region ${aws.region as string}`);
  }
  const zones = aws.availabilityZones;
  if (Array.isArray(zones) && zones.length < 3) {
    c.add('aws.availabilityZones', `has ${zones.length} zone(s); 3 are needed, one per etcd member, to survive a zone failure`);
  }
}

/** Administrators: IAM roles of the cluster's own account, each once. */
export function checkAdminRoleArns(c: RuleContext): void {
  const aws = c.spec.aws;
  if (!isObj(aws)) return;
  const account = c.sound('aws.accountId') && typeof aws.accountId === 'string' ? aws.accountId : undefined;
  const seen = new Set<string>();
  for (const [arn, i] of entries(c, aws.adminRoleArns, 'aws.adminRoleArns')) {
    const path = `aws.adminRoleArns[${i}]`;
    const m = ROLE_ARN.exec(arn);
    if (!m) {
      c.add(
        path,
        `(${show(arn)}) must be an IAM role ARN such as "arn:aws:iam::${typeof aws.accountId === 'string' ? aws.accountId : '<accountId>'}:role/<name>"`,
      );
      continue;
    }
    if (account !== undefined && m[1] !== account) {
      c.add(path, `(${show(arn)}) is a role of account ${m[1]}; only roles of the cluster's account (aws.accountId ${account}) may administer it`);
    }
    if (seen.has(arn)) c.add(path, `(${show(arn)}) is listed twice`);
    seen.add(arn);
  }
}

/**
 * `aws.vpcCidr`: an aligned private IPv4 block of /16 to /20. AWS allows /16 to /28 for a VPC
 * (docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html); below /20 the per-zone private
 * subnets (one eighth each) would hold too few addresses for nodes and pods under the VPC CNI, which
 * gives every pod a VPC address. The provider rejects a block whose host bits are set
 * (aws_vpc cidr_block must be a network address).
 */
export function checkVpcCidr(c: RuleContext): void {
  const value = isObj(c.spec.aws) ? c.spec.aws.vpcCidr : undefined;
  if (typeof value !== 'string' || !c.sound('aws.vpcCidr')) return;
  const block = parseIpv4Cidr(value);
  if (!block) return c.add('aws.vpcCidr', `(${show(value)}) must be an IPv4 CIDR block such as "10.10.0.0/16"`);
  if (block.prefix < 16 || block.prefix > 20) return c.add('aws.vpcCidr', `(${show(value)}) must have a prefix between /16 and /20`);
  if (block.first % block.size !== 0) {
    const aligned = block.first - (block.first % block.size);
    const dotted = [24, 16, 8, 0].map((s) => Math.floor(aligned / 2 ** s) % 256).join('.');
    return c.add('aws.vpcCidr', `(${show(value)}) has host bits set: the block is "${dotted}/${block.prefix}"`);
  }
  if (!RFC1918.some((r) => block.first >= r.first && block.first + block.size <= r.first + r.size)) {
    c.add('aws.vpcCidr', `(${show(value)}) must lie in private address space (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)`);
  }
}

/**
 * The API endpoints: `aws.publicAccessCidrs` must be aligned IPv4 blocks, and a public endpoint
 * must name them (EKS itself defaults public_access_cidrs to 0.0.0.0/0,
 * docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html); production never admits the
 * whole internet. EKS accepts at most 40 public access CIDR blocks per cluster.
 */
export function checkEndpointAccess(c: RuleContext): void {
  const aws = c.spec.aws;
  if (!isObj(aws) || !c.sound('aws.publicAccessCidrs')) return;
  const pub = c.sound('aws.endpointPublicAccess') ? aws.endpointPublicAccess : undefined;
  const list = Array.isArray(aws.publicAccessCidrs) ? (aws.publicAccessCidrs as unknown[]) : [];
  const seen = new Set<string>();
  for (const [cidr, i] of entries(c, list, 'aws.publicAccessCidrs')) {
    const path = `aws.publicAccessCidrs[${i}]`;
    const block = parseIpv4Cidr(cidr);
    if (!block) c.add(path, `(${show(cidr)}) must be an IPv4 CIDR block such as "203.0.113.0/24"`);
    else if (block.first % block.size !== 0) c.add(path, `(${show(cidr)}) has host bits set`);
    else if (block.prefix === 0 && c.spec.environment === 'prod') {
      c.add(
        path,
        '("0.0.0.0/0") would open the production API endpoint to the whole internet: list the networks operators come from, or turn aws.endpointPublicAccess off',
      );
    }
    if (seen.has(cidr)) c.add(path, `(${show(cidr)}) is listed twice`);
    seen.add(cidr);
  }
  if (list.length > 40) c.add('aws.publicAccessCidrs', `lists ${list.length} blocks; EKS accepts at most 40`);
  if (pub === true && list.length === 0) {
    c.add(
      'aws.publicAccessCidrs',
      'is required when aws.endpointPublicAccess is true: list the networks that may reach the public endpoint (nothing defaults to the whole internet)',
    );
  }
  if (pub === false && list.length > 0) {
    c.add('aws.publicAccessCidrs', 'is set but aws.endpointPublicAccess is false: remove the blocks or turn the public endpoint on');
  }
}

// ---- milvus ----

/** The minor of a sound `milvus.version` Milvus knows, else undefined (after reporting an unknown one). */
function knownMinor(c: RuleContext): MilvusMinor | undefined {
  const version = (c.spec.milvus as Obj).version;
  if (typeof version !== 'string' || !c.sound('milvus.version')) return undefined;
  const minor = milvusMinorOf(version);
  if (MILVUS_MINORS.includes(minor)) return minor;
  c.add('milvus.version', `(${show(version)}) is not a supported minor; supported: ${MILVUS_MINORS.join(', ')}`);
  return undefined;
}

/** The queue fits the minor: 2.5 needs Kafka or Pulsar, Woodpecker runs embedded on 2.6 only. */
export function checkMessageQueue(c: RuleContext, minor: MilvusMinor | undefined): void {
  const mq = (c.spec.milvus as Obj).messageQueue;
  if (mq === undefined) {
    if (minor === '2.5') c.add('milvus.messageQueue', 'is required for Milvus 2.5: name an external Kafka or Pulsar');
    return;
  }
  if (!isObj(mq) || !c.sound('milvus.messageQueue.type')) return;
  if (mq.type === 'woodpecker') {
    if (minor === '2.5') c.add('milvus.messageQueue.type', '("woodpecker") requires Milvus 2.6; Milvus 2.5 needs Kafka or Pulsar');
    // The Woodpecker StatefulSet is not rendered yet; refusing beats pointing Milvus at nothing.
    if (mq.mode === 'service') c.add('milvus.messageQueue.mode', '("service") is not supported yet; use "embedded" (Woodpecker inside the streaming nodes)');
  }
  if (mq.type === 'kafka') checkKafkaPath(c, mq);
}

/**
 * The path to an external Kafka: MSK brokers are in another VPC, so the spec must say how this one
 * reaches it (peering or transit gateway, with the Kafka VPC's block), in the cluster's region.
 */
function checkKafkaPath(c: RuleContext, mq: Obj): void {
  const brokers = entries(c, mq.brokers, 'milvus.messageQueue.brokers').map(([b]) => b);
  const region = c.r.aws.region;
  brokers.forEach((b, i) => {
    const msk = MSK_BROKER.exec(b);
    if (msk && typeof region === 'string' && msk[1] !== region) {
      c.add(
        `milvus.messageQueue.brokers[${i}]`,
        `(${show(b)}) is an MSK broker in ${msk[1]}, the cluster is in ${region}: keep the WAL in the cluster's region`,
      );
    }
  });
  const net = mq.network;
  if (net === undefined) {
    if (brokers.some((b) => MSK_BROKER.test(b))) {
      c.add(
        'milvus.messageQueue.network',
        'is required for MSK brokers, which live in a VPC of their own: give its cidr and the vpcPeeringConnectionId or transitGatewayId that reaches it',
      );
    }
    return;
  }
  if (!isObj(net)) return;
  if (c.sound('milvus.messageQueue.network.cidr')) checkKafkaCidr(c, String(net.cidr));
  const via = ['vpcPeeringConnectionId', 'transitGatewayId'].filter((k) => net[k] !== undefined);
  if (via.length !== 1) {
    c.add('milvus.messageQueue.network', `needs exactly one of vpcPeeringConnectionId, transitGatewayId (has ${via.length === 0 ? 'neither' : 'both'})`);
  }
}

/** The Kafka VPC's block: IPv4 CIDR, apart from the cluster's own. */
function checkKafkaCidr(c: RuleContext, cidr: string): void {
  const block = parseIpv4Cidr(cidr);
  if (!block) return c.add('milvus.messageQueue.network.cidr', `(${show(cidr)}) must be an IPv4 CIDR block such as "10.50.0.0/16"`);
  const own = typeof c.r.aws.vpcCidr === 'string' ? parseIpv4Cidr(c.r.aws.vpcCidr) : undefined;
  if (own && ipv4Overlap(block, own)) {
    c.add(
      'milvus.messageQueue.network.cidr',
      `(${show(cidr)}) overlaps aws.vpcCidr (${c.r.aws.vpcCidr}): a route to it would shadow the cluster's own addresses`,
    );
  }
}

/** Requests and limits are Kubernetes quantities, each limit at least its request. */
function checkResources(c: RuleContext, resolved: ResolvedScalableRole['resources'], path: string): void {
  for (const r of ['cpu', 'memory'] as const) {
    const reqPath = `${path}.resources.requests.${r}`;
    const limPath = `${path}.resources.limits.${r}`;
    if (!c.sound(reqPath, limPath)) continue;
    const req = parseQuantity(resolved.requests[r]);
    const lim = parseQuantity(resolved.limits[r]);
    if (req === undefined) c.add(reqPath, `(${show(resolved.requests[r])}) is not a Kubernetes quantity`);
    if (lim === undefined) c.add(limPath, `(${show(resolved.limits[r])}) is not a Kubernetes quantity`);
    if (req !== undefined && lim !== undefined && lim < req) c.add(limPath, `(${resolved.limits[r]}) must be >= requests.${r} (${resolved.requests[r]})`);
  }
}

/**
 * Each role its minor runs (MILVUS_ROLES): bounds in order and sound resources; a role sized on a
 * minor that does not run it is reported instead.
 */
export function checkRoles(c: RuleContext, minor: MilvusMinor | undefined): void {
  const given = c.spec.milvus as Obj;
  for (const role of MILVUS_ROLE_NAMES) {
    const def = MILVUS_ROLES[role];
    const path = `milvus.${def.specKey}`;
    if (minor !== undefined && !(def.minors as readonly MilvusMinor[]).includes(minor) && given[def.specKey] !== undefined) {
      c.add(path, 'notRunMessage' in def ? def.notRunMessage : `is not run by Milvus ${minor}`);
      continue;
    }
    const resolved: ResolvedScalableRole | ResolvedFixedRole | undefined = c.r.milvus[def.specKey];
    if (resolved === undefined) continue;
    if ('minReplicas' in resolved && c.sound(`${path}.minReplicas`, `${path}.maxReplicas`) && resolved.maxReplicas < resolved.minReplicas) {
      c.add(`${path}.maxReplicas`, `(${resolved.maxReplicas}) must be >= minReplicas (${resolved.minReplicas})`);
    }
    checkResources(c, resolved.resources, path);
  }
}

/** etcd: a quantity of storage, and snapshots on a 5-field cron schedule at a fixed interval. */
export function checkEtcd(c: RuleContext): void {
  const { etcd } = c.r.milvus;
  if (c.sound('milvus.etcd.storageSize') && parseQuantity(etcd.storageSize) === undefined) {
    c.add('milvus.etcd.storageSize', `(${show(etcd.storageSize)}) is not a Kubernetes quantity`);
  }
  if (!c.sound('milvus.etcd.snapshotSchedule')) return;
  const cron = etcd.snapshotSchedule.trim().split(/\s+/);
  if (cron.length !== 5 || !cron.every((f) => CRON_FIELD.test(f))) {
    c.add('milvus.etcd.snapshotSchedule', `(${show(etcd.snapshotSchedule)}) must be a 5-field cron expression`);
  } else if (cronIntervalSeconds(etcd.snapshotSchedule) === undefined) {
    c.add(
      'milvus.etcd.snapshotSchedule',
      `(${show(etcd.snapshotSchedule)}) must run at a fixed interval (every N minutes, hours or days), so the time the snapshots cover is known`,
    );
  }
}

/** The Milvus deployment: a known minor, its queue and roles, quantities and the etcd backups. */
export function checkMilvus(c: RuleContext): void {
  if (!isObj(c.spec.milvus)) return;
  const minor = knownMinor(c);
  checkMessageQueue(c, minor);
  checkRoles(c, minor);
  if (c.sound('milvus.queryNodeCacheSize') && parseQuantity(c.r.milvus.queryNodeCacheSize) === undefined) {
    c.add('milvus.queryNodeCacheSize', `(${show(c.r.milvus.queryNodeCacheSize)}) is not a Kubernetes quantity`);
  }
  checkEtcd(c);
}

// ---- storage ----

/** The Milvus bucket (a given name; a derived one is valid whenever name and account are) and the key prefixes. */
export function checkStorage(c: RuleContext): void {
  const given = isObj(c.spec.storage) ? c.spec.storage.bucket : undefined;
  if (typeof given === 'string' && c.sound('storage.bucket')) {
    const why = bucketProblem(given);
    if (why) c.add('storage.bucket', `(${show(given)}) ${why}`);
  }
  const { rootPath, etcdBackupPrefix } = c.r.storage;
  if (c.sound('storage.rootPath', 'storage.etcdBackupPrefix') && (etcdBackupPrefix === rootPath || etcdBackupPrefix.startsWith(`${rootPath}/`))) {
    c.add('storage.etcdBackupPrefix', `(${show(etcdBackupPrefix)}) must not lie inside storage.rootPath, where Milvus garbage-collects`);
  }
}

/**
 * The snapshot bucket: a valid name (its derived default grows with storage.bucket), not the
 * Milvus bucket, and a replica in another region whose derived name is valid too.
 */
export function checkBackupBucket(c: RuleContext): void {
  const { r } = c;
  if (!c.sound('storage.bucket', 'storage.etcdBackupBucket', 'storage.etcdBackupReplicaRegion')) return;
  const { bucket, etcdBackupBucket: backup, etcdBackupReplicaRegion: replica } = r.storage;
  // A derived name is judged only when what it derives from is sound (else that is the problem).
  const derived = backup === `${bucket}-backups`;
  if (derived && (bucketProblem(bucket) !== undefined || !c.sound('name', 'aws.accountId'))) return;
  const why = bucketProblem(backup);
  if (why) c.add('storage.etcdBackupBucket', `(${show(backup)}) ${why}${derived ? ' (derived from storage.bucket: set storage.etcdBackupBucket)' : ''}`);
  if (backup === bucket) c.add('storage.etcdBackupBucket', `(${show(backup)}) must differ from storage.bucket: Milvus' role must not reach the snapshots`);
  if (replica === undefined) return;
  if (replica === r.aws.region) {
    c.add('storage.etcdBackupReplicaRegion', `(${show(replica)}) must differ from aws.region: a replica in the same region survives no regional outage`);
  } else if (!why && AWS_REGION.test(replica) && bucketProblem(`${backup}-replica`)) {
    c.add(
      'storage.etcdBackupReplicaRegion',
      `needs the replica bucket "${backup}-replica", which ${bucketProblem(`${backup}-replica`)}: set a shorter storage.etcdBackupBucket`,
    );
  }
}

/**
 * A restore from the oldest etcd snapshot kept needs every segment file that snapshot names: S3
 * must keep deleted versions at least that long (Milvus' garbage collection deletes a dropped
 * segment's files after dataCoord.gc.dropTolerance, which the render raises to the same window).
 */
export function checkRetention(c: RuleContext): void {
  const { r } = c;
  if (!c.sound('storage.noncurrentVersionDays', 'milvus.etcd.snapshotsRetained', 'milvus.etcd.snapshotSchedule')) return;
  const window = snapshotWindowSeconds(r);
  if (window !== undefined && window > r.storage.noncurrentVersionDays * 86400) {
    c.add(
      'milvus.etcd.snapshotsRetained',
      `(${r.milvus.etcd.snapshotsRetained} snapshots, ${(window / 86400).toFixed(1)} days) outlives storage.noncurrentVersionDays (${r.storage.noncurrentVersionDays}): a restore from the oldest snapshot would name segment files S3 no longer keeps; keep fewer snapshots or raise storage.noncurrentVersionDays`,
    );
  }
}

// ---- nodes ----

/** Every node class must hold all of its roles at their maximum replicas. */
export function checkClassLimits(c: RuleContext): void {
  const { r } = c;
  if (!c.sound('nodes.limits')) return;
  const demand = new Map<NodeClass, { cpu: number; mem: number; roles: string[] }>();
  for (const { role, replicas, sizing } of resolvedMilvusRoles(r.milvus)) {
    const n = (replicas === 'scalable' ? sizing.maxReplicas : sizing.replicas) ?? 0;
    const cls = MILVUS_ROLE_NODE_CLASS[role];
    const d = demand.get(cls) ?? { cpu: 0, mem: 0, roles: [] };
    d.cpu += n * (parseQuantity(sizing.resources.requests.cpu) ?? 0);
    d.mem += n * (parseQuantity(sizing.resources.requests.memory) ?? 0);
    d.roles.push(role);
    demand.set(cls, d);
  }
  for (const [cls, d] of demand) {
    const limit = r.nodes.limits[cls];
    if (!isObj(limit) || typeof limit.cpu !== 'number' || typeof limit.memoryGi !== 'number') continue;
    const memGi = Math.ceil(d.mem / 2 ** 30);
    if (d.cpu > limit.cpu || memGi > limit.memoryGi) {
      c.add(
        `nodes.limits.${cls}`,
        `(${limit.cpu} vCPU, ${limit.memoryGi} GiB) cannot hold ${d.roles.join(', ')} at maximum replicas (${Math.ceil(d.cpu)} vCPU, ${memGi} GiB requested): raise the limit or lower the replicas`,
      );
    }
  }
}

/**
 * Production never takes an AMI nobody tried: its Karpenter nodes run a pinned release. Without
 * Karpenter the field would do nothing (node groups keep their EKS release), so it is refused.
 */
export function checkAmiVersion(c: RuleContext): void {
  const { r, spec } = c;
  if (!c.sound('nodes.amiVersion', 'nodes.provisioner', 'environment')) return;
  if (r.nodes.provisioner === 'cluster-autoscaler' && isObj(spec.nodes) && spec.nodes.amiVersion !== undefined) {
    c.add(
      'nodes.amiVersion',
      'applies to the nodes Karpenter launches; the node groups of a Cluster Autoscaler cluster keep the release EKS gave them: leave it out',
    );
  } else if (r.environment === 'prod' && r.nodes.provisioner === 'karpenter' && r.nodes.amiVersion === 'latest') {
    c.add(
      'nodes.amiVersion',
      '("latest") must pin an AMI release in prod (a release tag of awslabs/amazon-eks-ami such as "v20260724", tried on a non-prod Karpenter cluster first): "latest" drifts every Karpenter node of the cluster onto each AMI AWS publishes',
    );
  }
}

// ---- autoscaling ----

/** The HPA steers below the alerting SLO; index nodes go to zero only where they exist (2.5). */
export function checkAutoscaling(c: RuleContext): void {
  const { r } = c;
  const q = r.autoscaling.queryNode;
  if (c.sound('autoscaling.queryNode.p99LatencyMs', 'monitoring.searchLatencySloMs') && q.p99LatencyMs >= r.monitoring.searchLatencySloMs) {
    c.add(
      'autoscaling.queryNode.p99LatencyMs',
      `(${q.p99LatencyMs}) must be below monitoring.searchLatencySloMs (${r.monitoring.searchLatencySloMs}): scale out before the SLO alert fires`,
    );
  }
  if (c.sound('autoscaling.indexBuild.scaleToZero') && r.autoscaling.indexBuild.scaleToZero === true && r.milvus.minor === '2.6') {
    // 2.6 builds indexes on data nodes, which also compact: at zero replicas compaction would stop.
    c.add('autoscaling.indexBuild.scaleToZero', 'requires Milvus 2.5 (index nodes); on 2.6 data nodes also compact and must keep running');
  }
}

// ---- monitoring ----

/** Prometheus' volume is a Kubernetes quantity. */
export function checkMonitoring(c: RuleContext): void {
  const { storageSize } = c.r.monitoring;
  if (c.sound('monitoring.storageSize') && parseQuantity(storageSize) === undefined) {
    c.add('monitoring.storageSize', `(${show(storageSize)}) is not a Kubernetes quantity`);
  }
}

// ---- workload ----

/** Collections named once; each index searches at least top-k candidates and probes at most its clusters. */
export function checkWorkload(c: RuleContext): void {
  const given = c.spec.workload;
  if (!isObj(given) || !Array.isArray(given.collections)) return;
  const w = c.r.workload;
  const topK = c.sound('workload.traffic.topK') ? w.traffic.topK : undefined;
  const names = new Set<string>();
  w.collections.forEach((rc, i) => {
    const at = `workload.collections[${i}]`;
    if (c.sound(`${at}.name`) && names.has(rc.name)) c.add(`${at}.name`, `(${show(rc.name)}) is listed twice`);
    names.add(rc.name);
    if (!c.sound(`${at}.index`)) return;
    const ix = rc.index;
    if (topK !== undefined && ix.type === 'HNSW' && ix.ef < topK) c.add(`${at}.index.ef`, `(${ix.ef}) must be at least workload.traffic.topK (${topK})`);
    if (topK !== undefined && ix.type === 'DISKANN' && ix.searchList < topK) {
      c.add(`${at}.index.searchList`, `(${ix.searchList}) must be at least workload.traffic.topK (${topK})`);
    }
    if ((ix.type === 'IVF_FLAT' || ix.type === 'IVF_SQ8') && ix.nprobe > ix.nlist)
      c.add(`${at}.index.nprobe`, `(${ix.nprobe}) must be at most nlist (${ix.nlist})`);
  });
}

// ---- acknowledged risks ----

/** Each acknowledged risk says why it is safe. */
export function checkAcknowledgedRisks(c: RuleContext): void {
  const risks = c.spec.acknowledgedRisks;
  if (!isObj(risks)) return;
  for (const [id, reason] of Object.entries(risks)) {
    const path = `acknowledgedRisks.${id}`;
    if (c.sound(path) && (typeof reason !== 'string' || reason.trim().length < 10)) c.add(path, 'must say, in a sentence, why the change is safe');
  }
}

/** The rules, by area, in the order their fields are declared. */
export const RULES: readonly Rule[] = [
  checkZones,
  checkAdminRoleArns,
  checkVpcCidr,
  checkEndpointAccess,
  checkMilvus,
  checkStorage,
  checkBackupBucket,
  checkRetention,
  checkClassLimits,
  checkAmiVersion,
  checkAutoscaling,
  checkMonitoring,
  checkWorkload,
  checkAcknowledgedRisks,
];
