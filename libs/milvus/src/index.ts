// Public surface of @milvus-gitops/milvus.

export { ETCD_CLIENT_PORT, ETCD_MEMBERS, ETCD_NAME, ETCD_PEER_PORT, etcdClientService, milvusUserConfig } from './config.js';
export { MILVUS_CONFIG_DIR, MILVUS_CONFIG_FILE, MILVUS_CONFIG_NAME, MilvusConfig } from './milvus-config.js';
export type { MilvusConfigProps } from './milvus-config.js';
