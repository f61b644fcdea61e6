// The ClusterSpec, declared once: what a platform engineer writes for one cluster
// (clusters/<name>/cluster.ts). Its TypeScript types (types.ts, `Static<typeof ...>`), its
// structural validation (structure.ts, ajv) and its published JSON Schema
// (schema/cluster-spec.schema.json, with these doc comments as descriptions) all derive from the
// declarations below: keys, enum values and number bounds are written here and nowhere else.
// Rules across fields (min <= max, a zone of the region) are in rules.ts.
//
// Each field's doc comment is what editors show on the field and what the JSON Schema says of it
// (scripts/json-schema.mjs reads them from this file); keep the `@default` in it.

import { Type, type Static, type StringOptions, type TObject, type TOptional, type TProperties, type TSchema, type TUnsafe } from '@sinclair/typebox/type';
import { NODE_CLASSES, type NodeClass } from './placement.js';
import { RISK_IDS, RISKS, type RiskId } from './risks.js';
import { MILVUS_ROLES } from './roles.js';
import { KUBERNETES_VERSION_LIST } from './versions.js';

/**
 * What a failed keyword says after the field path, by keyword, in place of the generic sentence
 * (the `errorMessage` annotation, shaped as ajv-errors reads it). `pattern` and `maxLength` follow
 * the value: `(<value>) <text>`; `type` is followed by the value: `<text>, got <value>`.
 */
export interface ErrorMessages {
  readonly pattern?: string;
  readonly maxLength?: string;
  readonly type?: string;
  readonly minItems?: string;
}

// ---- Building blocks: every object is closed (unknown keys are errors) and titled. ----

/** A closed object schema named `title` (the name of its TypeScript type). */
const Obj = <T extends TProperties>(title: string, properties: T): TObject<T> => Type.Object(properties, { title, additionalProperties: false });

/** A non-empty string. */
const Str = (options: StringOptions = {}) => Type.String({ minLength: 1, ...options });

/** A non-empty string matching `re`, described as `what` when it does not. */
const Matching = (re: RegExp, what: string, options: StringOptions = {}) =>
  Str({ ...options, pattern: re.source, errorMessage: { pattern: `must be ${what}` } });

/** An integer in [minimum, maximum]. */
const Int = (minimum: number, maximum?: number) => Type.Integer(maximum === undefined ? { minimum } : { minimum, maximum });

/** A number above zero. */
const Positive = () => Type.Number({ exclusiveMinimum: 0 });

/** One of `values` (a JSON Schema `enum`), typed as their union. */
const Enum = <const T extends readonly string[]>(values: T, title?: string): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ ...(title === undefined ? {} : { title }), type: 'string', enum: [...values] });

/** A list of `items`; `what` names them in the message for a value that is not a list. */
const List = <T extends TSchema>(items: T, what: string, minItems?: { count: number; message: string }) =>
  Type.Array(items, {
    ...(minItems ? { minItems: minItems.count } : {}),
    errorMessage: { type: `must be a list of ${what}`, ...(minItems ? { minItems: minItems.message } : {}) },
  });

/** A closed object with an optional `value(key)` under each of `keys` (a `Partial<Record<K, V>>`). */
function PartialRecord<K extends string, V extends TSchema>(title: string, keys: readonly K[], value: (key: K) => V): TObject<{ [P in K]: TOptional<V> }> {
  const properties = Object.fromEntries(keys.map((k) => [k, Type.Optional(value(k))])) as unknown as { [P in K]: TOptional<V> };
  return Type.Object(properties, { title, additionalProperties: false });
}

const Opt = Type.Optional;

// ---- Values shared with validation's rules and messages. ----

/** A lowercase DNS label (RFC 1123): what cluster names, namespaces and Secret names must be. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Longest cluster name: it prefixes IAM role names (64 characters at most) and EventBridge rule names. */
export const MAX_CLUSTER_NAME = 32;

/** An AWS region name (us-east-1, eu-west-1, us-gov-west-1). */
export const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/;

/** An S3 key prefix without leading or trailing slash. */
const KEY_PREFIX = /^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/;

/** The lifecycle stages, in the order messages list them. */
export const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;

/** The node provisioners. */
export const NODE_PROVISIONERS = ['karpenter', 'cluster-autoscaler'] as const;

/** The size presets (SIZE_PRESETS in defaults.ts has exactly these). */
export const MILVUS_SIZES = ['small', 'medium', 'large'] as const;

// ---- The declaration. ----

/** The lifecycle stage of a cluster; it selects default sizes and protections. */
export type Environment = Static<typeof Environment>;
export const Environment = Enum(ENVIRONMENTS, 'Environment');

/** Which controller adds EC2 capacity when pods are pending. */
export type NodeProvisioner = Static<typeof NodeProvisioner>;
export const NodeProvisioner = Enum(NODE_PROVISIONERS, 'NodeProvisioner');

/** A preset that fills in per-role resources and replica bounds the spec leaves out. */
export type MilvusSize = Static<typeof MilvusSize>;
export const MilvusSize = Enum(MILVUS_SIZES, 'MilvusSize');

/** Kubernetes minor versions this repository renders for (see versions.ts for why these). */
export type KubernetesVersion = Static<typeof KubernetesVersion>;
export const KubernetesVersion = Enum(KUBERNETES_VERSION_LIST, 'KubernetesVersion');

/** CPU and memory as Kubernetes quantities, e.g. `{ cpu: '500m', memory: '2Gi' }`. */
export type ResourceQuantities = Static<typeof ResourceQuantities>;
export const ResourceQuantities = Obj('ResourceQuantities', {
  /** CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role */
  cpu: Opt(Str()),
  /** Memory quantity (`"8Gi"`). @default the size preset's value for the role */
  memory: Opt(Str()),
});

/** Requests and limits of one role's container. */
export type ResourcesSpec = Static<typeof ResourcesSpec>;
export const ResourcesSpec = Obj('ResourcesSpec', {
  /** What the scheduler reserves. @default the size preset's requests for the role */
  requests: Opt(ResourceQuantities),
  /** The hard ceiling; memory limit = request is recommended for query nodes. @default the size preset's limits */
  limits: Opt(ResourceQuantities),
});

/** The schema of a fixed-count role that runs at most `maxReplicas` (MILVUS_ROLES). */
const fixedRole = (maxReplicas: number) =>
  Obj('FixedRoleSpec', {
    /** Number of pods. @default the size preset's value for the role */
    replicas: Opt(Int(1, maxReplicas)),
    /** Container resources. @default the size preset's resources for the role */
    resources: Opt(ResourcesSpec),
  });

/** A role that runs a fixed number of replicas (coordinators, streaming nodes). */
export type FixedRoleSpec = Static<ReturnType<typeof fixedRole>>;

/** A role whose replica count is owned by an autoscaler between two bounds. */
export type ScalableRoleSpec = Static<typeof ScalableRoleSpec>;
export const ScalableRoleSpec = Obj('ScalableRoleSpec', {
  /** Fewest pods the autoscaler keeps (>= 1). @default the size preset's value for the role */
  minReplicas: Opt(Int(1)),
  /** Most pods the autoscaler may run. @default the size preset's value for the role */
  maxReplicas: Opt(Int(1)),
  /** Container resources. @default the size preset's resources for the role */
  resources: Opt(ResourcesSpec),
});

/** Woodpecker: the WAL of Milvus 2.6 written to the cluster's own bucket; no broker to run. */
export type WoodpeckerQueueSpec = Static<typeof WoodpeckerQueueSpec>;
export const WoodpeckerQueueSpec = Obj('WoodpeckerQueueSpec', {
  /** The queue kind. */
  type: Type.Literal('woodpecker'),
  /**
   * `embedded` runs Woodpecker inside the streaming nodes; `service` runs it as its own StatefulSet.
   * @default 'embedded' (the upstream default, no extra pods)
   */
  mode: Opt(Enum(['embedded', 'service'])),
});

/**
 * A route from the cluster's private subnets to the Kafka VPC. The stack adds the route to every
 * private route table; the other side (accepting the peering or sharing the transit gateway, the
 * brokers' security group admitting this VPC's block on the broker port) belongs to the Kafka
 * VPC's owner.
 */
export type KafkaNetworkPath = Static<typeof KafkaNetworkPath>;
export const KafkaNetworkPath = Obj('KafkaNetworkPath', {
  /** The Kafka VPC's IPv4 block; must not overlap aws.vpcCidr. */
  cidr: Str(),
  /** An accepted VPC peering connection (`pcx-...`) to the Kafka VPC. One of this or transitGatewayId. */
  vpcPeeringConnectionId: Opt(Matching(/^pcx-[0-9a-f]{8,17}$/, 'a VPC peering connection id (pcx-...)')),
  /** A transit gateway (`tgw-...`) the Kafka VPC is attached to; the stack attaches this VPC. */
  transitGatewayId: Opt(Matching(/^tgw-[0-9a-f]{8,17}$/, 'a transit gateway id (tgw-...)')),
});

/** An external Kafka the cluster does not run itself (MSK or self-managed). */
export type KafkaQueueSpec = Static<typeof KafkaQueueSpec>;
export const KafkaQueueSpec = Obj('KafkaQueueSpec', {
  /** The queue kind. */
  type: Type.Literal('kafka'),
  /** Bootstrap brokers as `host:port`; at least one. */
  brokers: List(Matching(/^[a-zA-Z0-9.-]+:[0-9]{1,5}$/, 'host:port'), 'brokers as host:port', {
    count: 1,
    message: 'must list at least one broker as host:port',
  }),
  /**
   * How the cluster's VPC reaches the brokers' VPC. Required for MSK brokers
   * (`*.kafka.<region>.amazonaws.com`), which live in a VPC of their own.
   * @default none: the brokers are reachable without a route of this stack's making
   */
  network: Opt(KafkaNetworkPath),
});

/** An external Pulsar the cluster does not run itself. */
export type PulsarQueueSpec = Static<typeof PulsarQueueSpec>;
export const PulsarQueueSpec = Obj('PulsarQueueSpec', {
  /** The queue kind. */
  type: Type.Literal('pulsar'),
  /** Host name of the Pulsar proxy or broker service, without scheme. */
  address: Matching(/^[a-zA-Z0-9.-]+$/, 'a host name without scheme or port'),
  /** Binary protocol port. @default 6650 */
  port: Opt(Int(1, 65535)),
  /** Pulsar tenant. @default 'public' */
  tenant: Opt(Str()),
  /** Pulsar namespace. @default 'default' */
  namespace: Opt(Str()),
});

/** The write-ahead log / message queue of Milvus. */
export type MessageQueueSpec = Static<typeof MessageQueueSpec>;
export const MessageQueueSpec = Type.Union([WoodpeckerQueueSpec, KafkaQueueSpec, PulsarQueueSpec], { title: 'MessageQueueSpec' });

/** etcd, where Milvus keeps its metadata (the one state S3 alone does not hold). */
export type EtcdSpec = Static<typeof EtcdSpec>;
export const EtcdSpec = Obj('EtcdSpec', {
  /** Size of each member's encrypted gp3 volume. @default '20Gi' ('10Gi' in dev) */
  storageSize: Opt(Str()),
  /** Cron schedule (UTC) of the snapshot to S3. @default '0 * * * *' (hourly) */
  snapshotSchedule: Opt(Str()),
  /** Snapshots kept in the bucket; older ones are deleted by the backup job. @default 48 */
  snapshotsRetained: Opt(Int(1, 10000)),
});

/** Milvus in distributed mode. */
export type MilvusSpec = Static<typeof MilvusSpec>;
export const MilvusSpec = Obj('MilvusSpec', {
  /**
   * Exact Milvus release, `major.minor.patch` (`2.6.15`). The minor selects the topology:
   * 2.5 runs index nodes and an external queue, 2.6 runs streaming nodes.
   */
  version: Matching(/^[0-9]+\.[0-9]+\.[0-9]+$/, 'an exact release such as "2.6.15"'),
  /** Preset for every sizing field left out. @default 'medium' ('small' in dev) */
  size: Opt(MilvusSize),
  /** Namespace Milvus and its etcd run in. @default 'milvus' */
  namespace: Opt(Matching(DNS_LABEL, 'a lowercase DNS label')),
  /**
   * The WAL. Required for 2.5 (Kafka or Pulsar).
   * @default `{ type: 'woodpecker', mode: 'embedded' }` for 2.6
   */
  messageQueue: Opt(MessageQueueSpec),
  /** Client-facing proxies (gRPC 19530). @default from the size preset */
  proxy: Opt(ScalableRoleSpec),
  /** The mixed coordinator (root, query and data coordination in one process). @default from the size preset */
  mixCoord: Opt(fixedRole(MILVUS_ROLES.mixcoord.maxReplicas)),
  /** Query nodes serving sealed segments; scaled by HPA. @default from the size preset */
  queryNode: Opt(ScalableRoleSpec),
  /** Data nodes (flush and compaction; in 2.6 also index builds). @default from the size preset */
  dataNode: Opt(ScalableRoleSpec),
  /** Index nodes; Milvus 2.5 only (2.6 builds indexes on data nodes). @default from the size preset on 2.5 */
  indexNode: Opt(ScalableRoleSpec),
  /** Streaming nodes owning the WAL channels; Milvus 2.6 only. @default from the size preset on 2.6 */
  streamingNode: Opt(fixedRole(MILVUS_ROLES.streamingnode.maxReplicas)),
  /**
   * Local cache of each query node (mmap'd segments, disk indexes) on the node's NVMe instance
   * storage, as a Kubernetes quantity. @default the size preset's: '20Gi' small, '100Gi' medium, '300Gi' large
   */
  queryNodeCacheSize: Opt(Str()),
  /** The metadata store. @default see EtcdSpec */
  etcd: Opt(EtcdSpec),
});

/** Where Milvus keeps segments, indexes, binlogs, the Woodpecker WAL and etcd snapshots. */
export type StorageSpec = Static<typeof StorageSpec>;
export const StorageSpec = Obj('StorageSpec', {
  /**
   * S3 bucket name (3-63 chars, lowercase, DNS-compatible).
   * @default `milvus-<cluster>-<accountId>` (account-scoped so it is globally unique)
   */
  bucket: Opt(Type.String()),
  /** Key prefix under which this Milvus instance writes. @default '<cluster>' */
  rootPath: Opt(Matching(KEY_PREFIX, 'a key prefix without leading or trailing slash')),
  /**
   * Bucket of the etcd snapshots: a bucket of its own, apart from Milvus' (whose role cannot list
   * or read it), with S3 Object Lock (governance mode) holding each snapshot for as long as the
   * snapshots kept reach back. @default '<bucket>-backups'
   */
  etcdBackupBucket: Opt(Type.String()),
  /** Key prefix of the etcd snapshots in their bucket. @default 'etcd-backups/<cluster>' */
  etcdBackupPrefix: Opt(Matching(KEY_PREFIX, 'a key prefix without leading or trailing slash')),
  /**
   * A second region the snapshot bucket replicates to (S3 replication into
   * `<etcdBackupBucket>-replica`, itself Object-Locked), so that the loss of the region or of the
   * bucket leaves a copy of the metadata. @default none: no replica
   */
  etcdBackupReplicaRegion: Opt(Matching(AWS_REGION, 'an AWS region such as "us-west-2"')),
  /**
   * Days S3 keeps a deleted or overwritten object's previous version (the bucket is versioned).
   * Must cover the etcd snapshots kept: a restore from the oldest one needs the segment files it
   * names. @default 30
   */
  noncurrentVersionDays: Opt(Int(1, 3650)),
});

/** The capacity ceiling of one node class. */
export type NodeClassLimit = Static<typeof NodeClassLimit>;
export const NodeClassLimit = Obj('NodeClassLimit', {
  /** vCPUs. */
  cpu: Type.Number(),
  /** Memory in GiB. */
  memoryGi: Type.Number(),
});

/** The EC2 capacity side. */
export type NodesSpec = Static<typeof NodesSpec>;
export const NodesSpec = Obj('NodesSpec', {
  /** Which controller provisions nodes. */
  provisioner: NodeProvisioner,
  /** Build GPU indexes (GPU_CAGRA etc.) on a GPU node class. @default false */
  gpuIndexBuild: Opt(Type.Boolean()),
  /**
   * EKS-optimized AL2023 release the nodes Karpenter launches run: a release tag of
   * awslabs/amazon-eks-ami (`v20260724`, Karpenter's `al2023@v20260724` alias), or `latest` to take
   * each release as AWS publishes it. Changing it drifts every Karpenter node onto the new AMI,
   * paced by the pools' disruption budgets: try a release on a non-prod Karpenter cluster first.
   * A prod cluster on Karpenter must pin one; a Cluster Autoscaler cluster must leave it out. EKS
   * managed node groups (all of a Cluster Autoscaler cluster's, the few that run Karpenter itself)
   * keep the release EKS gave them. @default 'latest'
   */
  amiVersion: Opt(Matching(/^(latest|v[0-9]{8})$/, '"latest" or a release tag of awslabs/amazon-eks-ami such as "v20260724"')),
  /**
   * Most capacity each node class may grow to: a cost guardrail (Karpenter NodePool limits, ASG
   * maximum sizes). Validation checks that every role fits at its maximum replicas. Karpenter
   * counts it per NodePool: the index class's spot pool and its on-demand fallback get it each.
   * @default per class, by environment: 1000 cores / 8000 GiB in prod, 200 / 1600 in staging, 64 / 512 in dev
   */
  limits: Opt(PartialRecord('NodeClassLimits', Object.keys(NODE_CLASSES) as NodeClass[], () => NodeClassLimit)),
});

/** Targets for the query-node HPA. */
export type QueryNodeAutoscalingSpec = Static<typeof QueryNodeAutoscalingSpec>;
export const QueryNodeAutoscalingSpec = Obj('QueryNodeAutoscalingSpec', {
  /** Average CPU utilization target, percent of requests. @default 70 */
  cpuUtilization: Opt(Int(1, 100)),
  /** Average memory utilization target, percent of requests. @default 75 */
  memoryUtilization: Opt(Int(1, 100)),
  /** Ready read tasks waiting per query node (`milvus_querynode_read_task_ready_len`). @default 8 */
  queueDepthPerPod: Opt(Positive()),
  /** P99 search latency the HPA steers to, below the alerting SLO. @default 150 */
  p99LatencyMs: Opt(Positive()),
});

/** How index building scales. */
export type IndexAutoscalingSpec = Static<typeof IndexAutoscalingSpec>;
export const IndexAutoscalingSpec = Obj('IndexAutoscalingSpec', {
  /** Pending index build tasks per replica before another replica is added. @default 2 */
  pendingTasksPerReplica: Opt(Int(1)),
  /**
   * Scale index nodes to zero when idle (renders a KEDA ScaledObject instead of an HPA). Milvus
   * 2.5 only: on 2.6 the data nodes build indexes and also compact, so they never go to zero.
   * @default false
   */
  scaleToZero: Opt(Type.Boolean()),
});

/** Autoscaling targets. */
export type AutoscalingSpec = Static<typeof AutoscalingSpec>;
export const AutoscalingSpec = Obj('AutoscalingSpec', {
  /** Query-node HPA targets. @default see QueryNodeAutoscalingSpec */
  queryNode: Opt(QueryNodeAutoscalingSpec),
  /** Index-build scaling. @default see IndexAutoscalingSpec */
  indexBuild: Opt(IndexAutoscalingSpec),
});

/** kube-prometheus-stack and the alerts on it. */
export type MonitoringSpec = Static<typeof MonitoringSpec>;
export const MonitoringSpec = Obj('MonitoringSpec', {
  /** Prometheus retention (`15d`, `12h`). @default '15d' ('3d' in dev) */
  retention: Opt(Matching(/^([0-9]+(ms|s|m|h|d|w|y))+$/, 'a Prometheus duration such as "15d"')),
  /** Prometheus volume size (gp3). @default '100Gi' ('20Gi' in dev) */
  storageSize: Opt(Str()),
  /** P99 search latency SLO in ms; the latency alert fires above it. @default 200 */
  searchLatencySloMs: Opt(Positive()),
  /** Fraction of the memory limit at which a query node is reported at OOM risk. @default 0.85 */
  queryNodeMemoryAlertRatio: Opt(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  /** Install Grafana with the Milvus dashboards. @default true */
  grafana: Opt(Type.Boolean()),
});

/** The Git repository Flux pulls the rendered manifests from. */
export type GitOpsSpec = Static<typeof GitOpsSpec>;
export const GitOpsSpec = Obj('GitOpsSpec', {
  /** Repository URL Flux clones (`ssh://git@github.com/org/repo.git` or `https://...`). */
  repositoryUrl: Matching(/^(ssh:\/\/[^\s/]+\/\S+|https:\/\/[^\s/]+\/\S+)$/, 'an ssh:// or https:// repository URL'),
  /** Branch holding rendered/. @default 'rendered' */
  branch: Opt(Matching(/^(?!.*\.\.)(?!\/)[A-Za-z0-9._/-]+(?<![./])$/, 'a Git branch name')),
  /** Secret (in flux-system) with the deploy key or token; created out of band. @default 'flux-system' */
  secretRef: Opt(Matching(DNS_LABEL, 'a Secret name (lowercase DNS label)')),
  /** How often Flux polls the branch and reconciles. @default '5m' */
  interval: Opt(Matching(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/, 'a duration such as "5m"')),
});

/** HNSW: an in-memory graph; fast, and the most memory per vector. */
export type HnswIndexSpec = Static<typeof HnswIndexSpec>;
export const HnswIndexSpec = Obj('HnswIndexSpec', {
  /** The index kind. */
  type: Type.Literal('HNSW'),
  /** Links per vector (the graph's degree is 2M on its base layer). @default 16 */
  M: Opt(Int(2, 2048)),
  /** Candidates kept while searching (`ef`, at least top-k). @default 64 */
  ef: Opt(Int(1)),
});

/** IVF_FLAT / IVF_SQ8: vectors in clusters, a search scans `nprobe` of `nlist`; SQ8 keeps 1 byte a dimension. */
export type IvfIndexSpec = Static<typeof IvfIndexSpec>;
export const IvfIndexSpec = Obj('IvfIndexSpec', {
  /** The index kind. */
  type: Enum(['IVF_FLAT', 'IVF_SQ8']),
  /** Clusters per segment. @default 1024 */
  nlist: Opt(Int(1, 65536)),
  /** Clusters scanned per search. @default 16 */
  nprobe: Opt(Int(1)),
});

/** DiskANN: a graph on the query node's NVMe cache with compressed (PQ) vectors in memory. */
export type DiskAnnIndexSpec = Static<typeof DiskAnnIndexSpec>;
export const DiskAnnIndexSpec = Obj('DiskAnnIndexSpec', {
  /** The index kind. */
  type: Type.Literal('DISKANN'),
  /** Candidate list of a search (`search_list`, at least top-k). @default 100 */
  searchList: Opt(Int(1)),
});

/** The vector index of a collection. */
export type VectorIndexSpec = Static<typeof VectorIndexSpec>;
export const VectorIndexSpec = Type.Union([HnswIndexSpec, IvfIndexSpec, DiskAnnIndexSpec], { title: 'VectorIndexSpec' });

/** One collection the cluster serves, as the capacity replay sizes it. */
export type CollectionSpec = Static<typeof CollectionSpec>;
export const CollectionSpec = Obj('CollectionSpec', {
  /** Collection name (for reports). */
  name: Matching(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, 'a Milvus collection name (letters, digits, _; not starting with a digit)'),
  /** Vectors (rows) loaded. */
  vectors: Int(1),
  /** Dimensions of the float32 vector field (Milvus' proxy.maxDimension: 32768). */
  dimension: Int(2, 32768),
  /** In-memory replicas (`load(replica_number=...)`): each serves searches on its own query nodes. @default 1 */
  replicas: Opt(Int(1, 10)),
  /** Shards (virtual channels) of the collection. @default 1 */
  shards: Opt(Int(1, 16)),
  /** Index of the vector field. @default `{ type: 'HNSW', M: 16, ef: 64 }` */
  index: Opt(VectorIndexSpec),
});

/** The query traffic the cluster is sized for. */
export type TrafficSpec = Static<typeof TrafficSpec>;
export const TrafficSpec = Obj('TrafficSpec', {
  /** Baseline searches per second over all collections (the replay's profiles multiply it). */
  searchQps: Positive(),
  /** Rows inserted per second (the data grows by it during a replay). @default 0 */
  insertRowsPerSecond: Opt(Type.Number({ minimum: 0 })),
  /** Results per search (Milvus' quotaAndLimits.limits.topK: 16384). @default 10 */
  topK: Opt(Int(1, 16384)),
  /**
   * CPU core-milliseconds one search costs over all of a collection's segments, measured on the
   * running cluster (rate of query-node CPU seconds over rate of searches); replaces the model's
   * estimate from index and data. @default estimated from the collections
   */
  searchCoreMs: Opt(Positive()),
});

/** What the cluster serves: the capacity replay's input (`gitops replay`). */
export type WorkloadSpec = Static<typeof WorkloadSpec>;
export const WorkloadSpec = Obj('WorkloadSpec', {
  /** Collections loaded. @default one collection of the size preset's: 1M (small), 10M (medium), 50M (large) 768-dimension vectors, HNSW */
  collections: Opt(List(CollectionSpec, 'collections', { count: 1, message: 'must list at least one collection' })),
  /** Query traffic. @default 20 (small), 100 (medium), 300 (large) searches per second, top-10 */
  traffic: Opt(TrafficSpec),
});

/** The AWS account, region and zones of the cluster. */
export type AwsSpec = Static<typeof AwsSpec>;
export const AwsSpec = Obj('AwsSpec', {
  /** 12-digit AWS account id. */
  accountId: Matching(/^[0-9]{12}$/, 'a 12-digit AWS account id'),
  /** AWS region, e.g. `us-east-1`. */
  region: Matching(AWS_REGION, 'an AWS region such as us-east-1'),
  /** Zones of the region the cluster spans (3 for an etcd quorum across zones). */
  availabilityZones: List(Str(), 'zone names'),
  /**
   * IAM roles of the cluster's own account (`arn:aws:iam::<accountId>:role/<name>`, a path is
   * allowed) that administer the cluster: each gets an EKS access entry with
   * AmazonEKSClusterAdminPolicy. The cluster authenticates through access entries only and the
   * identity that runs `terraform apply` gets no admin access of its own, so without one nobody can
   * reach the Kubernetes API (the Flux bootstrap needs it).
   * @default [] (none)
   */
  adminRoleArns: Opt(List(Str(), 'IAM role ARNs')),
  /**
   * The VPC's IPv4 address space: a private (RFC 1918) block of prefix /16 to /20, aligned on its
   * prefix (`10.10.0.0/16`, not `10.10.1.0/16`). Each zone gets a private subnet of one eighth of it
   * (a /19 of a /16) for nodes and pods, and a public subnet of 1/256 (a /24 of a /16) for internet
   * load balancers, after the private ones. Two clusters of the fleet must not overlap (fleet
   * check), so that their networks can be peered or joined by a transit gateway. Changing it
   * replaces the VPC and everything in it.
   * @default '10.0.0.0/16'
   */
  vpcCidr: Opt(Str()),
  /**
   * Whether the Kubernetes API has a public endpoint besides the private one in the VPC (always
   * on; nodes use it). A public endpoint admits only `publicAccessCidrs`, which must then be given:
   * nothing here opens the API to the whole internet by default.
   * @default true when `publicAccessCidrs` lists a block, else false (private endpoint only: reach
   * the API from inside the VPC, through a VPN, Direct Connect or a bastion)
   */
  endpointPublicAccess: Opt(Type.Boolean()),
  /**
   * The source networks that may reach the public endpoint (IPv4 CIDR blocks, e.g. the operators'
   * VPN egress). Required when `endpointPublicAccess` is true; `0.0.0.0/0` is refused for prod.
   * @default [] (none)
   */
  publicAccessCidrs: Opt(List(Str(), 'IPv4 CIDR blocks')),
});

/** The Kubernetes side. */
export type KubernetesSpec = Static<typeof KubernetesSpec>;
export const KubernetesSpec = Obj('KubernetesSpec', {
  /** EKS minor version; cdk8s-plus-29 sets the API floor at 1.29. */
  version: KubernetesVersion,
  /**
   * The Kubernetes schemas to validate against when the schema source has none for `version`:
   * an explicit, reviewed acceptance (validation otherwise refuses to guess).
   * @default `version` (and an error where the source lacks it)
   */
  schemaVersion: Opt(KubernetesVersion),
});

/**
 * One cluster, as committed in clusters/<name>/cluster.ts. Plain data: no logic, no imports but
 * this type. Everything optional has a default applied by `resolveClusterSpec`.
 */
export type ClusterSpec = Static<typeof ClusterSpec>;
export const ClusterSpec = Obj('ClusterSpec', {
  /** Cluster name: the EKS cluster, the folder under rendered/, the prefix of AWS names. DNS label, <= 32 chars. */
  name: Str({
    maxLength: MAX_CLUSTER_NAME,
    pattern: DNS_LABEL.source,
    errorMessage: {
      maxLength: `must be at most ${MAX_CLUSTER_NAME} characters (it prefixes IAM role names)`,
      pattern: 'must be a lowercase DNS label (a-z, 0-9, "-")',
    },
  }),
  /** Lifecycle stage; selects size defaults. */
  environment: Environment,
  /** Account, region, zones. */
  aws: AwsSpec,
  /** Kubernetes version. */
  kubernetes: KubernetesSpec,
  /** The Milvus deployment. */
  milvus: MilvusSpec,
  /** Object storage. @default see StorageSpec */
  storage: Opt(StorageSpec),
  /** Node provisioning. */
  nodes: NodesSpec,
  /** Autoscaling targets. @default see AutoscalingSpec */
  autoscaling: Opt(AutoscalingSpec),
  /** Monitoring. @default see MonitoringSpec */
  monitoring: Opt(MonitoringSpec),
  /** Where Flux pulls from. */
  gitops: GitOpsSpec,
  /** The data and traffic the cluster serves, for `gitops replay`. @default see WorkloadSpec */
  workload: Opt(WorkloadSpec),
  /**
   * Risky changes this pull request makes on purpose, by id (see RISKS), each with why it is safe:
   * `gitops diff` then reports them as warnings instead of errors. Remove them once merged.
   * @default none
   */
  acknowledgedRisks: Opt(PartialRecord('AcknowledgedRisks', RISK_IDS, (id) => Str({ description: `Why it is safe, in a sentence, that ${RISKS[id]}.` }))),
});

// ---- Compile-time checks: the declaration agrees with the tables it cannot derive from. ----

/** Whether A and B are the same type (not merely assignable both ways: optional keys count). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type MilvusFields = Static<typeof MilvusSpec>;
type Roles = (typeof MILVUS_ROLES)[keyof typeof MILVUS_ROLES];
/** The MilvusSpec fields that size a role are exactly the table's spec keys, each of the table's replica kind. */
type RoleFieldKinds = {
  [R in Roles as R['specKey']]: R['replicas'] extends 'fixed' ? FixedRoleSpec : Static<typeof ScalableRoleSpec>;
};
type RoleFieldsAgree = Same<{ [K in keyof RoleFieldKinds]: NonNullable<MilvusFields[K]> }, RoleFieldKinds>;
type RiskKeysAgree = Same<keyof NonNullable<Static<typeof ClusterSpec>['acknowledgedRisks']>, RiskId>;
const _agree: [RoleFieldsAgree, RiskKeysAgree] = [true, true];
