// The etcd snapshots: a bucket of their own with Object Lock, reachable by the backup job alone
// (reads included, for a restore), and replicated to a second region when the spec names one.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { etcdBackupLockDays, readStack, s3Statements, synthStacks } from '../src/index.js';
import { testSpec } from './fixtures.js';

type Obj = Record<string, any>;
const all = (stack: Obj, type: string): [string, Obj][] => Object.entries(stack.resource?.[type] ?? {}) as [string, Obj][];
const byId = (stack: Obj, type: string, id: string): Obj => stack.resource[type][id];

const plain = testSpec('kp-us-east-1', 'karpenter');
const replicated: ClusterSpec = { ...testSpec('rp-us-east-1', 'karpenter'), storage: { bucket: 'acme-rp-us-east-1', etcdBackupReplicaRegion: 'us-west-2' } };
let stacks: Record<string, Obj> = {};
beforeAll(async () => {
  const files = synthStacks([plain, replicated], await mkdtemp(join(tmpdir(), 'cdktf-')));
  stacks = Object.fromEntries(await Promise.all(Object.entries(files).map(async ([k, f]) => [k, (await readStack(f)) as Obj])));
});

describe('etcd snapshot storage', () => {
  it('is a bucket of its own, created with Object Lock, governance retention as long as the snapshots reach back', () => {
    const s = stacks['kp-us-east-1']!;
    const buckets = all(s, 'aws_s3_bucket').map(([, b]) => b);
    expect(buckets.map((b) => b.bucket).sort()).toEqual(['acme-kp-us-east-1', 'acme-kp-us-east-1-backups']);
    const backup = byId(s, 'aws_s3_bucket', 'etcd-backup-bucket');
    expect(backup).toMatchObject({
      bucket: 'acme-kp-us-east-1-backups',
      object_lock_enabled: true,
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(byId(s, 'aws_s3_bucket', 'bucket').object_lock_enabled).toBeUndefined();
    // Hourly snapshots, 48 kept: two days.
    expect(etcdBackupLockDays(resolveClusterSpec(plain))).toBe(2);
    expect(byId(s, 'aws_s3_bucket_object_lock_configuration', 'etcd-backup-bucket-lock')).toMatchObject({
      bucket: '${aws_s3_bucket.etcd-backup-bucket.id}',
      rule: { default_retention: { mode: 'GOVERNANCE', days: 2 } },
    });
    const rules = byId(s, 'aws_s3_bucket_lifecycle_configuration', 'etcd-backup-bucket-lifecycle').rule as Obj[];
    expect(rules.find((r) => r.id === 'expire-pruned-snapshots')!.noncurrent_version_expiration).toEqual([{ noncurrent_days: 3 }]);
    expect(byId(s, 'aws_s3_bucket_public_access_block', 'etcd-backup-bucket-pab')).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
    expect(all(s, 'aws_s3_bucket_replication_configuration')).toEqual([]);
  });

  it('is reached by the backup role alone, which can also read back what it wrote', () => {
    const spec = resolveClusterSpec(plain);
    const milvus = s3Statements(spec, 'milvus');
    expect(JSON.stringify(milvus)).not.toContain('backups');
    const backup = s3Statements(spec, 'etcd-backup');
    expect(backup.flatMap((st) => st.resources)).toEqual([
      'arn:aws:s3:::acme-kp-us-east-1-backups',
      'arn:aws:s3:::acme-kp-us-east-1-backups/etcd-backups/kp-us-east-1/*',
    ]);
    expect(backup.find((st) => st.sid === 'Snapshots')!.actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion']));
  });

  it('replicates to the region the spec names, into an Object-Locked bucket under a key of that region', () => {
    const s = stacks['rp-us-east-1']!;
    const provider = (s.provider.aws as Obj[]).find((p) => p.alias === 'backup-replica')!;
    expect(provider).toMatchObject({ region: 'us-west-2', allowed_account_ids: ['111122223333'] });
    const replica = byId(s, 'aws_s3_bucket', 'etcd-backup-replica');
    expect(replica).toMatchObject({ bucket: 'acme-rp-us-east-1-backups-replica', object_lock_enabled: true, provider: 'aws.backup-replica' });
    expect(byId(s, 'aws_s3_bucket_versioning', 'etcd-backup-replica-versioning').provider).toBe('aws.backup-replica');
    expect(byId(s, 'aws_s3_bucket_object_lock_configuration', 'etcd-backup-replica-lock').provider).toBe('aws.backup-replica');
    expect(byId(s, 'aws_kms_key', 'etcd-backup-replica-key')).toMatchObject({ provider: 'aws.backup-replica', enable_key_rotation: true });
    const sse = byId(s, 'aws_s3_bucket_server_side_encryption_configuration', 'etcd-backup-replica-sse');
    expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe('${aws_kms_key.etcd-backup-replica-key.arn}');
    const replication = byId(s, 'aws_s3_bucket_replication_configuration', 'etcd-backup-replication');
    expect(replication.bucket).toBe('${aws_s3_bucket.etcd-backup-bucket.id}');
    expect(replication.rule[0]).toMatchObject({
      status: 'Enabled',
      filter: { prefix: 'etcd-backups/rp-us-east-1/' },
      delete_marker_replication: { status: 'Disabled' },
      source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
      destination: {
        bucket: '${aws_s3_bucket.etcd-backup-replica.arn}',
        encryption_configuration: { replica_kms_key_id: '${aws_kms_key.etcd-backup-replica-key.arn}' },
      },
    });
    const perms = s.data.aws_iam_policy_document['etcd-backup-replication-permissions'].statement as Obj[];
    const actions = perms.flatMap((st) => st.actions as string[]);
    // Object Lock replication needs the retention and legal hold reads on the source.
    expect(actions).toEqual(
      expect.arrayContaining([
        's3:GetObjectVersionForReplication',
        's3:GetObjectRetention',
        's3:GetObjectLegalHold',
        's3:ReplicateObject',
        'kms:Decrypt',
        'kms:Encrypt',
      ]),
    );
    // Both buckets use S3 Bucket Keys, whose KMS encryption context is the bucket ARN, not the object's.
    const context = (sid: string) =>
      (perms.find((st) => st.sid === sid)!.condition as { variable: string; values: string[] }[]).find(
        (c) => c.variable === 'kms:EncryptionContext:aws:s3:arn',
      )!.values;
    expect(context('EncryptReplica')).toEqual([expect.stringMatching(/^arn:aws:s3:::[a-z0-9.-]+-replica$/), expect.stringMatching(/-replica\/\*$/)]);
    expect(context('DecryptSource')).toEqual([expect.stringMatching(/^arn:aws:s3:::[a-z0-9.-]+$/), expect.stringMatching(/\/\*$/)]);
    const trust = s.data.aws_iam_policy_document['etcd-backup-replication-trust'].statement[0];
    expect(trust.principals).toEqual([{ type: 'Service', identifiers: ['s3.amazonaws.com'] }]);
  });
});

describe('the NVMe launch template of managed query groups', () => {
  it('requires IMDSv2 with one hop and an encrypted gp3 root volume, as the EC2NodeClasses do', async () => {
    const files = synthStacks([testSpec('ca-us-east-1', 'cluster-autoscaler')], await mkdtemp(join(tmpdir(), 'cdktf-')));
    const s = (await readStack(files['ca-us-east-1']!)) as Obj;
    const lt = byId(s, 'aws_launch_template', 'nvme-raid0-template');
    expect(lt.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings).toEqual([
      { device_name: '/dev/xvda', ebs: { volume_size: 100, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } },
    ]);
  });
});
