// The risky changes `gitops diff` recognizes, by id. A cluster's spec may acknowledge one that
// would otherwise be an error (`acknowledgedRisks`), with the reason it is safe this time; the
// acknowledgement is read from the head of the change, so it is reviewed with the change.

/** Ids of the risky changes, each with what it means. */
export const RISKS = {
  'infra-destroy': 'terraform would destroy node groups, the cluster, the bucket, a KMS key or the VPC',
  'provisioner-change': 'the node provisioner changes (Cluster Autoscaler and Karpenter)',
  'milvus-minor-upgrade': 'Milvus moves to another minor release',
  'milvus-downgrade': 'Milvus goes back a minor release',
  'message-queue-change': 'the message queue (WAL) changes',
  'data-removed': 'an object holding data leaves the render',
  'immutable-field-change':
    "an object changes a field Kubernetes does not let an update change (a StatefulSet's volume claim templates or service name, a workload's selector, a StorageClass)",
  'prod-change': 'a production cluster changes',
} as const;

/** A risky change's id. */
export type RiskId = keyof typeof RISKS;

/** Every risk id. */
export const RISK_IDS = Object.keys(RISKS) as RiskId[];
