// Public surface of @milvus-gitops/autoscaling.

export {
  adapterRule,
  AutoscalingControllers,
  KEDA_CHART,
  METRICS_SERVER_CHART,
  metricsServerValues,
  PROMETHEUS_ADAPTER_CHART,
  prometheusAdapterValues,
} from './controllers.js';
export type { AdapterRule, AutoscalingControllersProps, MetricsServerValues, PrometheusAdapterValues } from './controllers.js';
export { BUILDER_BEHAVIOR, PROXY_BEHAVIOR, QUERY_NODE_BEHAVIOR } from './behaviors.js';
export { declaredMetrics, metricSpec, RoleScaler } from './scalers.js';
export type { HpaScaling, KedaScaling, RoleScalerProps, RoleScalerTarget, RoleScaling, ScaledObjectSpec, Signal } from './scalers.js';
export { PENDING_INDEX_NODE_WORK_MATCHERS, PENDING_INDEX_TASK_MATCHERS, PENDING_INDEX_TASKS, QUERY_QUEUE_DEPTH, SEARCH_P99_LATENCY_MS } from './signals.js';
export type { MetricDeclaration } from './signals.js';
