// Production in us-east-1: the cluster behind search for the product. Sized for 10x query spikes.
import type { ClusterSpec } from '@milvus-gitops/spec/cluster-spec';

export const cluster: ClusterSpec = {
  name: 'prod-us-east-1',
  environment: 'prod',
  aws: {
    accountId: '111122223333',
    // The operators' role: EKS access entries give it cluster admin (nobody else has access).
    adminRoleArns: ['arn:aws:iam::111122223333:role/platform-operators'],
    region: 'us-east-1',
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    // The cluster's address space; every cluster of the fleet has its own /16 (the fleet check).
    vpcCidr: '10.10.0.0/16',
    // Private API endpoint only: operators reach it over the VPN attached to this VPC.
    endpointPublicAccess: false,
  },
  kubernetes: { version: '1.33' },
  milvus: {
    version: '2.6.15',
    size: 'large',
    messageQueue: { type: 'woodpecker', mode: 'embedded' },
    proxy: { minReplicas: 3, maxReplicas: 10 },
    // Eight query nodes at least: the collection is loaded twice (workload below) so that losing a
    // zone loses no segment, which takes seven for the data (gitops replay), and one more keeps it
    // served through the loss of a node. With one replica, `gitops replay --profile az-loss` shows
    // searches failing for about 50 s while the other nodes load the lost zone's segments; with
    // fewer warm nodes, `--profile spike10x` shows the 10x spike outrunning new nodes. The replay's
    // search cost is the model's estimate until workload.traffic.searchCoreMs is measured here.
    queryNode: { minReplicas: 8, maxReplicas: 20 },
    streamingNode: { replicas: 3 },
    etcd: { storageSize: '50Gi', snapshotsRetained: 72 },
  },
  storage: {
    bucket: 'acme-milvus-prod-us-east-1',
    // The etcd snapshots (Object-Locked, in acme-milvus-prod-us-east-1-backups) are replicated
    // to us-west-2: a regional outage or a lost bucket still leaves the metadata.
    etcdBackupReplicaRegion: 'us-west-2',
  },
  // AL2023 release of awslabs/amazon-eks-ami, promoted here after dev and staging.
  nodes: { provisioner: 'karpenter', gpuIndexBuild: false, amiVersion: 'v20260724' },
  autoscaling: {
    queryNode: { cpuUtilization: 65, memoryUtilization: 75, queueDepthPerPod: 8, p99LatencyMs: 150 },
    indexBuild: { pendingTasksPerReplica: 2 },
  },
  monitoring: { retention: '30d', storageSize: '200Gi', searchLatencySloMs: 200 },
  // What the cluster serves: the capacity replay's input (gitops replay).
  workload: {
    collections: [{ name: 'products', vectors: 50_000_000, dimension: 768, index: { type: 'HNSW', M: 16, ef: 64 }, replicas: 2 }],
    traffic: { searchQps: 500, topK: 10 },
  },
  gitops: { repositoryUrl: 'ssh://git@github.com/acme/milvus-eks-gitops.git' },
};
