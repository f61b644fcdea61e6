// Node classes and how Milvus roles map onto them. The node-provisioning side (Karpenter NodePools,
// Cluster Autoscaler node groups) and the Milvus side (affinity, tolerations) both read these
// constants, so a pod can never ask for a label or tolerate a taint that no node carries.

/** The classes of nodes a cluster runs. */
export type NodeClass = 'system' | 'query' | 'index' | 'data' | 'gpu-index';

/** Milvus processes, named as `milvus run <role>` names them. */
export type MilvusRole = 'proxy' | 'mixcoord' | 'querynode' | 'datanode' | 'indexnode' | 'streamingnode';

/** What a node class is for and what capacity backs it. */
export interface NodeClassDefinition {
  /** On-demand only, or spot first with on-demand as fallback. */
  readonly capacity: 'on-demand' | 'spot-preferred';
  /** EC2 instance family shape. */
  readonly shape: 'general-purpose' | 'memory-optimized' | 'compute-optimized' | 'gpu';
  /** Whether nodes carry the class taint (only pods that tolerate it land there). */
  readonly tainted: boolean;
  /** Whether the instances have local NVMe instance storage (used as the query-node cache). */
  readonly localNvme: boolean;
}

/** Label key every managed node carries, with the class as value. */
export const NODE_CLASS_LABEL = 'milvus-gitops.io/node-class';

/** Taint key on tainted classes, with the class as value and effect NoSchedule. */
export const NODE_CLASS_TAINT = 'milvus-gitops.io/node-class';

/** The node classes. Spot is used only for index and data work, never for serving or metadata. */
export const NODE_CLASSES: Readonly<Record<NodeClass, NodeClassDefinition>> = {
  system: { capacity: 'on-demand', shape: 'general-purpose', tainted: false, localNvme: false },
  query: { capacity: 'on-demand', shape: 'memory-optimized', tainted: true, localNvme: true },
  index: { capacity: 'spot-preferred', shape: 'compute-optimized', tainted: true, localNvme: false },
  data: { capacity: 'spot-preferred', shape: 'compute-optimized', tainted: true, localNvme: false },
  'gpu-index': { capacity: 'spot-preferred', shape: 'gpu', tainted: true, localNvme: false },
};

/**
 * Where each Milvus role runs: serving and coordination on on-demand memory-optimized nodes,
 * index building and compaction on spot compute-optimized nodes.
 */
export const MILVUS_ROLE_NODE_CLASS: Readonly<Record<MilvusRole, NodeClass>> = {
  proxy: 'query',
  mixcoord: 'query',
  querynode: 'query',
  streamingnode: 'query',
  datanode: 'data',
  indexnode: 'index',
};

/** etcd holds the metadata: on-demand system nodes, never spot. */
export const ETCD_NODE_CLASS: NodeClass = 'system';

/** A Kubernetes taint as node specs and tolerations spell it. */
export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule';
}

/** The label (key, value) nodes of a class carry. */
export function nodeClassLabel(nodeClass: NodeClass): { readonly key: string; readonly value: string } {
  return { key: NODE_CLASS_LABEL, value: nodeClass };
}

/** The taint nodes of a class carry, or undefined for untainted classes. */
export function nodeClassTaint(nodeClass: NodeClass): NodeTaint | undefined {
  return NODE_CLASSES[nodeClass].tainted ? { key: NODE_CLASS_TAINT, value: nodeClass, effect: 'NoSchedule' } : undefined;
}
