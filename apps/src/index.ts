// Public surface of @milvus-gitops/apps: every app (Flux unit) of a cluster, each in its own module
// with the mapping from the resolved spec to the props of the constructs it composes.

export { autoscalingApp, autoscalingControllersApp, autoscalingControllersProps, roleScaling, usesKeda } from './autoscaling.js';
export { appPath, FLUX_SYSTEM_APP, fluxSystemApp } from './flux-system.js';
export { buildMilvusApp, milvusApp, milvusClusterProps, milvusUserConfigProps } from './milvus.js';
export { alertGroupsProps, dashboardsProps, kubePrometheusStackValuesProps, monitoringApp, monitoringConfigApp } from './monitoring.js';
export { clusterAutoscalerProps, karpenterProps, nodeGroupsProps, nodePoolsApp, nodePoolsProps, nodeProvisioningApp } from './node-provisioning.js';
