// The cluster spec the infrastructure tests vary: one provisioner or the other, everything else fixed.
import { execFileSync } from 'node:child_process';
import type { ClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';

export const testSpec = (name: string, provisioner: 'karpenter' | 'cluster-autoscaler'): ClusterSpec =>
  testClusterSpec({ name, storage: { bucket: `acme-${name}` }, nodes: { provisioner } });

/** Whether a `terraform` binary is on PATH (the validate tests need it; CI requires it). */
export const hasTerraform = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
