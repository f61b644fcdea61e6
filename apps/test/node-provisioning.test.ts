import { describe, expect, it } from 'vitest';
import { fluxSystemApp } from '../src/flux-system.js';
import { appsFor, synthApp, type AppDefinition } from '@milvus-gitops/core';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { nodePoolsApp, nodeProvisioningApp } from '../src/node-provisioning.js';

const spec = (provisioner: 'karpenter' | 'cluster-autoscaler') => resolveClusterSpec(testClusterSpec({ environment: 'dev', nodes: { provisioner } }));

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
