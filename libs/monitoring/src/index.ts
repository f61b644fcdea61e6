// Public surface of @milvus-gitops/monitoring.

export { dashboards, MilvusDashboards } from './dashboards.js';
export type { Dashboard, DashboardsProps, MilvusDashboardsProps, Panel, Target } from './dashboards.js';
export { KNOWN_SERIES, METRICS, PLATFORM_METRICS, seriesIn } from './metrics.js';
export { alertGroups, MilvusAlerts } from './rules.js';
export type { AlertGroupsProps, AlertRule, MilvusAlertsProps, RuleGroup } from './rules.js';
export { MilvusScrapeConfigs } from './scrape.js';
export type { MilvusScrapeConfigsProps, PodMonitorSpec } from './scrape.js';
export {
  DASHBOARD_LABEL,
  GRAFANA_ADMIN_SECRET,
  KUBE_PROMETHEUS_STACK_CHART,
  KUBE_PROMETHEUS_STACK_RELEASE,
  KubePrometheusStack,
  kubePrometheusStackValues,
} from './stack.js';
export type { KubePrometheusStackProps, KubePrometheusStackValues, KubePrometheusStackValuesProps } from './stack.js';
