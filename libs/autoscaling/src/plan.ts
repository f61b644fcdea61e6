// Which Milvus roles are autoscaled, on which signals and with what behavior: one plan read by the
// milvus app (to leave replicas unset), the autoscaling app (HPAs, ScaledObjects) and the adapter.

import type { V2HorizontalPodAutoscalerBehavior, V2MetricSpec } from '@kubernetes/client-node';
import { milvusRoles } from '@milvus-gitops/milvus';
import { indexBuilderOf, type MilvusRole, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import { PENDING_INDEX_TASKS, QUERY_QUEUE_DEPTH, SEARCH_P99_LATENCY_MS, type MetricDeclaration } from './signals.js';

/** One signal of an HPA: a resource utilization, or a declared custom/external metric with its target. */
export type Signal =
  | { readonly kind: 'resource'; readonly resource: 'cpu' | 'memory'; readonly averageUtilization: number }
  | { readonly kind: 'metric'; readonly metric: MetricDeclaration; readonly target: { readonly type: 'AverageValue' | 'Value'; readonly value: number } };

/** How one role scales. */
export type RoleScaling =
  | {
      readonly role: MilvusRole;
      readonly scaler: 'hpa';
      readonly minReplicas: number;
      readonly maxReplicas: number;
      readonly signals: readonly Signal[];
      readonly behavior: V2HorizontalPodAutoscalerBehavior;
    }
  | {
      readonly role: MilvusRole;
      readonly scaler: 'keda';
      readonly maxReplicas: number;
      /** Pending index tasks per replica that add a replica; zero tasks means zero replicas. */
      readonly pendingTasksPerReplica: number;
      readonly metric: MetricDeclaration;
    };

/**
 * Query nodes: react within one 15 s sync (double or add four, whichever is more) so a 10x spike is
 * absorbed in a few periods; shrink by at most 10% or one pod a minute after five quiet minutes,
 * because each removed query node hands its segments to the others.
 */
export const QUERY_NODE_BEHAVIOR: V2HorizontalPodAutoscalerBehavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 15 },
      { type: 'Pods', value: 4, periodSeconds: 15 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 10, periodSeconds: 60 },
      { type: 'Pods', value: 1, periodSeconds: 60 },
    ],
  },
};

/** Builders: up as fast as query nodes, down once the queue has been empty for ten minutes. */
export const BUILDER_BEHAVIOR: V2HorizontalPodAutoscalerBehavior = {
  scaleUp: QUERY_NODE_BEHAVIOR.scaleUp!,
  scaleDown: {
    stabilizationWindowSeconds: 600,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
  },
};

/** Proxies: CPU-bound and stateless, default-like but with a short scale-down window. */
export const PROXY_BEHAVIOR: V2HorizontalPodAutoscalerBehavior = {
  scaleUp: QUERY_NODE_BEHAVIOR.scaleUp!,
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 25, periodSeconds: 60 }] },
};

const cpu = (averageUtilization: number): Signal => ({ kind: 'resource', resource: 'cpu', averageUtilization });

/** The scaling of every autoscaled role of a cluster (fixed-count roles are absent). */
export function scalingPlan(spec: ResolvedClusterSpec): RoleScaling[] {
  const q = spec.autoscaling.queryNode;
  const ix = spec.autoscaling.indexBuild;
  const builder = indexBuilderOf(spec.milvus.minor);
  // With KEDA installed its metrics server owns APIService v1beta1.external.metrics.k8s.io (the
  // kedacore/keda chart always creates it), and prometheus-adapter would create the same object for
  // its external rules: two Helm releases cannot own one object. So there the query-node HPA does
  // without the External P99 signal (CPU, memory and queue depth remain); see usesKeda.
  const roles = milvusRoles(spec);
  const keda = ix.scaleToZero && roles.some((r) => r.role === builder && !('fixed' in r.replicas));
  const externalMetrics = !keda;
  const plan: RoleScaling[] = [];
  for (const r of roles) {
    if ('fixed' in r.replicas) continue;
    const { min, max } = r.replicas;
    if (r.role === 'querynode') {
      plan.push({
        role: r.role,
        scaler: 'hpa',
        minReplicas: min,
        maxReplicas: max,
        signals: [
          cpu(q.cpuUtilization),
          { kind: 'resource', resource: 'memory', averageUtilization: q.memoryUtilization },
          { kind: 'metric', metric: QUERY_QUEUE_DEPTH, target: { type: 'AverageValue', value: q.queueDepthPerPod } },
          ...(externalMetrics ? [{ kind: 'metric', metric: SEARCH_P99_LATENCY_MS, target: { type: 'Value', value: q.p99LatencyMs } } as const] : []),
        ],
        behavior: QUERY_NODE_BEHAVIOR,
      });
    } else if (r.role === builder && ix.scaleToZero) {
      plan.push({ role: r.role, scaler: 'keda', maxReplicas: max, pendingTasksPerReplica: ix.pendingTasksPerReplica, metric: PENDING_INDEX_TASKS });
    } else if (r.role === builder) {
      plan.push({
        role: r.role,
        scaler: 'hpa',
        minReplicas: min,
        maxReplicas: max,
        signals: [{ kind: 'metric', metric: PENDING_INDEX_TASKS, target: { type: 'AverageValue', value: ix.pendingTasksPerReplica } }, cpu(80)],
        behavior: BUILDER_BEHAVIOR,
      });
    } else if (r.role === 'proxy') {
      plan.push({ role: r.role, scaler: 'hpa', minReplicas: min, maxReplicas: max, signals: [cpu(70)], behavior: PROXY_BEHAVIOR });
    } else {
      // 2.5 data nodes flush and compact: CPU tracks that work.
      plan.push({ role: r.role, scaler: 'hpa', minReplicas: min, maxReplicas: max, signals: [cpu(75)], behavior: BUILDER_BEHAVIOR });
    }
  }
  return plan;
}

/**
 * Whether the cluster needs KEDA: the index builders scale to zero, which an HPA cannot do. KEDA then
 * serves every external metric of the cluster (only its ScaledObjects' triggers).
 */
export function usesKeda(spec: ResolvedClusterSpec): boolean {
  return scalingPlan(spec).some((s) => s.scaler === 'keda');
}

/**
 * The autoscaling/v2 metric spec of a signal. External metrics carry no selector: the adapter
 * matches the HPA's namespace, and one namespace holds one Milvus instance.
 */
export function metricSpec(signal: Signal): V2MetricSpec {
  if (signal.kind === 'resource') {
    return { type: 'Resource', resource: { name: signal.resource, target: { type: 'Utilization', averageUtilization: signal.averageUtilization } } };
  }
  const { metric, target } = signal;
  const quantity = String(target.value);
  const metricTarget = target.type === 'Value' ? { type: 'Value', value: quantity } : { type: 'AverageValue', averageValue: quantity };
  if (metric.type === 'Pods') return { type: 'Pods', pods: { metric: { name: metric.name }, target: metricTarget } };
  return { type: 'External', external: { metric: { name: metric.name }, target: metricTarget } };
}

/** Every custom or external metric some HPA of the plan names (what the adapter must serve). */
export function declaredMetrics(plan: readonly RoleScaling[]): MetricDeclaration[] {
  const out = new Map<string, MetricDeclaration>();
  for (const s of plan) {
    if (s.scaler !== 'hpa') continue;
    for (const sig of s.signals) if (sig.kind === 'metric') out.set(sig.metric.name, sig.metric);
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
