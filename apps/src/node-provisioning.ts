// The node-provisioning apps: the provisioner itself first (Karpenter's HelmRelease or the Cluster
// Autoscaler), then, for Karpenter, the NodePools and EC2NodeClasses whose CRDs the chart installs.
// This module is where the spec becomes the provisioners' props: the one place that reads it for them.

import { AppChart, type AppDefinition } from '@milvus-gitops/core';
import { Gp3EncryptedStorageClass } from '@milvus-gitops/milvus';
import {
  ClusterAutoscaler,
  expanderPriorities,
  KarpenterController,
  KarpenterNodePools,
  nodeGroups,
  nodePools,
  type ClusterAutoscalerProps,
  type KarpenterNodePoolsProps,
  type KarpenterProps,
  type NodeGroupsProps,
  type NodePoolsProps,
} from '@milvus-gitops/nodes';
import { clusterNames, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

/** What a cluster's NodePools are built from: whether it runs the GPU class, the limits per class, the zones. */
export function nodePoolsProps(spec: ResolvedClusterSpec): NodePoolsProps {
  return { gpuIndexBuild: spec.nodes.gpuIndexBuild, limits: spec.nodes.limits, availabilityZones: spec.aws.availabilityZones };
}

/**
 * What a cluster's node groups are built from: as for its NodePools, plus the groups' names and
 * tags. The replay (tools/cli) reads the groups through this too; tools/infra, which creates the
 * groups' ASGs, keeps its own adapter (tools/infra/src/node-groups.ts) to the same fields.
 */
export function nodeGroupsProps(spec: ResolvedClusterSpec): NodeGroupsProps {
  const names = clusterNames(spec);
  return { ...nodePoolsProps(spec), nodeGroupName: names.nodeGroup, tags: names.tags, clusterAutoscalerTags: names.clusterAutoscalerTags };
}

/** What the Karpenter constructs take for a cluster: the controller's IRSA binding and settings, the pools and what their nodes carry. */
export function karpenterProps(spec: ResolvedClusterSpec): { controller: KarpenterProps; nodePools: KarpenterNodePoolsProps } {
  const names = clusterNames(spec);
  return {
    controller: { binding: names.irsa.karpenter!, clusterName: names.cluster, interruptionQueue: names.karpenterInterruptionQueue, instance: spec.name },
    nodePools: {
      pools: nodePools(nodePoolsProps(spec)),
      nodeRoleName: names.karpenterNodeRoleName,
      discoveryTag: names.discoveryTag,
      tags: names.tags,
      instance: spec.name,
      amiVersion: spec.nodes.amiVersion,
    },
  };
}

/** What the Cluster Autoscaler takes for a cluster: its IRSA binding, release, discovery tags, expander priorities and region. */
export function clusterAutoscalerProps(spec: ResolvedClusterSpec): ClusterAutoscalerProps {
  const names = clusterNames(spec);
  return {
    binding: names.irsa['cluster-autoscaler']!,
    kubernetesVersion: spec.kubernetes.version,
    discoveryTags: Object.keys(names.clusterAutoscalerTags),
    priorities: expanderPriorities({ nodeGroups: nodeGroups(nodeGroupsProps(spec)) }),
    region: spec.aws.region,
    instance: spec.name,
  };
}

/** The provisioner controller of the cluster. */
export const nodeProvisioningApp: AppDefinition = {
  name: 'node-provisioning',
  description: 'Karpenter (Flux HelmRelease) or the Cluster Autoscaler, by the spec, and the encrypted gp3 StorageClass',
  dependsOn: [],
  build(scope: Construct, spec: ResolvedClusterSpec) {
    const chart = new AppChart(scope, 'node-provisioning', { cluster: spec.name, app: 'node-provisioning' });
    if (spec.nodes.provisioner === 'karpenter') new KarpenterController(chart, 'Karpenter', karpenterProps(spec).controller);
    else new ClusterAutoscaler(chart, 'ClusterAutoscaler', clusterAutoscalerProps(spec));
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
    const chart = new AppChart(scope, 'node-pools', { cluster: spec.name, app: 'node-pools' });
    new KarpenterNodePools(chart, 'NodePools', karpenterProps(spec).nodePools);
  },
};
