// Public surface of @milvus-gitops/core.

export { AppChart, appsFor, SynthesisError, synthApp, synthCluster } from './app.js';
export type { AppChartProps, AppDefinition, AppSynthesis } from './app.js';
export { CLUSTER_LABEL, selectorLabels, standardLabels } from './labels.js';
export type { StandardLabelProps } from './labels.js';
export { describeObject, PRUNE_DISABLED_ANNOTATION } from './manifest.js';
export type { Manifest, ManifestMetadata } from './manifest.js';
export { IrsaServiceAccount } from './irsa.js';
export type { IrsaServiceAccountProps } from './irsa.js';
export { kubeObject } from './kube.js';
export type { KubeObjectBody } from './kube.js';
export {
  HOST_LABEL,
  NON_ROOT_UID,
  placeOn,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  spreadAcrossZonesAndHosts,
  ZONE_LABEL,
} from './pod.js';
export type { Placement } from './pod.js';
