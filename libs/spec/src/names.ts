// Every identifier that crosses layers (Kubernetes <-> AWS) is derived here and only here, so that
// an IRSA annotation can never point at a role whose trust policy names another ServiceAccount.

import type { ResolvedClusterSpec } from './types.js';

/** Workloads that reach AWS APIs through IRSA. */
export type IrsaWorkload = 'milvus' | 'etcd-backup' | 'karpenter' | 'cluster-autoscaler';

/** A ServiceAccount bound to an IAM role, with both ends named. */
export interface IrsaBinding {
  /** Which workload this is. */
  readonly workload: IrsaWorkload;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccount: string;
  /** IAM role name (<= 64 chars). */
  readonly roleName: string;
  /** IAM role ARN, the value of `eks.amazonaws.com/role-arn`. */
  readonly roleArn: string;
  /** The `sub` claim the role's trust policy admits. */
  readonly subject: string;
}

/** Namespaces of the platform components. */
export interface Namespaces {
  readonly milvus: string;
  readonly monitoring: string;
  readonly karpenter: string;
  readonly clusterAutoscaler: string;
  readonly fluxSystem: string;
}

/** The annotation that binds a ServiceAccount to an IAM role. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Label on pod templates whose containers call S3; the policy pack checks their IRSA binding. */
export const S3_ACCESS_LABEL = 'milvus-gitops.io/s3-access';

/** Labels every rendered object carries (app.kubernetes.io recommended labels). */
export const MANAGED_BY = 'milvus-eks-gitops';

/** All derived names of one cluster. */
export interface ClusterNames {
  /** The EKS cluster name (= spec name). */
  readonly cluster: string;
  readonly namespaces: Namespaces;
  /** S3 bucket name and ARN. */
  readonly bucket: string;
  readonly bucketArn: string;
  /** Prefix under which Milvus writes (no leading or trailing slash). */
  readonly milvusRootPath: string;
  /** Bucket of the etcd snapshots (apart from Milvus'; Object-Locked) and its ARN. */
  readonly etcdBackupBucket: string;
  readonly etcdBackupBucketArn: string;
  /** Prefix for etcd snapshots in their bucket. */
  readonly etcdBackupPrefix: string;
  /** The snapshot bucket's replica in another region, if the spec asks for one. */
  readonly etcdBackupReplica: { readonly region: string; readonly bucket: string; readonly bucketArn: string } | undefined;
  /** Root path of this Milvus instance's keys in etcd. */
  readonly etcdRootPath: string;
  /** Regional S3 endpoint host. */
  readonly s3Endpoint: string;
  /** In-cluster URL of the Prometheus that kube-prometheus-stack installs (release `kube-prometheus-stack`). */
  readonly prometheusUrl: string;
  /** The IRSA binding of each workload this cluster runs. */
  readonly irsa: Readonly<Partial<Record<IrsaWorkload, IrsaBinding>>>;
  /** IAM role name and instance profile of Karpenter-launched nodes. */
  readonly karpenterNodeRoleName: string;
  /** SQS queue receiving spot interruption and rebalance events for Karpenter. */
  readonly karpenterInterruptionQueue: string;
  /** AWS tags put on every resource of this cluster. */
  readonly tags: Readonly<Record<string, string>>;
  /** Tag (key, value) by which Karpenter discovers subnets and security groups. */
  readonly discoveryTag: { readonly key: string; readonly value: string };
  /** ASG tags by which the Cluster Autoscaler discovers node groups. */
  readonly clusterAutoscalerTags: Readonly<Record<string, string>>;
  /** Node group / NodePool name for a node class. */
  nodeGroup(nodeClass: string): string;
}

function iamName(cluster: string, suffix: string): string {
  // Cluster names are at most 32 chars (validated); the longest suffix keeps this under IAM's 64.
  return `${cluster}-${suffix}`;
}

/** Which IRSA workloads a cluster runs: Milvus and its etcd backup always, plus its node provisioner. */
export function irsaWorkloads(spec: ResolvedClusterSpec): IrsaWorkload[] {
  return ['milvus', 'etcd-backup', spec.nodes.provisioner === 'karpenter' ? 'karpenter' : 'cluster-autoscaler'];
}

/** Derives every cross-layer name of a resolved spec. */
export function clusterNames(spec: ResolvedClusterSpec): ClusterNames {
  const cluster = spec.name;
  const account = spec.aws.accountId;
  const namespaces: Namespaces = {
    milvus: spec.milvus.namespace,
    monitoring: 'monitoring',
    karpenter: 'karpenter',
    clusterAutoscaler: 'kube-system',
    fluxSystem: 'flux-system',
  };
  const saOf: Record<IrsaWorkload, [namespace: string, name: string]> = {
    milvus: [namespaces.milvus, 'milvus'],
    'etcd-backup': [namespaces.milvus, 'etcd-backup'],
    karpenter: [namespaces.karpenter, 'karpenter'],
    'cluster-autoscaler': [namespaces.clusterAutoscaler, 'cluster-autoscaler'],
  };
  const irsa: Partial<Record<IrsaWorkload, IrsaBinding>> = {};
  for (const workload of irsaWorkloads(spec)) {
    const [namespace, serviceAccount] = saOf[workload];
    const roleName = iamName(cluster, workload);
    irsa[workload] = {
      workload,
      namespace,
      serviceAccount,
      roleName,
      roleArn: `arn:aws:iam::${account}:role/${roleName}`,
      subject: `system:serviceaccount:${namespace}:${serviceAccount}`,
    };
  }
  return {
    cluster,
    namespaces,
    bucket: spec.storage.bucket,
    bucketArn: `arn:aws:s3:::${spec.storage.bucket}`,
    milvusRootPath: spec.storage.rootPath,
    etcdBackupBucket: spec.storage.etcdBackupBucket,
    etcdBackupBucketArn: `arn:aws:s3:::${spec.storage.etcdBackupBucket}`,
    etcdBackupPrefix: spec.storage.etcdBackupPrefix,
    etcdBackupReplica: spec.storage.etcdBackupReplicaRegion
      ? {
          region: spec.storage.etcdBackupReplicaRegion,
          bucket: `${spec.storage.etcdBackupBucket}-replica`,
          bucketArn: `arn:aws:s3:::${spec.storage.etcdBackupBucket}-replica`,
        }
      : undefined,
    etcdRootPath: cluster,
    s3Endpoint: `s3.${spec.aws.region}.amazonaws.com`,
    prometheusUrl: `http://kube-prometheus-stack-prometheus.${namespaces.monitoring}.svc.cluster.local:9090`,
    irsa,
    karpenterNodeRoleName: iamName(cluster, 'karpenter-node'),
    karpenterInterruptionQueue: iamName(cluster, 'karpenter-interruption'),
    tags: {
      'milvus-gitops/cluster': cluster,
      'milvus-gitops/environment': spec.environment,
      'managed-by': MANAGED_BY,
    },
    discoveryTag: { key: 'karpenter.sh/discovery', value: cluster },
    clusterAutoscalerTags: {
      'k8s.io/cluster-autoscaler/enabled': 'true',
      [`k8s.io/cluster-autoscaler/${cluster}`]: 'owned',
    },
    nodeGroup: (nodeClass: string) => `${cluster}-${nodeClass}`,
  };
}

// ---- EKS add-ons whose controller reaches AWS through IRSA. The add-on creates the ServiceAccount
// (its name is fixed by the add-on); the IAM role it runs under is this repository's, named here.

/** The CSI provisioner of EBS volumes, as a StorageClass names it. */
export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';

/** The EKS add-on that installs the CSI driver of each StorageClass provisioner the render uses. */
export const CSI_DRIVER_ADDONS: Readonly<Record<string, string>> = { [EBS_CSI_PROVISIONER]: 'aws-ebs-csi-driver' };

/** An EKS add-on whose controller runs under an IRSA role: its ServiceAccount and the role, both named. */
export interface AddonIrsaBinding {
  /** EKS add-on name (`aws eks describe-addon-versions --addon-name`). */
  readonly addon: string;
  /** Namespace of the ServiceAccount the add-on creates. */
  readonly namespace: string;
  /** Name of the ServiceAccount the add-on creates. */
  readonly serviceAccount: string;
  /** IAM role name (<= 64 chars). */
  readonly roleName: string;
  /** IAM role ARN, the add-on's `service_account_role_arn`. */
  readonly roleArn: string;
  /** The `sub` claim the role's trust policy admits. */
  readonly subject: string;
  /** AWS managed policies the role needs. */
  readonly managedPolicyArns: readonly string[];
}

/**
 * The EBS CSI driver of a cluster: add-on `aws-ebs-csi-driver`, whose controller ServiceAccount is
 * `kube-system/ebs-csi-controller-sa`, under the role `<cluster>-ebs-csi-driver` with
 * AmazonEBSCSIDriverPolicy (docs.aws.amazon.com/eks/latest/userguide/add-ons-aws-ebs-csi-driver.html).
 */
export function ebsCsiDriver(spec: ResolvedClusterSpec): AddonIrsaBinding {
  const namespace = 'kube-system';
  const serviceAccount = 'ebs-csi-controller-sa';
  const roleName = iamName(spec.name, 'ebs-csi-driver');
  return {
    addon: CSI_DRIVER_ADDONS[EBS_CSI_PROVISIONER]!,
    namespace,
    serviceAccount,
    roleName,
    roleArn: `arn:aws:iam::${spec.aws.accountId}:role/${roleName}`,
    subject: `system:serviceaccount:${namespace}:${serviceAccount}`,
    managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
  };
}
