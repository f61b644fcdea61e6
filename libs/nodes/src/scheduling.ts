// Can a pod land on the nodes a pool or node group creates? Required node affinity and node
// selectors are matched against the nodes' labels, and every NoSchedule/NoExecute taint must be
// tolerated. Used by tests and checks that every Milvus pod of a cluster has somewhere to run.

import type { V1NodeSelectorRequirement, V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import type { NodeGroupDefinition } from './cluster-autoscaler.js';
import type { NodePoolDefinition } from './karpenter.js';

/** The nodes a pool makes: a label may take any of a set of values (Karpenter requirements). */
export interface NodeShape {
  /** Pool or group name, for messages. */
  readonly name: string;
  /** Label key -> values nodes of this shape may carry. */
  readonly labels: ReadonlyMap<string, ReadonlySet<string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
}

/** The node shape of a Karpenter NodePool: template labels plus `In` requirements. */
export function poolShape(pool: NodePoolDefinition): NodeShape {
  const labels = new Map<string, Set<string>>();
  for (const [k, v] of Object.entries(pool.spec.template.metadata.labels)) labels.set(k, new Set([v]));
  for (const r of pool.spec.template.spec.requirements) if (r.operator === 'In') labels.set(r.key, new Set(r.values ?? []));
  labels.set('karpenter.sh/nodepool', new Set([pool.name]));
  return { name: `NodePool ${pool.name}`, labels, taints: pool.spec.template.spec.taints ?? [] };
}

/** The node shape of a Cluster Autoscaler node group. */
export function groupShape(group: NodeGroupDefinition): NodeShape {
  const labels = new Map<string, Set<string>>();
  for (const [k, v] of Object.entries(group.labels)) labels.set(k, new Set([v]));
  labels.set('topology.kubernetes.io/zone', new Set([group.zone]));
  labels.set('node.kubernetes.io/instance-type', new Set(group.instanceTypes));
  return { name: `node group ${group.name}`, labels, taints: group.taints };
}

function matches(req: V1NodeSelectorRequirement, labels: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  const values = labels.get(req.key);
  switch (req.operator) {
    case 'In':
      return values !== undefined && (req.values ?? []).some((v) => values.has(v));
    case 'NotIn':
      return values === undefined || [...values].some((v) => !(req.values ?? []).includes(v));
    case 'Exists':
      return values !== undefined;
    case 'DoesNotExist':
      return values === undefined;
    default:
      // Gt/Lt on labels we do not model: assume the pool can satisfy it rather than guess.
      return true;
  }
}

function tolerates(tolerations: readonly V1Toleration[], taint: { key: string; value?: string; effect: string }): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      ((t.operator === 'Exists' && (t.key === undefined || t.key === '' || t.key === taint.key)) ||
        ((t.operator === undefined || t.operator === 'Equal') && t.key === taint.key && (t.value ?? '') === (taint.value ?? ''))),
  );
}

/** Why a pod cannot run on a shape, or undefined if it can. */
export function unschedulableReason(pod: V1PodSpec, shape: NodeShape): string | undefined {
  for (const [key, value] of Object.entries(pod.nodeSelector ?? {})) {
    if (!shape.labels.get(key)?.has(value)) return `nodeSelector ${key}=${value} matches no node of ${shape.name}`;
  }
  const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && terms.length > 0) {
    const ok = terms.some((term) => (term.matchExpressions ?? []).every((req) => matches(req, shape.labels)));
    if (!ok) return `required node affinity matches no node of ${shape.name}`;
  }
  for (const taint of shape.taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(pod.tolerations ?? [], taint)) return `taint ${taint.key}=${taint.value ?? ''}:${taint.effect} of ${shape.name} is not tolerated`;
  }
  return undefined;
}

/** The shapes a pod can run on. */
export function schedulableOn(pod: V1PodSpec, shapes: readonly NodeShape[]): NodeShape[] {
  return shapes.filter((s) => unschedulableReason(pod, s) === undefined);
}
