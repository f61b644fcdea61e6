// The ClusterSpec: what a platform engineer writes for one cluster (clusters/<name>/cluster.ts),
// and the ResolvedClusterSpec that every construct reads once defaults have been applied. The
// ClusterSpec and its parts are declared once, in schema.ts, as TypeBox schemas; their types are
// `Static<typeof ...>` of those declarations (doc comments included) and are re-exported here.

import type { RiskId } from './risks.js';
import type {
  AwsSpec,
  DiskAnnIndexSpec,
  Environment,
  EtcdSpec,
  GitOpsSpec,
  HnswIndexSpec,
  IndexAutoscalingSpec,
  IvfIndexSpec,
  KafkaNetworkPath,
  KubernetesSpec,
  MilvusSize,
  MonitoringSpec,
  NodeClassLimit,
  NodeProvisioner,
  QueryNodeAutoscalingSpec,
  ResourceQuantities,
  StorageSpec,
  TrafficSpec,
} from './schema.js';

export type {
  AwsSpec,
  AutoscalingSpec,
  ClusterSpec,
  CollectionSpec,
  DiskAnnIndexSpec,
  Environment,
  EtcdSpec,
  FixedRoleSpec,
  GitOpsSpec,
  HnswIndexSpec,
  IndexAutoscalingSpec,
  IvfIndexSpec,
  KafkaNetworkPath,
  KafkaQueueSpec,
  KubernetesSpec,
  KubernetesVersion,
  MessageQueueSpec,
  MilvusSize,
  MilvusSpec,
  MonitoringSpec,
  NodeClassLimit,
  NodeProvisioner,
  NodesSpec,
  PulsarQueueSpec,
  QueryNodeAutoscalingSpec,
  ResourceQuantities,
  ResourcesSpec,
  ScalableRoleSpec,
  StorageSpec,
  TrafficSpec,
  VectorIndexSpec,
  WoodpeckerQueueSpec,
  WorkloadSpec,
} from './schema.js';

// ---- Resolved form: every default applied, nothing optional that a construct needs. ----

/** Requests and limits with every value present. */
export interface ResolvedResources {
  requests: Required<ResourceQuantities>;
  limits: Required<ResourceQuantities>;
}

/** A fixed role after defaults. */
export interface ResolvedFixedRole {
  replicas: number;
  resources: ResolvedResources;
}

/** A scalable role after defaults. */
export interface ResolvedScalableRole {
  minReplicas: number;
  maxReplicas: number;
  resources: ResolvedResources;
}

/** The queue after defaults. */
export type ResolvedMessageQueue =
  | { type: 'woodpecker'; mode: 'embedded' | 'service' }
  | { type: 'kafka'; brokers: string[]; network?: KafkaNetworkPath }
  | { type: 'pulsar'; address: string; port: number; tenant: string; namespace: string };

/** What every minor's resolved Milvus has. */
interface ResolvedMilvusCommon {
  /** Exact release, `major.minor.patch`. */
  version: string;
  /** The image, `milvusdb/milvus:v<version>`. */
  image: string;
  /** The size preset the defaults came from. */
  size: MilvusSize;
  /** Namespace of Milvus and its etcd. */
  namespace: string;
  /** The WAL. */
  messageQueue: ResolvedMessageQueue;
  /** Client-facing proxies. */
  proxy: ResolvedScalableRole;
  /** The mixed coordinator. */
  mixCoord: ResolvedFixedRole;
  /** Query nodes. */
  queryNode: ResolvedScalableRole;
  /** Data nodes. */
  dataNode: ResolvedScalableRole;
  /** Each query node's local cache, a Kubernetes quantity. */
  queryNodeCacheSize: string;
  /** The metadata store. */
  etcd: Required<EtcdSpec>;
}

/** Milvus 2.5 after defaults: index nodes, no streaming nodes. */
export interface ResolvedMilvus25 extends ResolvedMilvusCommon {
  /** Derived from version. */
  minor: '2.5';
  /** Index nodes (2.5 builds indexes there). */
  indexNode: ResolvedScalableRole;
  /** Absent: 2.5 has no streaming nodes. */
  streamingNode?: never;
}

/** Milvus 2.6 after defaults: streaming nodes, no index nodes. */
export interface ResolvedMilvus26 extends ResolvedMilvusCommon {
  /** Derived from version. */
  minor: '2.6';
  /** Absent: 2.6 builds indexes on the data nodes. */
  indexNode?: never;
  /** Streaming nodes owning the WAL channels. */
  streamingNode: ResolvedFixedRole;
}

/**
 * Milvus after defaults, by minor: the role fields are exactly the roles that minor runs
 * (MILVUS_ROLES in roles.ts, checked against this union at compile time).
 */
export type ResolvedMilvus = ResolvedMilvus25 | ResolvedMilvus26;

/** Fields of MilvusSpec (and ResolvedMilvus) that size a Milvus role; MILVUS_ROLES maps each role to one. */
export type MilvusRoleKey = 'proxy' | 'mixCoord' | 'queryNode' | 'dataNode' | 'indexNode' | 'streamingNode';

/** Milvus minors with a topology this repository knows. */
export type MilvusMinor = '2.5' | '2.6';

/** The fully resolved spec every app and construct reads. */
export interface ResolvedClusterSpec {
  name: string;
  environment: Environment;
  aws: Required<AwsSpec>;
  kubernetes: KubernetesSpec;
  milvus: ResolvedMilvus;
  storage: Required<Omit<StorageSpec, 'etcdBackupReplicaRegion'>> & Pick<StorageSpec, 'etcdBackupReplicaRegion'>;
  nodes: {
    provisioner: NodeProvisioner;
    gpuIndexBuild: boolean;
    amiVersion: string;
    limits: Record<'system' | 'query' | 'index' | 'data' | 'gpu-index', NodeClassLimit>;
  };
  autoscaling: { queryNode: Required<QueryNodeAutoscalingSpec>; indexBuild: Required<IndexAutoscalingSpec> };
  monitoring: Required<MonitoringSpec>;
  gitops: Required<GitOpsSpec>;
  workload: ResolvedWorkload;
  acknowledgedRisks: Partial<Record<RiskId, string>>;
}

/** A vector index with every parameter present. */
export type ResolvedVectorIndex = Required<HnswIndexSpec> | Required<IvfIndexSpec> | Required<DiskAnnIndexSpec>;

/** A collection after defaults. */
export interface ResolvedCollection {
  name: string;
  vectors: number;
  dimension: number;
  index: ResolvedVectorIndex;
  replicas: number;
  shards: number;
}

/** The workload after defaults; `searchCoreMs` stays absent unless measured. */
export interface ResolvedWorkload {
  collections: ResolvedCollection[];
  traffic: Required<Omit<TrafficSpec, 'searchCoreMs'>> & Pick<TrafficSpec, 'searchCoreMs'>;
}
