// Dev in us-west-2: the smallest cluster that still has the production shape, for trying changes.
import type { ClusterSpec } from '@milvus-gitops/spec/cluster-spec';

export const cluster: ClusterSpec = {
  name: 'dev-us-west-2',
  environment: 'dev',
  aws: {
    accountId: '777788889999',
    // The operators' role: EKS access entries give it cluster admin (nobody else has access).
    adminRoleArns: ['arn:aws:iam::777788889999:role/platform-operators'],
    region: 'us-west-2',
    availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
    // The cluster's address space; every cluster of the fleet has its own /16 (the fleet check).
    vpcCidr: '10.30.0.0/16',
    // The public API endpoint admits only the operators' VPN egress (nodes use the private one).
    publicAccessCidrs: ['203.0.113.0/24'],
  },
  kubernetes: { version: '1.33' },
  milvus: {
    version: '2.6.15',
    size: 'small',
    queryNode: { minReplicas: 1, maxReplicas: 3 },
  },
  nodes: { provisioner: 'karpenter' },
  autoscaling: { queryNode: { queueDepthPerPod: 16 } },
  gitops: { repositoryUrl: 'ssh://git@github.com/acme/milvus-eks-gitops.git', interval: '1m' },
};
