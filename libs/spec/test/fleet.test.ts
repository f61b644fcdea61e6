import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, validateFleet, type ClusterSpec } from '../src/index.js';

const spec = (name: string, environment: ClusterSpec['environment'], accountId: string, bucket?: string): ClusterSpec => ({
  name,
  environment,
  aws: { accountId, region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
  kubernetes: { version: '1.33' },
  milvus: { version: '2.6.15' },
  ...(bucket ? { storage: { bucket } } : {}),
  nodes: { provisioner: 'karpenter' },
  gitops: { repositoryUrl: 'ssh://git@github.com/acme/milvus-eks-gitops.git' },
});
const fleet = (...specs: ClusterSpec[]) => validateFleet(specs.map((s) => resolveClusterSpec(s)));

describe('validateFleet', () => {
  it('accepts clusters with their own buckets, each environment in its own account', () => {
    expect(fleet(spec('prod-a', 'prod', '111111111111'), spec('prod-b', 'prod', '111111111111'), spec('dev-a', 'dev', '222222222222'))).toEqual([]);
  });

  it('rejects two clusters writing one bucket', () => {
    expect(fleet(spec('prod-a', 'prod', '111111111111', 'acme-milvus'), spec('prod-b', 'prod', '111111111111', 'acme-milvus'))).toEqual([
      'prod-b: storage.bucket (acme-milvus) is also the bucket of prod-a: every cluster needs its own bucket',
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
});
