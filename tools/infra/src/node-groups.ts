// The node groups this stack creates ASGs for, from a resolved spec: the same mapping as the
// node-provisioning app's `nodeGroupsProps` (apps/src/node-provisioning.ts), whose expander
// priorities name these groups. A thin adapter, since infra does not depend on the apps package.

import { nodeGroups, type NodeGroupDefinition, type NodeGroupsProps } from '@milvus-gitops/nodes';
import { clusterNames, type ResolvedClusterSpec } from '@milvus-gitops/spec';

/** What the node groups of a cluster are built from: classes, limits and zones, names and tags. */
export function nodeGroupsProps(spec: ResolvedClusterSpec): NodeGroupsProps {
  const names = clusterNames(spec);
  return {
    gpuIndexBuild: spec.nodes.gpuIndexBuild,
    limits: spec.nodes.limits,
    availabilityZones: spec.aws.availabilityZones,
    nodeGroupName: names.nodeGroup,
    tags: names.tags,
    clusterAutoscalerTags: names.clusterAutoscalerTags,
  };
}

/** The node groups of a cluster (`nodeGroups(nodeGroupsProps(spec))`). */
export function clusterNodeGroups(spec: ResolvedClusterSpec): NodeGroupDefinition[] {
  return nodeGroups(nodeGroupsProps(spec));
}
