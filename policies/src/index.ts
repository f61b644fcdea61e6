// Public surface of @milvus-gitops/policies.

export {
  autoscalerTargets,
  CLUSTER_SCOPED_KINDS,
  containerResources,
  dataKeptOnPrune,
  helmSourceExists,
  imagePinned,
  irsaForS3,
  milvusProbes,
  namespaceExists,
  noStaticAwsCredentials,
  pdbForReplicated,
  podSecurity,
  podTemplates,
  POLICIES,
  recommendedLabels,
  runPolicies,
  S3_ACCESS_LABEL,
  uniqueObjects,
  WRITABLE_ROOT_ANNOTATION,
} from './policies.js';
export type { Policy, PolicyFailure, PodTemplate, Violation } from './policies.js';
export {
  controllerOffOwnNodes,
  CRD_INSTALLERS,
  crdInstalledFirst,
  metricsExist,
  metricsServed,
  nodeClassOf,
  podFitsInstance,
  promqlOf,
  READINESS_RULES,
  referencesExist,
  runReadiness,
  storageDriverInstalled,
} from './readiness.js';
export type { ClusterContext, ReadinessRule } from './readiness.js';
