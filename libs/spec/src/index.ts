// Public surface of @milvus-gitops/spec: the ClusterSpec type, its resolution and derived names.

export type * from './types.js';
export { applyDefaults, milvusMinorOf, SIZE_PRESETS } from './defaults.js';
export { ClusterSpecError, DNS_LABEL, resolveClusterSpec, validateClusterSpec } from './validate.js';
export { clusterNames, irsaWorkloads, IRSA_ROLE_ANNOTATION, MANAGED_BY, S3_ACCESS_LABEL } from './names.js';
export { CSI_DRIVER_ADDONS, EBS_CSI_PROVISIONER, ebsCsiDriver } from './names.js';
export type { AddonIrsaBinding, ClusterNames, IrsaBinding, IrsaWorkload, Namespaces } from './names.js';
export { ETCD_NODE_CLASS, MILVUS_ROLE_NODE_CLASS, NODE_CLASS_LABEL, NODE_CLASS_TAINT, NODE_CLASSES, nodeClassLabel, nodeClassTaint } from './placement.js';
export type { MilvusRole, NodeClass, NodeClassDefinition, NodeTaint } from './placement.js';
export { indexBuilderOf, MILVUS_ROLE_NAMES, MILVUS_ROLES, milvusRolesOf, resolvedMilvusRoles } from './roles.js';
export type { FixedMilvusRole, MilvusFixedRoleKey, MilvusRoleDefinition, MilvusScalableRoleKey, ResolvedMilvusRole, ScalableMilvusRole } from './roles.js';
export { parseQuantity } from './quantity.js';
export { clusterProvisions, KUBERNETES_PROVISIONS } from './provided.js';
export { cronIntervalSeconds, snapshotWindowSeconds } from './retention.js';
export { validateFleet } from './fleet.js';
export { RISK_IDS, RISKS } from './risks.js';
export type { RiskId } from './risks.js';
export type { Provision } from './provided.js';
export { KUBERNETES_VERSIONS, MILVUS_IMAGE_REPOSITORY, MILVUS_MINORS, milvusImage } from './versions.js';
