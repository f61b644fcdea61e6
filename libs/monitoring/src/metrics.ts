// Every metric name a rule or dashboard queries, in one module. Milvus names come from
// libs/milvus; the rest from the exporters kube-prometheus-stack installs.

import { MILVUS_METRICS } from '@milvus-gitops/milvus';

/** kube-state-metrics, cAdvisor (kubelet) and etcd metric names. */
export const PLATFORM_METRICS = {
  containerMemoryWorkingSet: 'container_memory_working_set_bytes',
  containerCpuUsage: 'container_cpu_usage_seconds_total',
  podContainerResourceLimits: 'kube_pod_container_resource_limits',
  podContainerRestarts: 'kube_pod_container_status_restarts_total',
  podStatusPhase: 'kube_pod_status_phase',
  hpaCurrentReplicas: 'kube_horizontalpodautoscaler_status_current_replicas',
  hpaDesiredReplicas: 'kube_horizontalpodautoscaler_status_desired_replicas',
  hpaMaxReplicas: 'kube_horizontalpodautoscaler_spec_max_replicas',
  nodeLabels: 'kube_node_labels',
  nodeInfo: 'kube_node_info',
  jobStatusFailed: 'kube_job_status_failed',
  etcdHasLeader: 'etcd_server_has_leader',
} as const;

/** The names of both sets. */
export const METRICS = { ...MILVUS_METRICS, ...PLATFORM_METRICS } as const;

/** Every series name a query may use: the metrics and the series a histogram exposes. */
export const KNOWN_SERIES: ReadonlySet<string> = new Set(Object.values(METRICS).flatMap((m) => [m, `${m}_bucket`, `${m}_sum`, `${m}_count`]));

const PROMQL_WORDS = new Set([
  'sum',
  'avg',
  'max',
  'min',
  'count',
  'rate',
  'irate',
  'increase',
  'delta',
  'deriv',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'histogram_quantile',
  'le',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'time',
  'vector',
  'clamp_min',
  'clamp_max',
  'max_over_time',
  'min_over_time',
  'avg_over_time',
  'label_replace',
  'topk',
  'absent',
  'abs',
]);

/** Metric names referenced by a PromQL expression (identifiers that are not keywords, labels or functions). */
export function seriesIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutMatchers = withoutStrings.replace(/\{[^}]*\}/g, '{}').replace(/\[[^\]]*\]/g, '[]');
  const withoutGroupings = withoutMatchers.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = withoutGroupings.match(/\b[a-zA-Z_:][a-zA-Z0-9_:]*\b/g) ?? [];
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n) && !/^[0-9]/.test(n) && !/^(e|inf|nan)$/i.test(n) && !/^[smhdwy]$/.test(n)))];
}
