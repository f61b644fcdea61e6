// Every metric name a rule or dashboard queries, in one module. Milvus names come from
// libs/milvus; the rest from the exporters kube-prometheus-stack installs.

import { MILVUS_METRICS } from '@milvus-gitops/milvus';
import { selectorsIn } from '@milvus-gitops/milvus/metric-catalog';

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
  cronJobLastScheduleTime: 'kube_cronjob_status_last_schedule_time',
  cronJobLastSuccessfulTime: 'kube_cronjob_status_last_successful_time',
  etcdHasLeader: 'etcd_server_has_leader',
  etcdDbTotalSize: 'etcd_mvcc_db_total_size_in_bytes',
  etcdQuotaBackendBytes: 'etcd_server_quota_backend_bytes',
} as const;

/** The names of both sets. */
export const METRICS = { ...MILVUS_METRICS, ...PLATFORM_METRICS } as const;

/** Every series name a query may use: the metrics and the series a histogram exposes. */
export const KNOWN_SERIES: ReadonlySet<string> = new Set(Object.values(METRICS).flatMap((m) => [m, `${m}_bucket`, `${m}_sum`, `${m}_count`]));

/**
 * Metric names referenced by a PromQL expression: the names of its selectors, read by the one
 * PromQL reader of the repository (libs/milvus metric-catalog `selectorsIn`).
 */
export function seriesIn(expr: string): string[] {
  return [...new Set(selectorsIn(expr).map((s) => s.name))];
}
