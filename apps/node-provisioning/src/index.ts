// The node-provisioning apps: the provisioner itself first (Karpenter's HelmRelease or the Cluster
// Autoscaler), then, for Karpenter, the NodePools and EC2NodeClasses whose CRDs the chart installs.

import { AppChart, type AppDefinition } from '@milvus-gitops/core';
import { Gp3EncryptedStorageClass } from '@milvus-gitops/milvus';
import { ClusterAutoscaler, KarpenterController, KarpenterNodePools, karpenterProps } from '@milvus-gitops/nodes';
import type { ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

/** The provisioner controller of the cluster. */
export const nodeProvisioningApp: AppDefinition = {
  name: 'node-provisioning',
  description: 'Karpenter (Flux HelmRelease) or the Cluster Autoscaler, by the spec, and the encrypted gp3 StorageClass',
  dependsOn: [],
  build(scope: Construct, spec: ResolvedClusterSpec) {
    const chart = new AppChart(scope, 'node-provisioning', { spec, app: 'node-provisioning' });
    if (spec.nodes.provisioner === 'karpenter') new KarpenterController(chart, 'Karpenter', karpenterProps(spec).controller);
    else new ClusterAutoscaler(chart, 'ClusterAutoscaler', { spec });
    // The cluster's default-for-us storage: etcd and Prometheus volumes claim it, so it comes first.
    new Gp3EncryptedStorageClass(chart, 'StorageClass');
  },
};

/** Karpenter's NodePools and EC2NodeClasses (Karpenter clusters only). */
export const nodePoolsApp: AppDefinition = {
  name: 'node-pools',
  description: 'Karpenter NodePools per workload class and their EC2NodeClasses',
  dependsOn: ['node-provisioning'],
  appliesTo: (spec) => spec.nodes.provisioner === 'karpenter',
  build(scope: Construct, spec: ResolvedClusterSpec) {
    const chart = new AppChart(scope, 'node-pools', { spec, app: 'node-pools' });
    new KarpenterNodePools(chart, 'NodePools', karpenterProps(spec).nodePools);
  },
};
