// The ClusterSpec: what a platform engineer writes for one cluster (clusters/<name>/cluster.ts),
// and the ResolvedClusterSpec that every construct reads once defaults have been applied.

import type { RiskId } from './risks.js';

/** The lifecycle stage of a cluster; it selects default sizes and protections. */
export type Environment = 'prod' | 'staging' | 'dev';

/** Which controller adds EC2 capacity when pods are pending. */
export type NodeProvisioner = 'karpenter' | 'cluster-autoscaler';

/** A preset that fills in per-role resources and replica bounds the spec leaves out. */
export type MilvusSize = 'small' | 'medium' | 'large';

/** Kubernetes minor versions this repository renders for (see versions.ts for why these). */
export type KubernetesVersion = '1.29' | '1.30' | '1.31' | '1.32' | '1.33' | '1.34';

/** CPU and memory as Kubernetes quantities, e.g. `{ cpu: '500m', memory: '2Gi' }`. */
export interface ResourceQuantities {
  /** CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role */
  cpu?: string;
  /** Memory quantity (`"8Gi"`). @default the size preset's value for the role */
  memory?: string;
}

/** Requests and limits of one role's container. */
export interface ResourcesSpec {
  /** What the scheduler reserves. @default the size preset's requests for the role */
  requests?: ResourceQuantities;
  /** The hard ceiling; memory limit = request is recommended for query nodes. @default the size preset's limits */
  limits?: ResourceQuantities;
}

/** A role that runs a fixed number of replicas (coordinators, streaming nodes). */
export interface FixedRoleSpec {
  /** Number of pods. @default the size preset's value for the role */
  replicas?: number;
  /** Container resources. @default the size preset's resources for the role */
  resources?: ResourcesSpec;
}

/** A role whose replica count is owned by an autoscaler between two bounds. */
export interface ScalableRoleSpec {
  /** Fewest pods the autoscaler keeps (>= 1). @default the size preset's value for the role */
  minReplicas?: number;
  /** Most pods the autoscaler may run. @default the size preset's value for the role */
  maxReplicas?: number;
  /** Container resources. @default the size preset's resources for the role */
  resources?: ResourcesSpec;
}

/** Woodpecker: the WAL of Milvus 2.6 written to the cluster's own bucket; no broker to run. */
export interface WoodpeckerQueueSpec {
  type: 'woodpecker';
  /**
   * `embedded` runs Woodpecker inside the streaming nodes; `service` runs it as its own StatefulSet.
   * @default 'embedded' (the upstream default, no extra pods)
   */
  mode?: 'embedded' | 'service';
}

/** An external Kafka the cluster does not run itself (MSK or self-managed). */
export interface KafkaQueueSpec {
  type: 'kafka';
  /** Bootstrap brokers as `host:port`; at least one. */
  brokers: string[];
  /**
   * How the cluster's VPC reaches the brokers' VPC. Required for MSK brokers
   * (`*.kafka.<region>.amazonaws.com`), which live in a VPC of their own.
   * @default none: the brokers are reachable without a route of this stack's making
   */
  network?: KafkaNetworkPath;
}

/**
 * A route from the cluster's private subnets to the Kafka VPC. The stack adds the route to every
 * private route table; the other side (accepting the peering or sharing the transit gateway, the
 * brokers' security group admitting this VPC's block on the broker port) belongs to the Kafka
 * VPC's owner.
 */
export interface KafkaNetworkPath {
  /** The Kafka VPC's IPv4 block; must not overlap aws.vpcCidr. */
  cidr: string;
  /** An accepted VPC peering connection (`pcx-...`) to the Kafka VPC. One of this or transitGatewayId. */
  vpcPeeringConnectionId?: string;
  /** A transit gateway (`tgw-...`) the Kafka VPC is attached to; the stack attaches this VPC. */
  transitGatewayId?: string;
}

/** An external Pulsar the cluster does not run itself. */
export interface PulsarQueueSpec {
  type: 'pulsar';
  /** Host name of the Pulsar proxy or broker service, without scheme. */
  address: string;
  /** Binary protocol port. @default 6650 */
  port?: number;
  /** Pulsar tenant. @default 'public' */
  tenant?: string;
  /** Pulsar namespace. @default 'default' */
  namespace?: string;
}

/** The write-ahead log / message queue of Milvus. */
export type MessageQueueSpec = WoodpeckerQueueSpec | KafkaQueueSpec | PulsarQueueSpec;

/** etcd, where Milvus keeps its metadata (the one state S3 alone does not hold). */
export interface EtcdSpec {
  /** Size of each member's encrypted gp3 volume. @default '20Gi' ('10Gi' in dev) */
  storageSize?: string;
  /** Cron schedule (UTC) of the snapshot to S3. @default '0 * * * *' (hourly) */
  snapshotSchedule?: string;
  /** Snapshots kept in the bucket; older ones are deleted by the backup job. @default 48 */
  snapshotsRetained?: number;
}

/** Milvus in distributed mode. */
export interface MilvusSpec {
  /**
   * Exact Milvus release, `major.minor.patch` (`2.6.15`). The minor selects the topology:
   * 2.5 runs index nodes and an external queue, 2.6 runs streaming nodes.
   */
  version: string;
  /** Preset for every sizing field left out. @default 'medium' ('small' in dev) */
  size?: MilvusSize;
  /** Namespace Milvus and its etcd run in. @default 'milvus' */
  namespace?: string;
  /**
   * The WAL. Required for 2.5 (Kafka or Pulsar).
   * @default `{ type: 'woodpecker', mode: 'embedded' }` for 2.6
   */
  messageQueue?: MessageQueueSpec;
  /** Client-facing proxies (gRPC 19530). @default from the size preset */
  proxy?: ScalableRoleSpec;
  /** The mixed coordinator (root, query and data coordination in one process). @default from the size preset */
  mixCoord?: FixedRoleSpec;
  /** Query nodes serving sealed segments; scaled by HPA. @default from the size preset */
  queryNode?: ScalableRoleSpec;
  /** Data nodes (flush and compaction; in 2.6 also index builds). @default from the size preset */
  dataNode?: ScalableRoleSpec;
  /** Index nodes; Milvus 2.5 only (2.6 builds indexes on data nodes). @default from the size preset on 2.5 */
  indexNode?: ScalableRoleSpec;
  /** Streaming nodes owning the WAL channels; Milvus 2.6 only. @default from the size preset on 2.6 */
  streamingNode?: FixedRoleSpec;
  /**
   * Local cache of each query node (mmap'd segments, disk indexes) on the node's NVMe instance
   * storage, as a Kubernetes quantity. @default the size preset's: '20Gi' small, '100Gi' medium, '300Gi' large
   */
  queryNodeCacheSize?: string;
  /** The metadata store. @default see EtcdSpec */
  etcd?: EtcdSpec;
}

/** Where Milvus keeps segments, indexes, binlogs, the Woodpecker WAL and etcd snapshots. */
export interface StorageSpec {
  /**
   * S3 bucket name (3-63 chars, lowercase, DNS-compatible).
   * @default `milvus-<cluster>-<accountId>` (account-scoped so it is globally unique)
   */
  bucket?: string;
  /** Key prefix under which this Milvus instance writes. @default '<cluster>' */
  rootPath?: string;
  /**
   * Bucket of the etcd snapshots: a bucket of its own, apart from Milvus' (whose role cannot list
   * or read it), with S3 Object Lock (governance mode) holding each snapshot for as long as the
   * snapshots kept reach back. @default '<bucket>-backups'
   */
  etcdBackupBucket?: string;
  /** Key prefix of the etcd snapshots in their bucket. @default 'etcd-backups/<cluster>' */
  etcdBackupPrefix?: string;
  /**
   * A second region the snapshot bucket replicates to (S3 replication into
   * `<etcdBackupBucket>-replica`, itself Object-Locked), so that the loss of the region or of the
   * bucket leaves a copy of the metadata. @default none: no replica
   */
  etcdBackupReplicaRegion?: string;
  /**
   * Days S3 keeps a deleted or overwritten object's previous version (the bucket is versioned).
   * Must cover the etcd snapshots kept: a restore from the oldest one needs the segment files it
   * names. @default 30
   */
  noncurrentVersionDays?: number;
}

/** The EC2 capacity side. */
export interface NodesSpec {
  /** Which controller provisions nodes. */
  provisioner: NodeProvisioner;
  /** Build GPU indexes (GPU_CAGRA etc.) on a GPU node class. @default false */
  gpuIndexBuild?: boolean;
  /**
   * Most capacity each node class may grow to: a cost guardrail (Karpenter NodePool limits, ASG
   * maximum sizes). Validation checks that every role fits at its maximum replicas.
   * @default per class, by environment: 1000 cores / 8000 GiB in prod, 200 / 1600 in staging, 64 / 512 in dev
   */
  limits?: Partial<Record<'system' | 'query' | 'index' | 'data' | 'gpu-index', NodeClassLimit>>;
}

/** The capacity ceiling of one node class. */
export interface NodeClassLimit {
  /** vCPUs. */
  cpu: number;
  /** Memory in GiB. */
  memoryGi: number;
}

/** Targets for the query-node HPA. */
export interface QueryNodeAutoscalingSpec {
  /** Average CPU utilization target, percent of requests. @default 70 */
  cpuUtilization?: number;
  /** Average memory utilization target, percent of requests. @default 75 */
  memoryUtilization?: number;
  /** Ready read tasks waiting per query node (`milvus_querynode_read_task_ready_len`). @default 8 */
  queueDepthPerPod?: number;
  /** P99 search latency the HPA steers to, below the alerting SLO. @default 150 */
  p99LatencyMs?: number;
}

/** How index building scales. */
export interface IndexAutoscalingSpec {
  /** Pending index build tasks per replica before another replica is added. @default 2 */
  pendingTasksPerReplica?: number;
  /**
   * Scale index nodes to zero when idle (renders a KEDA ScaledObject instead of an HPA). Milvus
   * 2.5 only: on 2.6 the data nodes build indexes and also compact, so they never go to zero.
   * @default false
   */
  scaleToZero?: boolean;
}

/** Autoscaling targets. */
export interface AutoscalingSpec {
  /** Query-node HPA targets. @default see QueryNodeAutoscalingSpec */
  queryNode?: QueryNodeAutoscalingSpec;
  /** Index-build scaling. @default see IndexAutoscalingSpec */
  indexBuild?: IndexAutoscalingSpec;
}

/** kube-prometheus-stack and the alerts on it. */
export interface MonitoringSpec {
  /** Prometheus retention (`15d`, `12h`). @default '15d' ('3d' in dev) */
  retention?: string;
  /** Prometheus volume size (gp3). @default '100Gi' ('20Gi' in dev) */
  storageSize?: string;
  /** P99 search latency SLO in ms; the latency alert fires above it. @default 200 */
  searchLatencySloMs?: number;
  /** Fraction of the memory limit at which a query node is reported at OOM risk. @default 0.85 */
  queryNodeMemoryAlertRatio?: number;
  /** Install Grafana with the Milvus dashboards. @default true */
  grafana?: boolean;
}

/** The Git repository Flux pulls the rendered manifests from. */
export interface GitOpsSpec {
  /** Repository URL Flux clones (`ssh://git@github.com/org/repo.git` or `https://...`). */
  repositoryUrl: string;
  /** Branch holding rendered/. @default 'rendered' */
  branch?: string;
  /** Secret (in flux-system) with the deploy key or token; created out of band. @default 'flux-system' */
  secretRef?: string;
  /** How often Flux polls the branch and reconciles. @default '5m' */
  interval?: string;
}

/** HNSW: an in-memory graph; fast, and the most memory per vector. */
export interface HnswIndexSpec {
  type: 'HNSW';
  /** Links per vector (the graph's degree is 2M on its base layer). @default 16 */
  M?: number;
  /** Candidates kept while searching (`ef`, at least top-k). @default 64 */
  ef?: number;
}

/** IVF_FLAT / IVF_SQ8: vectors in clusters, a search scans `nprobe` of `nlist`; SQ8 keeps 1 byte a dimension. */
export interface IvfIndexSpec {
  type: 'IVF_FLAT' | 'IVF_SQ8';
  /** Clusters per segment. @default 1024 */
  nlist?: number;
  /** Clusters scanned per search. @default 16 */
  nprobe?: number;
}

/** DiskANN: a graph on the query node's NVMe cache with compressed (PQ) vectors in memory. */
export interface DiskAnnIndexSpec {
  type: 'DISKANN';
  /** Candidate list of a search (`search_list`, at least top-k). @default 100 */
  searchList?: number;
}

/** The vector index of a collection. */
export type VectorIndexSpec = HnswIndexSpec | IvfIndexSpec | DiskAnnIndexSpec;

/** One collection the cluster serves, as the capacity replay sizes it. */
export interface CollectionSpec {
  /** Collection name (for reports). */
  name: string;
  /** Vectors (rows) loaded. */
  vectors: number;
  /** Dimensions of the float32 vector field. */
  dimension: number;
  /** Index of the vector field. @default `{ type: 'HNSW', M: 16, ef: 64 }` */
  index?: VectorIndexSpec;
  /** In-memory replicas (`load(replica_number=...)`): each serves searches on its own query nodes. @default 1 */
  replicas?: number;
  /** Shards (virtual channels) of the collection. @default 1 */
  shards?: number;
}

/** The query traffic the cluster is sized for. */
export interface TrafficSpec {
  /** Baseline searches per second over all collections (the replay's profiles multiply it). */
  searchQps: number;
  /** Rows inserted per second (the data grows by it during a replay). @default 0 */
  insertRowsPerSecond?: number;
  /** Results per search. @default 10 */
  topK?: number;
  /**
   * CPU core-milliseconds one search costs over all of a collection's segments, measured on the
   * running cluster (rate of query-node CPU seconds over rate of searches); replaces the model's
   * estimate from index and data. @default estimated from the collections
   */
  searchCoreMs?: number;
}

/** What the cluster serves: the capacity replay's input (`gitops replay`). */
export interface WorkloadSpec {
  /** Collections loaded. @default one collection of the size preset's: 1M (small), 10M (medium), 50M (large) 768-dimension vectors, HNSW */
  collections?: CollectionSpec[];
  /** Query traffic. @default 20 (small), 100 (medium), 300 (large) searches per second, top-10 */
  traffic?: TrafficSpec;
}

/** The AWS account, region and zones of the cluster. */
export interface AwsSpec {
  /** 12-digit AWS account id. */
  accountId: string;
  /** AWS region, e.g. `us-east-1`. */
  region: string;
  /** Zones of the region the cluster spans (3 for an etcd quorum across zones). */
  availabilityZones: string[];
  /**
   * IAM roles of the cluster's own account (`arn:aws:iam::<accountId>:role/<name>`, a path is
   * allowed) that administer the cluster: each gets an EKS access entry with
   * AmazonEKSClusterAdminPolicy. The cluster authenticates through access entries only and the
   * identity that runs `terraform apply` gets no admin access of its own, so without one nobody can
   * reach the Kubernetes API (the Flux bootstrap needs it).
   * @default [] (none)
   */
  adminRoleArns?: string[];
  /**
   * The VPC's IPv4 address space: a private (RFC 1918) block of prefix /16 to /20, aligned on its
   * prefix (`10.10.0.0/16`, not `10.10.1.0/16`). Each zone gets a private subnet of one eighth of it
   * (a /19 of a /16) for nodes and pods, and a public subnet of 1/256 (a /24 of a /16) for internet
   * load balancers, after the private ones. Two clusters of the fleet must not overlap (fleet
   * check), so that their networks can be peered or joined by a transit gateway. Changing it
   * replaces the VPC and everything in it.
   * @default '10.0.0.0/16'
   */
  vpcCidr?: string;
  /**
   * Whether the Kubernetes API has a public endpoint besides the private one in the VPC (always
   * on; nodes use it). A public endpoint admits only `publicAccessCidrs`, which must then be given:
   * nothing here opens the API to the whole internet by default.
   * @default true when `publicAccessCidrs` lists a block, else false (private endpoint only: reach
   * the API from inside the VPC, through a VPN, Direct Connect or a bastion)
   */
  endpointPublicAccess?: boolean;
  /**
   * The source networks that may reach the public endpoint (IPv4 CIDR blocks, e.g. the operators'
   * VPN egress). Required when `endpointPublicAccess` is true; `0.0.0.0/0` is refused for prod.
   * @default [] (none)
   */
  publicAccessCidrs?: string[];
}

/** The Kubernetes side. */
export interface KubernetesSpec {
  /** EKS minor version; cdk8s-plus-29 sets the API floor at 1.29. */
  version: KubernetesVersion;
  /**
   * The Kubernetes schemas to validate against when the schema source has none for `version`:
   * an explicit, reviewed acceptance (validation otherwise refuses to guess).
   * @default `version` (and an error where the source lacks it)
   */
  schemaVersion?: KubernetesVersion;
}

/**
 * One cluster, as committed in clusters/<name>/cluster.ts. Plain data: no logic, no imports but
 * this type. Everything optional has a default applied by `resolveClusterSpec`.
 */
export interface ClusterSpec {
  /** Cluster name: the EKS cluster, the folder under rendered/, the prefix of AWS names. DNS label, <= 32 chars. */
  name: string;
  /** Lifecycle stage; selects size defaults. */
  environment: Environment;
  /** Account, region, zones. */
  aws: AwsSpec;
  /** Kubernetes version. */
  kubernetes: KubernetesSpec;
  /** The Milvus deployment. */
  milvus: MilvusSpec;
  /** Object storage. @default see StorageSpec */
  storage?: StorageSpec;
  /** Node provisioning. */
  nodes: NodesSpec;
  /** Autoscaling targets. @default see AutoscalingSpec */
  autoscaling?: AutoscalingSpec;
  /** Monitoring. @default see MonitoringSpec */
  monitoring?: MonitoringSpec;
  /** Where Flux pulls from. */
  gitops: GitOpsSpec;
  /** The data and traffic the cluster serves, for `gitops replay`. @default see WorkloadSpec */
  workload?: WorkloadSpec;
  /**
   * Risky changes this pull request makes on purpose, by id (see RISKS), each with why it is safe:
   * `gitops diff` then reports them as warnings instead of errors. Remove them once merged.
   * @default none
   */
  acknowledgedRisks?: Partial<Record<RiskId, string>>;
}

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
  nodes: { provisioner: NodeProvisioner; gpuIndexBuild: boolean; limits: Record<'system' | 'query' | 'index' | 'data' | 'gpu-index', NodeClassLimit> };
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
