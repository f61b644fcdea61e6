// Public surface of @milvus-gitops/nodes.

export { classLimits, clusterNodeClasses, NODE_CLASS_CAPACITY, usesSpot } from './classes.js';
export { allocatable, allowedInstanceTypes, DAEMONSET_RESERVE, INSTANCE_TYPES, kubeReservedCpuMillis, packing, VM_MEMORY_OVERHEAD } from './capacity.js';
export type { InstanceType, PodRequests } from './capacity.js';
export type { ClusterNodeClassesProps, NodeClassCapacity, NodeClassLimit } from './classes.js';
export {
  CLUSTER_AUTOSCALER_NAME,
  NODE_TEMPLATE_LABEL_TAG,
  PRIORITY_EXPANDER_CONFIGMAP,
  CLUSTER_AUTOSCALER_VERSIONS,
  ClusterAutoscaler,
  clusterAutoscalerImage,
  expanderPriorities,
  nodeGroups,
} from './cluster-autoscaler.js';
export type { ClusterAutoscalerProps, ExpanderPrioritiesProps, NodeGroupDefinition, NodeGroupsProps } from './cluster-autoscaler.js';
export {
  amiAlias,
  EC2_NODE_CLASS,
  KARPENTER_CHART,
  KarpenterController,
  KarpenterNodePools,
  NODE_IMDS_HOP_LIMIT,
  NODE_ROOT_VOLUME,
  nodeExpiry,
  nodePools,
  QUERY_PEAK_HOURS,
} from './karpenter.js';
export type {
  Ec2NodeClassSpec,
  KarpenterNodePoolsProps,
  KarpenterProps,
  NodePoolDefinition,
  NodePoolsProps,
  NodePoolSpec,
  NodeRequirement,
} from './karpenter.js';
export { groupShape, poolShape, schedulableOn, unschedulableReason } from './scheduling.js';
export type { NodeShape } from './scheduling.js';
