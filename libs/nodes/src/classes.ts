// What EC2 capacity backs each node class, and how much of it a cluster may need. Karpenter
// NodePools and Cluster Autoscaler node groups are both derived from this one table.

import { NODE_CLASSES, type NodeClass } from '@milvus-gitops/spec';

/** EC2 shapes of a node class. */
export interface NodeClassCapacity {
  /** Instance families Karpenter may choose from. */
  readonly families: readonly string[];
  /** Explicit instance types for Auto Scaling groups (mixed instances policy), same families. */
  readonly instanceTypes: readonly string[];
  /** Smallest instance size Karpenter may pick (vCPUs), so tiny instances never fragment the pool. */
  readonly minCpu: number;
}

/**
 * Query nodes need memory and local NVMe (r6id/r6idn: 8 GiB per vCPU plus instance store; there is
 * no r7id); index
 * and data work is CPU-bound and restartable (c6i/c7i, also AMD); system pods are small and steady.
 */
export const NODE_CLASS_CAPACITY: Readonly<Record<NodeClass, NodeClassCapacity>> = {
  system: { families: ['m6i', 'm7i'], instanceTypes: ['m6i.xlarge', 'm7i.xlarge', 'm6i.2xlarge', 'm7i.2xlarge'], minCpu: 2 },
  query: { families: ['r6id', 'r6idn'], instanceTypes: ['r6id.4xlarge', 'r6idn.4xlarge'], minCpu: 8 },
  index: { families: ['c6i', 'c7i', 'c6a', 'c7a'], instanceTypes: ['c6i.4xlarge', 'c7i.4xlarge', 'c6a.4xlarge', 'c7a.4xlarge'], minCpu: 4 },
  data: { families: ['c6i', 'c7i', 'c6a', 'c7a'], instanceTypes: ['c6i.2xlarge', 'c7i.2xlarge', 'c6a.2xlarge', 'c7a.2xlarge'], minCpu: 2 },
  'gpu-index': { families: ['g5', 'g6'], instanceTypes: ['g5.2xlarge', 'g6.2xlarge'], minCpu: 8 },
};

/** CPU cores and GiB of memory a node class may grow to. */
export interface NodeClassLimit {
  /**
   * CPU cores of all the class's nodes together.
   * @default - required, no default
   */
  readonly cpu: number;
  /**
   * GiB of memory of all the class's nodes together.
   * @default - required, no default
   */
  readonly memoryGi: number;
}

/** Input of clusterNodeClasses: whether the cluster runs the GPU class. */
export interface ClusterNodeClassesProps {
  /**
   * Whether index builds run on GPUs, and so the cluster runs the `gpu-index` class (`spec.nodes.gpuIndexBuild`).
   * @default - required, no default
   */
  readonly gpuIndexBuild: boolean;
}

/** The node classes a cluster runs: every class but the GPU one, which only GPU index builds need. */
export function clusterNodeClasses(props: ClusterNodeClassesProps): NodeClass[] {
  const classes: NodeClass[] = ['system', 'query', 'index', 'data'];
  if (props.gpuIndexBuild) classes.push('gpu-index');
  return classes;
}

/** Whether a class runs on spot capacity (with on-demand as fallback). */
export function usesSpot(nodeClass: NodeClass): boolean {
  return NODE_CLASSES[nodeClass].capacity === 'spot-preferred';
}

/**
 * CPU cores and GiB of memory a class may grow to, out of a cluster's limits per class (the spec's
 * guardrail, `spec.nodes.limits`, validated to hold every role).
 */
export function classLimits(limits: Readonly<Record<NodeClass, NodeClassLimit>>, nodeClass: NodeClass): NodeClassLimit {
  return limits[nodeClass];
}
