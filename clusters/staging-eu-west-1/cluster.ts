// Staging in eu-west-1: still on Milvus 2.5 with the shared MSK Kafka, and on Cluster Autoscaler
// until its node groups move to Karpenter.
import type { ClusterSpec } from '@milvus-gitops/spec/cluster-spec';

export const cluster: ClusterSpec = {
  name: 'staging-eu-west-1',
  environment: 'staging',
  aws: {
    accountId: '444455556666',
    // The operators' role: EKS access entries give it cluster admin (nobody else has access).
    adminRoleArns: ['arn:aws:iam::444455556666:role/platform-operators'],
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    // The cluster's address space; every cluster of the fleet has its own /16 (the fleet check).
    vpcCidr: '10.20.0.0/16',
    // The public API endpoint admits only the operators' VPN egress (nodes use the private one).
    publicAccessCidrs: ['203.0.113.0/24'],
  },
  // The schema mirror has 1.29 and 1.33, not 1.32: 1.32 objects are checked against 1.33 (and 1.29).
  kubernetes: { version: '1.32', schemaVersion: '1.33' },
  milvus: {
    version: '2.5.26',
    size: 'medium',
    messageQueue: {
      type: 'kafka',
      brokers: [
        'b-1.staging-msk.abc123.c4.kafka.eu-west-1.amazonaws.com:9092',
        'b-2.staging-msk.abc123.c4.kafka.eu-west-1.amazonaws.com:9092',
        'b-3.staging-msk.abc123.c4.kafka.eu-west-1.amazonaws.com:9092',
      ],
      // The shared MSK cluster's VPC, reached over an accepted peering connection; the stack
      // routes its block from every private subnet. The MSK security group must admit
      // 10.20.0.0/16 on 9092 (owned by the MSK VPC's stack).
      network: { cidr: '10.200.0.0/16', vpcPeeringConnectionId: 'pcx-0a1b2c3d4e5f67890' },
    },
    queryNode: { minReplicas: 2, maxReplicas: 8 },
    indexNode: { minReplicas: 1, maxReplicas: 4 },
  },
  storage: { bucket: 'acme-milvus-staging-eu-west-1' },
  nodes: { provisioner: 'cluster-autoscaler' },
  // Index builds come in nightly batches here: no index node runs between them.
  autoscaling: { indexBuild: { scaleToZero: true, pendingTasksPerReplica: 4 } },
  monitoring: { retention: '7d' },
  gitops: { repositoryUrl: 'ssh://git@github.com/acme/milvus-eks-gitops.git' },
};
