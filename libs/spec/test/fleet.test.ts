import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, validateFleet, type ClusterSpec } from '../src/index.js';
import { testClusterSpec } from '../src/testing.js';

let nextCidr = 0;
const spec = (name: string, environment: ClusterSpec['environment'], accountId: string, bucket?: string, vpcCidr = `10.${++nextCidr}.0.0/16`): ClusterSpec =>
  testClusterSpec({ name, environment, aws: { accountId, vpcCidr }, storage: bucket ? { bucket } : undefined });
const fleet = (...specs: ClusterSpec[]) => validateFleet(specs.map((s) => resolveClusterSpec(s)));

describe('validateFleet', () => {
  it('accepts clusters with their own buckets, each environment in its own account', () => {
    expect(fleet(spec('prod-a', 'prod', '111111111111'), spec('prod-b', 'prod', '111111111111'), spec('dev-a', 'dev', '222222222222'))).toEqual([]);
  });

  it('rejects two clusters writing one bucket', () => {
    expect(fleet(spec('prod-a', 'prod', '111111111111', 'acme-milvus'), spec('prod-b', 'prod', '111111111111', 'acme-milvus'))).toEqual([
      'prod-b: storage.bucket (acme-milvus) is also the bucket of prod-a: every cluster needs its own buckets',
      'prod-b: storage.etcdBackupBucket (acme-milvus-backups) is also the etcd snapshot bucket of prod-a: every cluster needs its own buckets',
    ]);
  });

  it("rejects a snapshot bucket or replica that is another cluster's bucket", () => {
    const a = spec('prod-a', 'prod', '111111111111', 'acme-a');
    const b = {
      ...spec('prod-b', 'prod', '111111111111', 'acme-b'),
      storage: { bucket: 'acme-b', etcdBackupBucket: 'acme-a', etcdBackupReplicaRegion: 'us-west-2' },
    };
    const c = { ...spec('prod-c', 'prod', '111111111111', 'acme-a-replica'), storage: { bucket: 'acme-c', etcdBackupBucket: 'acme-c-snapshots' } };
    const d = { ...spec('prod-d', 'prod', '111111111111', 'acme-d'), storage: { bucket: 'acme-a-replica' } };
    expect(fleet(a, b, c, d)).toEqual([
      'prod-b: storage.etcdBackupBucket (acme-a) is also the bucket of prod-a: every cluster needs its own buckets',
      'prod-d: storage.bucket (acme-a-replica) is also the snapshot replica bucket of prod-b: every cluster needs its own buckets',
    ]);
  });

  it('rejects a production cluster in an account that holds another environment', () => {
    expect(fleet(spec('prod-a', 'prod', '111111111111'), spec('staging-a', 'staging', '111111111111'))).toEqual([
      'prod-a: aws.accountId (111111111111) also holds staging-a (staging): production runs in an account of its own',
    ]);
    expect(fleet(spec('dev-a', 'dev', '333333333333'), spec('staging-a', 'staging', '333333333333'))).toEqual([
      'dev-a: aws.accountId (333333333333) holds clusters of several environments (dev-a (dev), staging-a (staging)): give each environment its own account',
    ]);
  });

  it('rejects two clusters whose VPCs overlap, naming both and the field, in any account', () => {
    expect(
      fleet(spec('prod-a', 'prod', '111111111111', undefined, '10.10.0.0/16'), spec('prod-b', 'prod', '111111111111', undefined, '10.10.16.0/20')),
    ).toEqual(['prod-b: aws.vpcCidr (10.10.16.0/20) overlaps aws.vpcCidr of prod-a (10.10.0.0/16): give every cluster its own address space']);
    expect(fleet(spec('dev-a', 'dev', '222222222222', undefined, '10.20.0.0/16'), spec('dev-b', 'dev', '333333333333', undefined, '10.20.0.0/16'))).toEqual([
      'dev-b: aws.vpcCidr (10.20.0.0/16) overlaps aws.vpcCidr of dev-a (10.20.0.0/16): give every cluster its own address space',
    ]);
    // Adjacent blocks do not overlap.
    expect(fleet(spec('dev-a', 'dev', '222222222222', undefined, '10.20.0.0/20'), spec('dev-b', 'dev', '222222222222', undefined, '10.20.16.0/20'))).toEqual(
      [],
    );
  });

  it('gives a spec without aws.vpcCidr the VPC every cluster had before the field (10.0.0.0/16), so two such clusters collide', () => {
    const bare = (name: string): ClusterSpec => {
      const s = spec(name, 'dev', '222222222222');
      delete s.aws.vpcCidr;
      return s;
    };
    expect(resolveClusterSpec(bare('dev-a')).aws.vpcCidr).toBe('10.0.0.0/16');
    expect(fleet(bare('dev-a'), bare('dev-b'))).toEqual([
      'dev-b: aws.vpcCidr (10.0.0.0/16) overlaps aws.vpcCidr of dev-a (10.0.0.0/16): give every cluster its own address space',
    ]);
  });
});
