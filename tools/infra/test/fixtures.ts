// The cluster spec the infrastructure tests vary: one provisioner or the other, everything else fixed.
import { execFileSync } from 'node:child_process';
import type { ClusterSpec } from '@milvus-gitops/spec';

export const testSpec = (name: string, provisioner: 'karpenter' | 'cluster-autoscaler'): ClusterSpec => ({
  name,
  environment: 'prod',
  aws: { accountId: '111122223333', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
  kubernetes: { version: '1.33' },
  milvus: { version: '2.6.15' },
  storage: { bucket: `acme-${name}` },
  nodes: { provisioner },
  gitops: { repositoryUrl: 'https://github.com/acme/gitops.git' },
});

/** Whether a `terraform` binary is on PATH (the validate tests need it; CI requires it). */
export const hasTerraform = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
