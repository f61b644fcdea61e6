// Public surface of @milvus-gitops/milvus.

export { ETCD_CLIENT_PORT, ETCD_MEMBERS, ETCD_NAME, ETCD_PEER_PORT, etcdClientService, milvusUserConfig } from './config.js';
export type { MilvusUserConfigProps } from './config.js';
export {
  AWS_CLI_IMAGE,
  ETCD_BACKUP_DEADLINE_SECONDS,
  ETCD_BACKUP_STARTING_DEADLINE_SECONDS,
  ETCD_BACKUP_NAME,
  ETCD_SNAPSHOT_PREFIX,
  EtcdBackup,
} from './etcd-backup.js';
export type { EtcdBackupProps } from './etcd-backup.js';
export { ETCD_CONFIG_FILE, ETCD_TOOLS_IMAGE, etcdStartScript } from './etcd-start.js';
export type { EtcdStartProps } from './etcd-start.js';
export {
  ETCD_HEADLESS,
  ETCD_IMAGE,
  ETCD_START_CONFIG,
  ETCD_METRICS_PORT,
  EtcdCluster,
  etcdSelector,
  GP3_ENCRYPTED_STORAGE_CLASS,
  Gp3EncryptedStorageClass,
} from './etcd.js';
export type { EtcdClusterProps } from './etcd.js';
export { MilvusCluster } from './milvus-cluster.js';
export type { MilvusClusterProps } from './milvus-cluster.js';
export { MILVUS_CONFIG_DIR, MILVUS_CONFIG_FILE, MILVUS_CONFIG_NAME, MilvusConfig } from './milvus-config.js';
export type { MilvusConfigProps } from './milvus-config.js';
export { MILVUS_DATA_DIR, MIN_READY_SECONDS, MilvusRoleWorkload, NODE_LOSS_TOLERATION_SECONDS, nodeLossTolerations, roleSelector } from './role-workload.js';
export type { MilvusRelease, MilvusRoleWorkloadProps } from './role-workload.js';
export { MILVUS_METRICS, PENDING_INDEX_TASK_STATES, pendingTaskMatchers } from './metrics.js';
export { COMPONENT_LABEL, METRICS_PORT, METRICS_PORT_NAME, milvusRoles, PROXY_PORT, ROLE_TRAITS, roleWorkloadName } from './roles.js';
export type { MilvusRolesProps, RoleInstance, RoleTraits } from './roles.js';
export { assertKnownMetrics, CATALOGED_MILVUS_VERSIONS, EXPORTER_METRICS, metricProblems, milvusMetricCatalog, selectorsIn } from './metric-catalog.js';
export type { CatalogMetric, MetricCatalog, MetricProblem, MetricType, SelectorUse } from './metric-catalog.js';
