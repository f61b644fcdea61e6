import { describe, expect, it } from 'vitest';
import { fluxSystemApp } from '@milvus-gitops/app-flux-system';
import { appsFor, synthApp, type AppDefinition } from '@milvus-gitops/core';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { nodePoolsApp, nodeProvisioningApp } from '../src/index.js';

const spec = (provisioner: 'karpenter' | 'cluster-autoscaler') =>
  resolveClusterSpec({
    name: 'dev-us-west-2',
    environment: 'dev',
    aws: { accountId: '777788889999', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'] },
    kubernetes: { version: '1.33' },
    milvus: { version: '2.6.15' },
    nodes: { provisioner },
    gitops: { repositoryUrl: 'https://github.com/acme/gitops.git' },
  } satisfies ClusterSpec);

const kinds = (app: AppDefinition, p: 'karpenter' | 'cluster-autoscaler') => [...new Set(synthApp(app, spec(p)).map((o) => o.kind))].sort();

describe('node-provisioning apps', () => {
  it('installs Karpenter through Flux on Karpenter clusters, and the Cluster Autoscaler on the others', () => {
    expect(kinds(nodeProvisioningApp, 'karpenter')).toEqual(['HelmRelease', 'HelmRepository', 'StorageClass']);
    expect(kinds(nodeProvisioningApp, 'cluster-autoscaler')).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'ServiceAccount',
      'StorageClass',
    ]);
  });

  it('renders NodePools and EC2NodeClasses only on Karpenter clusters, after the controller', () => {
    expect(kinds(nodePoolsApp, 'karpenter')).toEqual(['EC2NodeClass', 'NodePool']);
    expect(appsFor([nodeProvisioningApp, nodePoolsApp], spec('cluster-autoscaler')).map((a) => a.name)).toEqual(['node-provisioning']);
    expect(nodePoolsApp.dependsOn).toEqual(['node-provisioning']);
  });

  it('drops a dependency on node-pools from the Flux wiring of a cluster that has none', () => {
    const milvus: AppDefinition = { name: 'milvus', description: '', dependsOn: ['node-provisioning', 'node-pools'], build: () => undefined };
    const flux = fluxSystemApp([nodeProvisioningApp, nodePoolsApp, milvus]);
    const deps = (p: 'karpenter' | 'cluster-autoscaler') =>
      synthApp(flux, spec(p)).find((o) => o.kind === 'Kustomization' && o.metadata.name === 'milvus')!.spec as { dependsOn: { name: string }[] };
    expect(deps('karpenter').dependsOn).toEqual([{ name: 'node-provisioning' }, { name: 'node-pools' }]);
    expect(deps('cluster-autoscaler').dependsOn).toEqual([{ name: 'node-provisioning' }]);
  });
});
