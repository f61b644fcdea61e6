// Generated from schema/cluster-spec.schema.json by `pnpm --filter @milvus-gitops/spec schema`
// (json-schema-to-typescript): edit libs/spec/src/schema.ts, not this file.

/**
 * One cluster, as committed in clusters/<name>/cluster.ts. Plain data: no logic, no imports but this type. Everything optional has a default applied by `resolveClusterSpec`.
 */
export interface ClusterSpec {
  /**
   * Cluster name: the EKS cluster, the folder under rendered/, the prefix of AWS names. DNS label, <= 32 chars.
   */
  name: string;
  /**
   * Lifecycle stage; selects size defaults.
   */
  environment: 'prod' | 'staging' | 'dev';
  /**
   * Account, region, zones.
   */
  aws: {
    /**
     * 12-digit AWS account id.
     */
    accountId: string;
    /**
     * AWS region, e.g. `us-east-1`.
     */
    region: string;
    /**
     * Zones of the region the cluster spans (3 for an etcd quorum across zones).
     */
    availabilityZones: string[];
    /**
     * IAM roles of the cluster's own account (`arn:aws:iam::<accountId>:role/<name>`, a path is allowed) that administer the cluster: each gets an EKS access entry with AmazonEKSClusterAdminPolicy. The cluster authenticates through access entries only and the identity that runs `terraform apply` gets no admin access of its own, so without one nobody can reach the Kubernetes API (the Flux bootstrap needs it). @default [] (none)
     */
    adminRoleArns?: string[];
    /**
     * The VPC's IPv4 address space: a private (RFC 1918) block of prefix /16 to /20, aligned on its prefix (`10.10.0.0/16`, not `10.10.1.0/16`). Each zone gets a private subnet of one eighth of it (a /19 of a /16) for nodes and pods, and a public subnet of 1/256 (a /24 of a /16) for internet load balancers, after the private ones. Two clusters of the fleet must not overlap (fleet check), so that their networks can be peered or joined by a transit gateway. Changing it replaces the VPC and everything in it. @default '10.0.0.0/16'
     */
    vpcCidr?: string;
    /**
     * Whether the Kubernetes API has a public endpoint besides the private one in the VPC (always on; nodes use it). A public endpoint admits only `publicAccessCidrs`, which must then be given: nothing here opens the API to the whole internet by default. @default true when `publicAccessCidrs` lists a block, else false (private endpoint only: reach the API from inside the VPC, through a VPN, Direct Connect or a bastion)
     */
    endpointPublicAccess?: boolean;
    /**
     * The source networks that may reach the public endpoint (IPv4 CIDR blocks, e.g. the operators' VPN egress). Required when `endpointPublicAccess` is true; `0.0.0.0/0` is refused for prod. @default [] (none)
     */
    publicAccessCidrs?: string[];
  };
  /**
   * Kubernetes version.
   */
  kubernetes: {
    /**
     * EKS minor version; cdk8s-plus-29 sets the API floor at 1.29.
     */
    version: '1.29' | '1.30' | '1.31' | '1.32' | '1.33' | '1.34';
    /**
     * The Kubernetes schemas to validate against when the schema source has none for `version`: an explicit, reviewed acceptance (validation otherwise refuses to guess). @default `version` (and an error where the source lacks it)
     */
    schemaVersion?: '1.29' | '1.30' | '1.31' | '1.32' | '1.33' | '1.34';
  };
  /**
   * The Milvus deployment.
   */
  milvus: {
    /**
     * Exact Milvus release, `major.minor.patch` (`2.6.15`). The minor selects the topology: 2.5 runs index nodes and an external queue, 2.6 runs streaming nodes.
     */
    version: string;
    /**
     * Preset for every sizing field left out. @default 'medium' ('small' in dev)
     */
    size?: 'small' | 'medium' | 'large';
    /**
     * Namespace Milvus and its etcd run in. @default 'milvus'
     */
    namespace?: string;
    /**
     * The WAL. Required for 2.5 (Kafka or Pulsar). @default `{ type: 'woodpecker', mode: 'embedded' }` for 2.6
     */
    messageQueue?:
      | {
          /**
           * The queue kind.
           */
          type: 'woodpecker';
          /**
           * `embedded` runs Woodpecker inside the streaming nodes; `service` runs it as its own StatefulSet. @default 'embedded' (the upstream default, no extra pods)
           */
          mode?: 'embedded' | 'service';
        }
      | {
          /**
           * The queue kind.
           */
          type: 'kafka';
          /**
           * Bootstrap brokers as `host:port`; at least one.
           *
           * @minItems 1
           */
          brokers: string[];
          /**
           * How the cluster's VPC reaches the brokers' VPC. Required for MSK brokers (`*.kafka.<region>.amazonaws.com`), which live in a VPC of their own. @default none: the brokers are reachable without a route of this stack's making
           */
          network?: {
            /**
             * The Kafka VPC's IPv4 block; must not overlap aws.vpcCidr.
             */
            cidr: string;
            /**
             * An accepted VPC peering connection (`pcx-...`) to the Kafka VPC. One of this or transitGatewayId.
             */
            vpcPeeringConnectionId?: string;
            /**
             * A transit gateway (`tgw-...`) the Kafka VPC is attached to; the stack attaches this VPC.
             */
            transitGatewayId?: string;
          };
        }
      | {
          /**
           * The queue kind.
           */
          type: 'pulsar';
          /**
           * Host name of the Pulsar proxy or broker service, without scheme.
           */
          address: string;
          /**
           * Binary protocol port. @default 6650
           */
          port?: number;
          /**
           * Pulsar tenant. @default 'public'
           */
          tenant?: string;
          /**
           * Pulsar namespace. @default 'default'
           */
          namespace?: string;
        };
    /**
     * Client-facing proxies (gRPC 19530). @default from the size preset
     */
    proxy?: {
      /**
       * Fewest pods the autoscaler keeps (>= 1). @default the size preset's value for the role
       */
      minReplicas?: number;
      /**
       * Most pods the autoscaler may run. @default the size preset's value for the role
       */
      maxReplicas?: number;
      /**
       * Container resources. @default the size preset's resources for the role
       */
      resources?: {
        /**
         * What the scheduler reserves. @default the size preset's requests for the role
         */
        requests?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
        /**
         * The hard ceiling; memory limit = request is recommended for query nodes. @default the size preset's limits
         */
        limits?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
      };
    };
    /**
     * The mixed coordinator (root, query and data coordination in one process). @default from the size preset
     */
    mixCoord?: {
      /**
       * Number of pods. @default the size preset's value for the role
       */
      replicas?: number;
      /**
       * Container resources. @default the size preset's resources for the role
       */
      resources?: {
        /**
         * What the scheduler reserves. @default the size preset's requests for the role
         */
        requests?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
        /**
         * The hard ceiling; memory limit = request is recommended for query nodes. @default the size preset's limits
         */
        limits?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
      };
    };
    /**
     * Query nodes serving sealed segments; scaled by HPA. @default from the size preset
     */
    queryNode?: {
      /**
       * Fewest pods the autoscaler keeps (>= 1). @default the size preset's value for the role
       */
      minReplicas?: number;
      /**
       * Most pods the autoscaler may run. @default the size preset's value for the role
       */
      maxReplicas?: number;
      /**
       * Container resources. @default the size preset's resources for the role
       */
      resources?: {
        /**
         * What the scheduler reserves. @default the size preset's requests for the role
         */
        requests?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
        /**
         * The hard ceiling; memory limit = request is recommended for query nodes. @default the size preset's limits
         */
        limits?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
      };
    };
    /**
     * Data nodes (flush and compaction; in 2.6 also index builds). @default from the size preset
     */
    dataNode?: {
      /**
       * Fewest pods the autoscaler keeps (>= 1). @default the size preset's value for the role
       */
      minReplicas?: number;
      /**
       * Most pods the autoscaler may run. @default the size preset's value for the role
       */
      maxReplicas?: number;
      /**
       * Container resources. @default the size preset's resources for the role
       */
      resources?: {
        /**
         * What the scheduler reserves. @default the size preset's requests for the role
         */
        requests?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
        /**
         * The hard ceiling; memory limit = request is recommended for query nodes. @default the size preset's limits
         */
        limits?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
      };
    };
    /**
     * Index nodes; Milvus 2.5 only (2.6 builds indexes on data nodes). @default from the size preset on 2.5
     */
    indexNode?: {
      /**
       * Fewest pods the autoscaler keeps (>= 1). @default the size preset's value for the role
       */
      minReplicas?: number;
      /**
       * Most pods the autoscaler may run. @default the size preset's value for the role
       */
      maxReplicas?: number;
      /**
       * Container resources. @default the size preset's resources for the role
       */
      resources?: {
        /**
         * What the scheduler reserves. @default the size preset's requests for the role
         */
        requests?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
        /**
         * The hard ceiling; memory limit = request is recommended for query nodes. @default the size preset's limits
         */
        limits?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
      };
    };
    /**
     * Streaming nodes owning the WAL channels; Milvus 2.6 only. @default from the size preset on 2.6
     */
    streamingNode?: {
      /**
       * Number of pods. @default the size preset's value for the role
       */
      replicas?: number;
      /**
       * Container resources. @default the size preset's resources for the role
       */
      resources?: {
        /**
         * What the scheduler reserves. @default the size preset's requests for the role
         */
        requests?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
        /**
         * The hard ceiling; memory limit = request is recommended for query nodes. @default the size preset's limits
         */
        limits?: {
          /**
           * CPU quantity (`"2"`, `"500m"`). @default the size preset's value for the role
           */
          cpu?: string;
          /**
           * Memory quantity (`"8Gi"`). @default the size preset's value for the role
           */
          memory?: string;
        };
      };
    };
    /**
     * Local cache of each query node (mmap'd segments, disk indexes) on the node's NVMe instance storage, as a Kubernetes quantity. @default the size preset's: '20Gi' small, '100Gi' medium, '300Gi' large
     */
    queryNodeCacheSize?: string;
    /**
     * The metadata store. @default see EtcdSpec
     */
    etcd?: {
      /**
       * Size of each member's encrypted gp3 volume. @default '20Gi' ('10Gi' in dev)
       */
      storageSize?: string;
      /**
       * Cron schedule (UTC) of the snapshot to S3. @default '0 * * * *' (hourly)
       */
      snapshotSchedule?: string;
      /**
       * Snapshots kept in the bucket; older ones are deleted by the backup job. @default 48
       */
      snapshotsRetained?: number;
    };
  };
  /**
   * Object storage. @default see StorageSpec
   */
  storage?: {
    /**
     * S3 bucket name (3-63 chars, lowercase, DNS-compatible). @default `milvus-<cluster>-<accountId>` (account-scoped so it is globally unique)
     */
    bucket?: string;
    /**
     * Key prefix under which this Milvus instance writes. @default '<cluster>'
     */
    rootPath?: string;
    /**
     * Bucket of the etcd snapshots: a bucket of its own, apart from Milvus' (whose role cannot list or read it), with S3 Object Lock (governance mode) holding each snapshot for as long as the snapshots kept reach back. @default '<bucket>-backups'
     */
    etcdBackupBucket?: string;
    /**
     * Key prefix of the etcd snapshots in their bucket. @default 'etcd-backups/<cluster>'
     */
    etcdBackupPrefix?: string;
    /**
     * A second region the snapshot bucket replicates to (S3 replication into `<etcdBackupBucket>-replica`, itself Object-Locked), so that the loss of the region or of the bucket leaves a copy of the metadata. @default none: no replica
     */
    etcdBackupReplicaRegion?: string;
    /**
     * Days S3 keeps a deleted or overwritten object's previous version (the bucket is versioned). Must cover the etcd snapshots kept: a restore from the oldest one needs the segment files it names. @default 30
     */
    noncurrentVersionDays?: number;
  };
  /**
   * Node provisioning.
   */
  nodes: {
    /**
     * Which controller provisions nodes.
     */
    provisioner: 'karpenter' | 'cluster-autoscaler';
    /**
     * Build GPU indexes (GPU_CAGRA etc.) on a GPU node class. @default false
     */
    gpuIndexBuild?: boolean;
    /**
     * EKS-optimized AL2023 release the nodes Karpenter launches run: a release tag of awslabs/amazon-eks-ami (`v20260724`, Karpenter's `al2023@v20260724` alias), or `latest` to take each release as AWS publishes it. Changing it drifts every Karpenter node onto the new AMI, paced by the pools' disruption budgets: try a release on a non-prod Karpenter cluster first. A prod cluster on Karpenter must pin one; a Cluster Autoscaler cluster must leave it out. EKS managed node groups (all of a Cluster Autoscaler cluster's, the few that run Karpenter itself) keep the release EKS gave them. @default 'latest'
     */
    amiVersion?: string;
    /**
     * Most capacity each node class may grow to: a cost guardrail (Karpenter NodePool limits, ASG maximum sizes). Validation checks that every role fits at its maximum replicas. Karpenter counts it per NodePool: the index class's spot pool and its on-demand fallback get it each. @default per class, by environment: 1000 cores / 8000 GiB in prod, 200 / 1600 in staging, 64 / 512 in dev
     */
    limits?: {
      /**
       * The capacity ceiling of one node class.
       */
      system?: {
        /**
         * vCPUs.
         */
        cpu: number;
        /**
         * Memory in GiB.
         */
        memoryGi: number;
      };
      /**
       * The capacity ceiling of one node class.
       */
      query?: {
        /**
         * vCPUs.
         */
        cpu: number;
        /**
         * Memory in GiB.
         */
        memoryGi: number;
      };
      /**
       * The capacity ceiling of one node class.
       */
      index?: {
        /**
         * vCPUs.
         */
        cpu: number;
        /**
         * Memory in GiB.
         */
        memoryGi: number;
      };
      /**
       * The capacity ceiling of one node class.
       */
      data?: {
        /**
         * vCPUs.
         */
        cpu: number;
        /**
         * Memory in GiB.
         */
        memoryGi: number;
      };
      /**
       * The capacity ceiling of one node class.
       */
      'gpu-index'?: {
        /**
         * vCPUs.
         */
        cpu: number;
        /**
         * Memory in GiB.
         */
        memoryGi: number;
      };
    };
  };
  /**
   * Autoscaling targets. @default see AutoscalingSpec
   */
  autoscaling?: {
    /**
     * Query-node HPA targets. @default see QueryNodeAutoscalingSpec
     */
    queryNode?: {
      /**
       * Average CPU utilization target, percent of requests. @default 70
       */
      cpuUtilization?: number;
      /**
       * Average memory utilization target, percent of requests. @default 75
       */
      memoryUtilization?: number;
      /**
       * Ready read tasks waiting per query node (`milvus_querynode_read_task_ready_len`). @default 8
       */
      queueDepthPerPod?: number;
      /**
       * P99 search latency the HPA steers to, below the alerting SLO. @default 150
       */
      p99LatencyMs?: number;
    };
    /**
     * Index-build scaling. @default see IndexAutoscalingSpec
     */
    indexBuild?: {
      /**
       * Pending index build tasks per replica before another replica is added. @default 2
       */
      pendingTasksPerReplica?: number;
      /**
       * Scale index nodes to zero when idle (renders a KEDA ScaledObject instead of an HPA). Milvus 2.5 only: on 2.6 the data nodes build indexes and also compact, so they never go to zero. @default false
       */
      scaleToZero?: boolean;
    };
  };
  /**
   * Monitoring. @default see MonitoringSpec
   */
  monitoring?: {
    /**
     * Prometheus retention (`15d`, `12h`). @default '15d' ('3d' in dev)
     */
    retention?: string;
    /**
     * Prometheus volume size (gp3). @default '100Gi' ('20Gi' in dev)
     */
    storageSize?: string;
    /**
     * P99 search latency SLO in ms; the latency alert fires above it. @default 200
     */
    searchLatencySloMs?: number;
    /**
     * Fraction of the memory limit at which a query node is reported at OOM risk. @default 0.85
     */
    queryNodeMemoryAlertRatio?: number;
    /**
     * Install Grafana with the Milvus dashboards. @default true
     */
    grafana?: boolean;
  };
  /**
   * Where Flux pulls from.
   */
  gitops: {
    /**
     * Repository URL Flux clones (`ssh://git@github.com/org/repo.git` or `https://...`).
     */
    repositoryUrl: string;
    /**
     * Branch holding rendered/. @default 'rendered'
     */
    branch?: string;
    /**
     * Secret (in flux-system) with the deploy key or token; created out of band. @default 'flux-system'
     */
    secretRef?: string;
    /**
     * How often Flux polls the branch and reconciles. @default '5m'
     */
    interval?: string;
  };
  /**
   * The data and traffic the cluster serves, for `gitops replay`. @default see WorkloadSpec
   */
  workload?: {
    /**
     * Collections loaded. @default one collection of the size preset's: 1M (small), 10M (medium), 50M (large) 768-dimension vectors, HNSW
     *
     * @minItems 1
     *
     * Items: One collection the cluster serves, as the capacity replay sizes it.
     */
    collections?: {
      /**
       * Collection name (for reports).
       */
      name: string;
      /**
       * Vectors (rows) loaded.
       */
      vectors: number;
      /**
       * Dimensions of the float32 vector field (Milvus' proxy.maxDimension: 32768).
       */
      dimension: number;
      /**
       * In-memory replicas (`load(replica_number=...)`): each serves searches on its own query nodes. @default 1
       */
      replicas?: number;
      /**
       * Shards (virtual channels) of the collection. @default 1
       */
      shards?: number;
      /**
       * Index of the vector field. @default `{ type: 'HNSW', M: 16, ef: 64 }`
       */
      index?:
        | {
            /**
             * The index kind.
             */
            type: 'HNSW';
            /**
             * Links per vector (the graph's degree is 2M on its base layer). @default 16
             */
            M?: number;
            /**
             * Candidates kept while searching (`ef`, at least top-k). @default 64
             */
            ef?: number;
          }
        | {
            /**
             * The index kind.
             */
            type: 'IVF_FLAT' | 'IVF_SQ8';
            /**
             * Clusters per segment. @default 1024
             */
            nlist?: number;
            /**
             * Clusters scanned per search. @default 16
             */
            nprobe?: number;
          }
        | {
            /**
             * The index kind.
             */
            type: 'DISKANN';
            /**
             * Candidate list of a search (`search_list`, at least top-k). @default 100
             */
            searchList?: number;
          };
    }[];
    /**
     * Query traffic. @default 20 (small), 100 (medium), 300 (large) searches per second, top-10
     */
    traffic?: {
      /**
       * Baseline searches per second over all collections (the replay's profiles multiply it).
       */
      searchQps: number;
      /**
       * Rows inserted per second (the data grows by it during a replay). @default 0
       */
      insertRowsPerSecond?: number;
      /**
       * Results per search (Milvus' quotaAndLimits.limits.topK: 16384). @default 10
       */
      topK?: number;
      /**
       * CPU core-milliseconds one search costs over all of a collection's segments, measured on the running cluster (rate of query-node CPU seconds over rate of searches); replaces the model's estimate from index and data. @default estimated from the collections
       */
      searchCoreMs?: number;
    };
  };
  /**
   * Risky changes this pull request makes on purpose, by id (see RISKS), each with why it is safe: `gitops diff` then reports them as warnings instead of errors. Remove them once merged. @default none
   */
  acknowledgedRisks?: {
    /**
     * Why it is safe, in a sentence, that terraform would destroy node groups, the cluster, the bucket, a KMS key or the VPC.
     */
    'infra-destroy'?: string;
    /**
     * Why it is safe, in a sentence, that the node provisioner changes (Cluster Autoscaler and Karpenter).
     */
    'provisioner-change'?: string;
    /**
     * Why it is safe, in a sentence, that Milvus moves to another minor release.
     */
    'milvus-minor-upgrade'?: string;
    /**
     * Why it is safe, in a sentence, that Milvus goes back a minor release.
     */
    'milvus-downgrade'?: string;
    /**
     * Why it is safe, in a sentence, that the message queue (WAL) changes.
     */
    'message-queue-change'?: string;
    /**
     * Why it is safe, in a sentence, that an object holding data leaves the render.
     */
    'data-removed'?: string;
    /**
     * Why it is safe, in a sentence, that an object changes a field Kubernetes does not let an update change (a StatefulSet's volume claim templates or service name, a workload's selector, a StorageClass).
     */
    'immutable-field-change'?: string;
    /**
     * Why it is safe, in a sentence, that a production cluster changes.
     */
    'prod-change'?: string;
  };
}
