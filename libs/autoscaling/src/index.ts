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
export { BUILDER_BEHAVIOR, declaredMetrics, metricSpec, PROXY_BEHAVIOR, QUERY_NODE_BEHAVIOR, scalingPlan, usesKeda } from './plan.js';
export type { RoleScaling, Signal } from './plan.js';
export { RoleScaler } from './scalers.js';
export type { RoleScalerProps, ScaledObjectSpec } from './scalers.js';
export { PENDING_INDEX_TASK_MATCHERS, PENDING_INDEX_TASKS, QUERY_QUEUE_DEPTH, SEARCH_P99_LATENCY_MS } from './signals.js';
export type { MetricDeclaration } from './signals.js';
