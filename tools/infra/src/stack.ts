// One Terraform CDK stack per cluster, from the same ClusterSpec the manifests come from: VPC, EKS
// with its OIDC provider, node groups or Karpenter's AWS side, the bucket, and an IAM role for each
// IRSA ServiceAccount, all named by libs/spec's names module.

import { Fn, type ITerraformDependable, S3Backend, TerraformOutput, TerraformStack, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag/index.js';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment/index.js';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry/index.js';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association/index.js';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon/index.js';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js';
import { stateBucketName } from './bootstrap.js';
import { subnetLayout } from './network.js';
import { nodeGroupsProps } from '@milvus-gitops/apps/node-provisioning';
import { allocatable, INSTANCE_TYPES, NODE_IMDS_HOP_LIMIT, NODE_ROOT_VOLUME, nodeGroups, type NodeGroupDefinition } from '@milvus-gitops/nodes';
import { etcdBackupStorage } from './backup.js';
import { clusterNames, ebsCsiDriver, NODE_CLASSES, type IrsaBinding, type IrsaWorkload, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import { keptBucket } from './bucket.js';

/** Where Terraform keeps each cluster's state (the bucket of the account's bootstrap stack, bootstrap.ts). */
export interface StateBackend {
  /** State bucket. @default `<account>-terraform-state` */
  readonly bucket?: string;
}

/** Props of ClusterStack. */
export interface ClusterStackProps {
  /** The cluster. */
  readonly spec: ResolvedClusterSpec;
  /** Remote state location. @default see StateBackend */
  readonly backend?: StateBackend;
}

/** The EKS access policy of cluster administrators (docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html). */
export const EKS_CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** The ASG tag by which the Cluster Autoscaler learns a group's ephemeral storage before a node exists. */
export const EPHEMERAL_STORAGE_TAG = 'k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage';

/**
 * User data (base64) of nodes whose instance store becomes their ephemeral storage: a MIME
 * multi-part document (what EKS managed node groups require of launch-template user data) with one
 * nodeadm NodeConfig setting `instance.localStorage.strategy: RAID0` (awslabs/amazon-eks-ami,
 * nodeadm/api/v1alpha1/nodeconfig_types.go: LocalStorageOptions, "RAID0 will create a single raid0
 * volume from any local disks", mounted for /var/lib/kubelet, /var/lib/containerd and
 * /var/log/pods unless disabledMounts says otherwise). On EKS-optimized AMIs without a custom AMI
 * id, EKS adds the cluster's NodeConfig itself and nodeadm merges the two.
 */
export function nvmeRaid0UserData(): string {
  const doc = [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="//"',
    '',
    '--//',
    'Content-Type: application/node.eks.aws',
    '',
    '---',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  instance:',
    '    localStorage:',
    '      strategy: RAID0',
    '',
    '--//--',
    '',
  ].join('\n');
  return Buffer.from(doc, 'utf8').toString('base64');
}

/**
 * Ephemeral storage a node of the group offers pods, for the node-template tag: the smallest of its
 * instance types' NVMe, less the kubelet's eviction threshold (libs/nodes allocatable()).
 */
export function nodeGroupEphemeralStorage(g: NodeGroupDefinition): string {
  const gi = g.instanceTypes.map((t) => {
    const type = INSTANCE_TYPES[t];
    if (!type) throw new Error(`node group ${g.name}: instance type ${t} is not in libs/nodes INSTANCE_TYPES`);
    return allocatable(type).ephemeralGi;
  });
  return `${Math.floor(Math.min(...gi))}Gi`;
}

/** Managed policies of both node roles (Karpenter v1.14 reference, KarpenterNodeRole). */
export const NODE_ROLE_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
] as const;

type Statement = { sid?: string; effect?: string; actions: string[]; resources: string[]; condition?: { test: string; variable: string; values: string[] }[] };

/** The S3 statements of each IRSA workload: least privilege on the cluster's own bucket and prefixes. */
export function s3Statements(spec: ResolvedClusterSpec, workload: IrsaWorkload): Statement[] {
  const n = clusterNames(spec);
  if (workload === 'milvus') {
    return [
      { sid: 'Bucket', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [n.bucketArn] },
      {
        sid: 'Objects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [`${n.bucketArn}/${n.milvusRootPath}/*`],
      },
    ];
  }
  if (workload === 'etcd-backup') {
    // Its own bucket. Reads too: a restore (README, etcd runbook) runs under this role and may
    // need a snapshot version behind a prune's delete marker.
    return [
      {
        sid: 'Bucket',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [n.etcdBackupBucketArn],
        condition: [{ test: 'StringLike', variable: 's3:prefix', values: [`${n.etcdBackupPrefix}/*`] }],
      },
      {
        sid: 'Snapshots',
        actions: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [`${n.etcdBackupBucketArn}/${n.etcdBackupPrefix}/*`],
      },
    ];
  }
  return [];
}

/**
 * Days CloudWatch keeps the control-plane logs (audit logs answer "who did what" after an
 * incident): 90 for prod, 30 otherwise. Both are values CloudWatch Logs accepts for
 * retention_in_days (1, 3, 5, 7, 14, 30, 60, 90, ...).
 */
export function controlPlaneLogRetentionDays(spec: Pick<ResolvedClusterSpec, 'environment'>): number {
  return spec.environment === 'prod' ? 90 : 30;
}

/** The stack of one cluster. */
export class ClusterStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    const { spec } = props;
    const n = clusterNames(spec);
    const account = spec.aws.accountId;
    const backend = new S3Backend(this, {
      bucket: props.backend?.bucket ?? stateBucketName(account),
      key: `milvus-eks-gitops/${spec.name}/terraform.tfstate`,
      region: spec.aws.region,
      encrypt: true,
    });
    // Locking by a lock file next to the state (`<key>.tflock`, S3 conditional writes), not a
    // DynamoDB table, which the S3 backend deprecates (developer.hashicorp.com/terraform/language/
    // backend/s3: use_lockfile, Terraform 1.10+). cdktf 0.21's S3BackendConfig has no useLockfile,
    // hence the override.
    backend.addOverride('use_lockfile', true);
    new AwsProvider(this, 'aws', { region: spec.aws.region, allowedAccountIds: [account], defaultTags: [{ tags: { ...n.tags } }] });

    // ---- Network: private subnets for nodes (Karpenter discovers them by tag), public for load balancers.
    // The spec's address space (aws.vpcCidr); subnets are derived from it (network.ts).
    const layout = subnetLayout(spec.aws.vpcCidr, spec.aws.availabilityZones.length);
    const vpc = new Vpc(this, 'vpc', { cidrBlock: spec.aws.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: spec.name } });
    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: spec.name } });
    const publicRt = new RouteTable(this, 'public-rt', {
      vpcId: vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${spec.name}-public` },
    });
    const privateSubnets: Subnet[] = [];
    const privateRouteTables: RouteTable[] = [];
    const publicSubnets: Subnet[] = [];
    const natGateways: NatGateway[] = [];
    spec.aws.availabilityZones.forEach((zone, i) => {
      const suffix = zone.slice(-1);
      const pub = new Subnet(this, `public-${suffix}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: layout.public[i]!,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${spec.name}-public-${suffix}`, 'kubernetes.io/role/elb': '1', [`kubernetes.io/cluster/${spec.name}`]: 'shared' },
      });
      new RouteTableAssociation(this, `public-rta-${suffix}`, { subnetId: pub.id, routeTableId: publicRt.id });
      const eip = new Eip(this, `nat-eip-${suffix}`, { domain: 'vpc', tags: { Name: `${spec.name}-nat-${suffix}` }, dependsOn: [igw] });
      // One NAT gateway per zone: a zone outage must not cut the other zones off from S3 and ECR.
      // hashicorp/aws docs, aws_nat_gateway example: "To ensure proper ordering, it is recommended to
      // add an explicit dependency on the Internet Gateway for the VPC" (its EIP likewise).
      const nat = new NatGateway(this, `nat-${suffix}`, { allocationId: eip.id, subnetId: pub.id, tags: { Name: `${spec.name}-${suffix}` }, dependsOn: [igw] });
      const priv = new Subnet(this, `private-${suffix}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: layout.private[i]!,
        tags: {
          Name: `${spec.name}-private-${suffix}`,
          'kubernetes.io/role/internal-elb': '1',
          [`kubernetes.io/cluster/${spec.name}`]: 'shared',
          [n.discoveryTag.key]: n.discoveryTag.value,
        },
      });
      privateSubnets.push(priv);
      natGateways.push(nat);
      publicSubnets.push(pub);
    });
    // The declared path to an external Kafka (milvus.messageQueue.network): a route to its VPC's
    // block on every private route table, over the peering connection or the transit gateway this
    // VPC is attached to here. Routes stay inline: a route table with inline routes must not be
    // combined with aws_route resources (hashicorp/aws docs, aws_route_table).
    const mq = spec.milvus.messageQueue;
    const kafka = mq.type === 'kafka' ? mq.network : undefined;
    const tgw = kafka?.transitGatewayId
      ? new Ec2TransitGatewayVpcAttachment(this, 'kafka-tgw-attachment', {
          transitGatewayId: kafka.transitGatewayId,
          vpcId: vpc.id,
          subnetIds: privateSubnets.map((sn) => sn.id),
          tags: { Name: `${spec.name}-kafka` },
        })
      : undefined;
    const kafkaRoute = kafka
      ? [
          {
            cidrBlock: kafka.cidr,
            ...(kafka.vpcPeeringConnectionId ? { vpcPeeringConnectionId: kafka.vpcPeeringConnectionId } : { transitGatewayId: kafka.transitGatewayId! }),
          },
        ]
      : [];
    spec.aws.availabilityZones.forEach((zone, i) => {
      const suffix = zone.slice(-1);
      const rt = new RouteTable(this, `private-rt-${suffix}`, {
        vpcId: vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: natGateways[i]!.id }, ...kafkaRoute],
        tags: { Name: `${spec.name}-private-${suffix}` },
        ...(tgw ? { dependsOn: [tgw] } : {}),
      });
      new RouteTableAssociation(this, `private-rta-${suffix}`, { subnetId: privateSubnets[i]!.id, routeTableId: rt.id });
      privateRouteTables.push(rt);
    });
    // S3 traffic (segments, binlogs, the WAL, etcd snapshots) leaves the private subnets through a
    // gateway endpoint on their route tables, not the NAT gateways: no NAT data charge, and no
    // dependency on a zone's NAT. (docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html:
    // gateway endpoint, service com.amazonaws.<region>.s3, associated with route tables.)
    new VpcEndpoint(this, 's3-endpoint', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${spec.aws.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTables.map((rt) => rt.id),
      tags: { Name: `${spec.name}-s3` },
    });

    // ---- EKS and its OIDC provider.
    const assume = (id: string, service: string) =>
      new DataAwsIamPolicyDocument(this, id, { statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [service] }] }] });
    const clusterRole = new IamRole(this, 'cluster-role', {
      name: `${spec.name}-eks-cluster`,
      assumeRolePolicy: assume('cluster-assume', 'eks.amazonaws.com').json,
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: clusterRole.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    });
    // Envelope encryption of Kubernetes Secrets with a key of this stack: etcd holds Secrets
    // encrypted by a data key that this KMS key encrypts (docs.aws.amazon.com/eks/latest/userguide/enable-kms.html:
    // a symmetric ENCRYPT_DECRYPT key in the cluster's region; "You can't disable secrets encryption
    // after enabling it"). EKS 1.28+ already encrypts all API data with an AWS owned key by default
    // (docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html); this key is ours to rotate,
    // audit in CloudTrail and revoke. No key policy is given, so the key has KMS's default policy,
    // which lets IAM policies of the account grant its use; rotation is yearly (the KMS default period).
    const secretsKey = new KmsKey(this, 'eks-secrets-key', {
      description: `EKS ${n.cluster}: envelope encryption of Kubernetes Secrets`,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      // The longest wait KMS allows between scheduling a deletion and deleting (7 to 30 days).
      deletionWindowInDays: 30,
      // Losing the key loses every Secret of the cluster: Terraform refuses to plan its destruction.
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'eks-secrets-key-alias', { name: `alias/${n.cluster}-eks-secrets`, targetKeyId: secretsKey.keyId });
    // The cluster role uses the key (the permissions terraform-aws-modules/terraform-aws-eks gives its
    // cluster role for encryption_config: kms:Encrypt, kms:Decrypt, kms:ListGrants, kms:DescribeKey, on the key only).
    const clusterKmsPolicy = new IamRolePolicy(this, 'cluster-secrets-encryption', {
      role: clusterRole.id,
      name: 'secrets-encryption',
      policy: new DataAwsIamPolicyDocument(this, 'cluster-secrets-encryption-doc', {
        statement: [
          { sid: 'SecretsEnvelopeEncryption', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], resources: [secretsKey.arn] },
        ],
      }).json,
    });
    // Control-plane logs (api, audit, authenticator) go to the group EKS writes to,
    // /aws/eks/<cluster>/cluster (docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html).
    // Created here, before the cluster, so that it has a retention: EKS would otherwise create it
    // itself on first write, keeping logs forever (hashicorp/aws docs, aws_eks_cluster "Enabling
    // Control Plane Logging": the log group "must be created before the EKS cluster", depends_on).
    const controlPlaneLogs = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${n.cluster}/cluster`,
      retentionInDays: controlPlaneLogRetentionDays(spec),
    });
    const eks = new EksCluster(this, 'eks', {
      name: n.cluster,
      version: spec.kubernetes.version,
      roleArn: clusterRole.arn,
      // The private endpoint always (nodes and anything in the VPC reach the API without leaving it);
      // the public one only from the spec's publicAccessCidrs (EKS would otherwise admit 0.0.0.0/0:
      // docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html). An empty list is never sent:
      // the provider would leave EKS's 0.0.0.0/0 in place.
      vpcConfig: {
        subnetIds: [...privateSubnets, ...publicSubnets].map((s) => s.id),
        endpointPrivateAccess: true,
        endpointPublicAccess: spec.aws.endpointPublicAccess,
        ...(spec.aws.endpointPublicAccess ? { publicAccessCidrs: [...spec.aws.publicAccessCidrs] } : {}),
      },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
      // Who reaches the Kubernetes API is listed in this stack as access entries (below), never in
      // the aws-auth ConfigMap, and the identity that happens to run `terraform apply` gets no
      // standing admin access (docs.aws.amazon.com/eks/latest/userguide/access-entries.html).
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ['secrets'] },
      // Registered with ARC zonal shift: an operator (or autoshift) can move the cluster's traffic
      // away from an impaired zone, and Karpenter (settings.enableZonalShift) stops launching nodes
      // there (docs.aws.amazon.com/eks/latest/userguide/zone-shift-enable.html).
      zonalShiftConfig: { enabled: true },
      tags: { [n.discoveryTag.key]: n.discoveryTag.value },
      // The role's policies before the cluster, and after it on destroy: EKS cannot create, or delete,
      // the cluster's ENIs and security group without them, nor reach the secrets key; the log group
      // before the cluster writes to it (hashicorp/aws docs, aws_eks_cluster example: "Ensure that IAM Role permissions are created before and deleted after EKS Cluster handling").
      dependsOn: [clusterPolicy, clusterKmsPolicy, controlPlaneLogs],
      lifecycle: {
        // The bootstrap flag only acts at creation and is ForceNew in the provider: a cluster created
        // before this block existed must not be replaced over it (hashicorp/terraform-provider-aws#35824).
        ignoreChanges: ['access_config[0].bootstrap_cluster_creator_admin_permissions'],
        // A plan that would destroy or replace the cluster (its etcd: every Kubernetes object) fails
        // instead; a deliberate teardown removes this line first.
        preventDestroy: true,
      },
    });
    // Operators: each role of spec.aws.adminRoleArns administers the whole cluster.
    spec.aws.adminRoleArns.forEach((principalArn, i) => {
      const entry = new EksAccessEntry(this, `admin-access-${i}`, { clusterName: eks.name, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `admin-access-${i}-policy`, {
        clusterName: eks.name,
        principalArn: entry.principalArn,
        policyArn: EKS_CLUSTER_ADMIN_POLICY,
        accessScope: { type: 'cluster' },
      });
    });
    // EKS creates the cluster security group (vpc_config[0].cluster_security_group_id) itself and
    // does not copy the cluster's tags to it, so EC2NodeClasses selecting security groups by
    // `karpenter.sh/discovery` would find none. Karpenter's own migration guide tags this group
    // (aws/karpenter-provider-aws, website/content/en/v1.14/getting-started/migrating-from-cas/
    // scripts/step06-tag-security-groups.sh: `aws ec2 create-tags --tags
    // "Key=karpenter.sh/discovery,Value=${CLUSTER_NAME}" --resources <clusterSecurityGroupId>`).
    new Ec2Tag(this, 'cluster-sg-discovery-tag', { resourceId: eks.vpcConfig.clusterSecurityGroupId, key: n.discoveryTag.key, value: n.discoveryTag.value });
    const issuer = eks.identity.get(0).oidc.get(0).issuer;
    const oidc = new IamOpenidConnectProvider(this, 'oidc', { url: issuer, clientIdList: ['sts.amazonaws.com'] });
    const issuerHost = Fn.replace(oidc.url, 'https://', '');
    /** A trust policy admitting exactly `subject` through this cluster's OIDC provider, for STS only. */
    const irsaTrust = (id: string, subject: string) =>
      new DataAwsIamPolicyDocument(this, id, {
        statement: [
          {
            actions: ['sts:AssumeRoleWithWebIdentity'],
            principals: [{ type: 'Federated', identifiers: [oidc.arn] }],
            condition: [
              { test: 'StringEquals', variable: `${issuerHost}:sub`, values: [subject] },
              { test: 'StringEquals', variable: `${issuerHost}:aud`, values: ['sts.amazonaws.com'] },
            ],
          },
        ],
      });

    // ---- Nodes: the managed system group always; CA groups or Karpenter's node role by provisioner.
    // Managed node groups run under their own role: EKS creates an EC2_LINUX access entry for a
    // managed group's role by itself (aws/containers-roadmap#2425), so Karpenter's nodes get a
    // separate role whose access entry this stack owns; one role for both would make that entry
    // collide with EKS's (ResourceInUseException, terraform-aws-modules/terraform-aws-eks#2977).
    const nodeRole = new IamRole(this, 'node-role', { name: `${spec.name}-node`, assumeRolePolicy: assume('node-assume', 'ec2.amazonaws.com').json });
    // Node groups wait for their role's policies (and are deleted before them): without the CNI and
    // worker policies nodes never become Ready and EC2 instances cannot be cleaned up
    // (hashicorp/aws docs, aws_eks_node_group example: "Ensure that IAM Role permissions are created before and deleted after EKS Node Group handling").
    // The node role's managed policies, as Karpenter v1.14's reference (getting-started
    // cloudformation.yaml, KarpenterNodeRole): pull-only ECR access, nothing that writes images.
    const nodePolicies = NODE_ROLE_POLICIES.map(
      (p) => new IamRolePolicyAttachment(this, `node-${p}`, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${p}` }),
    );
    let karpenterNodeRole: IamRole | undefined;
    if (spec.nodes.provisioner === 'karpenter') {
      karpenterNodeRole = new IamRole(this, 'karpenter-node-role', {
        name: n.karpenterNodeRoleName,
        assumeRolePolicy: assume('karpenter-node-assume', 'ec2.amazonaws.com').json,
      });
      NODE_ROLE_POLICIES.forEach(
        (p) => new IamRolePolicyAttachment(this, `karpenter-node-${p}`, { role: karpenterNodeRole!.name, policyArn: `arn:aws:iam::aws:policy/${p}` }),
      );
      // Nodes Karpenter launches join through this entry (Karpenter's e2e suite creates the same:
      // aws/karpenter-provider-aws test/pkg/environment/aws/expectations.go, CreateAccessEntry Type EC2_LINUX).
      new EksAccessEntry(this, 'karpenter-node-access', { clusterName: eks.name, principalArn: karpenterNodeRole.arn, type: 'EC2_LINUX' });
    }
    const managedGroups: EksNodeGroup[] = [];
    // Node classes with local NVMe (query: the segment cache is an emptyDir sized by its
    // ephemeral-storage request) get a launch template whose user data has nodeadm stripe the
    // instance store into RAID0 and put the kubelet's and containerd's directories on it, so the
    // node's ephemeral storage is the NVMe array rather than the 20 GiB root volume. One template
    // for the cluster; EKS appends its own NodeConfig (cluster details) to this user data.
    let nvmeTemplate: LaunchTemplate | undefined;
    const launchTemplateOf = (g: NodeGroupDefinition): LaunchTemplate | undefined => {
      if (!NODE_CLASSES[g.nodeClass].localNvme) return undefined;
      nvmeTemplate ??= new LaunchTemplate(this, 'nvme-raid0-template', {
        name: `${spec.name}-nvme-raid0`,
        description: 'EKS managed nodes whose NVMe instance store is RAID0 ephemeral storage (nodeadm localStorage)',
        userData: nvmeRaid0UserData(),
        updateDefaultVersion: true,
        // As the EC2NodeClasses: IMDSv2 only with one hop, an encrypted gp3 root volume.
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: NODE_IMDS_HOP_LIMIT },
        blockDeviceMappings: [
          {
            deviceName: NODE_ROOT_VOLUME.deviceName,
            ebs: { volumeSize: NODE_ROOT_VOLUME.sizeGi, volumeType: NODE_ROOT_VOLUME.type, encrypted: 'true', deleteOnTermination: 'true' },
          },
        ],
        tags: { Name: `${spec.name}-nvme-raid0` },
      });
      return nvmeTemplate;
    };
    for (const g of nodeGroups(nodeGroupsProps(spec)).filter((g) => g.nodeClass === 'system' || spec.nodes.provisioner === 'cluster-autoscaler')) {
      const subnet = privateSubnets[spec.aws.availabilityZones.indexOf(g.zone)]!;
      const lt = launchTemplateOf(g);
      const ng = new EksNodeGroup(this, `ng-${g.name}`, {
        clusterName: eks.name,
        // The cluster's version, so that an upgrade rolls the managed nodes after the control plane.
        version: eks.version,
        nodeGroupName: g.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds: [subnet.id],
        amiType: 'AL2023_x86_64_STANDARD',
        capacityType: g.capacityType === 'spot' ? 'SPOT' : 'ON_DEMAND',
        instanceTypes: [...g.instanceTypes],
        scalingConfig: { minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.minSize },
        labels: { ...g.labels },
        taint: g.taints.map((t) => ({ key: t.key, value: t.value, effect: 'NO_SCHEDULE' })),
        tags: { ...g.tags },
        ...(lt ? { launchTemplate: { id: lt.id, version: Token.asString(lt.latestVersion) } } : {}),
        lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
        dependsOn: nodePolicies,
      });
      managedGroups.push(ng);
      if (g.nodeClass !== 'system') {
        // Managed node groups do not copy their tags to the ASG; node-template tags must be there
        // for the Cluster Autoscaler to scale a group up from zero. Its template node has the
        // instance type's CPU and memory but no ephemeral storage unless a tag says so
        // (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md: "the resources
        // provided by each Auto Scaling Group via tags ... node-template/resources/<resource-name>",
        // example `ephemeral-storage: 100G`), so a pod requesting it would never scale a group up.
        const asgTags = { ...g.tags, ...(lt ? { [EPHEMERAL_STORAGE_TAG]: nodeGroupEphemeralStorage(g) } : {}) };
        Object.entries(asgTags)
          .filter(([k]) => k.startsWith('k8s.io/cluster-autoscaler/'))
          .forEach(([key, value], i) => new AutoscalingGroupTagFor(this, `ng-${g.name}-tag-${i}`, ng, key, value));
      }
    }
    if (spec.nodes.provisioner === 'karpenter') {
      // No instance profile here: the EC2NodeClasses name the role (spec.role) and Karpenter
      // creates and tags the profile itself (the AllowScopedInstanceProfile* statements).
      const queue = new SqsQueue(this, 'interruption-queue', { name: n.karpenterInterruptionQueue, messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
      new SqsQueuePolicy(this, 'interruption-queue-policy', {
        queueUrl: queue.url,
        policy: new DataAwsIamPolicyDocument(this, 'interruption-queue-doc', {
          statement: [
            {
              actions: ['sqs:SendMessage'],
              resources: [queue.arn],
              principals: [{ type: 'Service', identifiers: ['events.amazonaws.com', 'sqs.amazonaws.com'] }],
            },
            // As Karpenter's reference queue policy: nothing reaches the queue over plain HTTP.
            {
              sid: 'DenyHTTP',
              effect: 'Deny',
              actions: ['sqs:*'],
              resources: [queue.arn],
              principals: [{ type: '*', identifiers: ['*'] }],
              condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
            },
          ],
        }).json,
      });
      // The five rules of Karpenter v1.14's reference (getting-started cloudformation.yaml). Rule
      // names are at most 64 characters: with a 32-character cluster name the longest suffix fits.
      const events: [string, { source: string[]; 'detail-type': string[] }][] = [
        ['spot-interruption', { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] }],
        ['rebalance', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] }],
        ['instance-state-change', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }],
        ['scheduled-change', { source: ['aws.health'], 'detail-type': ['AWS Health Event'] }],
        ['capacity-reservation', { source: ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] }],
      ];
      for (const [name, pattern] of events) {
        const rule = new CloudwatchEventRule(this, `karpenter-${name}`, { name: `${spec.name}-karpenter-${name}`, eventPattern: JSON.stringify(pattern) });
        new CloudwatchEventTarget(this, `karpenter-${name}-target`, { rule: rule.name, arn: queue.arn, targetId: 'karpenter-interruption-queue' });
      }
    }

    // ---- The bucket: versioned, encrypted, private, TLS only, never expiring live segments.
    // The segments, binlogs and etcd snapshots: a plan that would destroy or replace it fails.
    const bucket = keptBucket(this, 'bucket', n.bucket);
    new S3BucketLifecycleConfiguration(this, 'bucket-lifecycle', {
      bucket: bucket.id,
      rule: [
        { id: 'abort-incomplete-multipart-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
        // Milvus deletes what compaction replaced; old versions are only a safety net.
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: spec.storage.noncurrentVersionDays }],
        },
        // Once its noncurrent versions have expired, a deleted object is only a delete marker, which
        // every listing still walks: remove such expired object delete markers. This expiration acts
        // on delete markers alone, never on a current object (S3 API LifecycleExpiration:
        // ExpiredObjectDeleteMarker "cannot be specified with Days or Date"; docs.aws.amazon.com/
        // AmazonS3/latest/userguide/ManagingDelMarkers.html#LifecycleDelMarker).
        { id: 'remove-expired-delete-markers', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ expiredObjectDeleteMarker: true }] },
        // Cold segments move to cheaper tiers by themselves; current objects never expire.
        {
          id: 'intelligent-tiering',
          status: 'Enabled',
          filter: [{ prefix: `${n.milvusRootPath}/` }],
          transition: [{ days: 30, storageClass: 'INTELLIGENT_TIERING' }],
        },
      ],
    });

    // ---- The etcd snapshots: their own Object-Locked bucket, replicated if the spec says where.
    etcdBackupStorage(this, spec);

    // ---- IRSA: one role per ServiceAccount, trusting exactly that ServiceAccount of this cluster.
    for (const binding of Object.values(n.irsa) as IrsaBinding[]) {
      const trust = irsaTrust(`irsa-${binding.workload}-trust`, binding.subject);
      const role = new IamRole(this, `irsa-${binding.workload}`, { name: binding.roleName, assumeRolePolicy: trust.json });
      const statements = [...s3Statements(spec, binding.workload), ...controllerStatements(spec, binding.workload, karpenterNodeRole?.arn ?? nodeRole.arn)];
      new IamRolePolicy(this, `irsa-${binding.workload}-policy`, {
        role: role.id,
        name: binding.workload,
        policy: new DataAwsIamPolicyDocument(this, `irsa-${binding.workload}-permissions`, { statement: statements }).json,
      });
    }

    // ---- EKS add-ons, each at the default version for the cluster's Kubernetes version, so that an
    // upgrade (spec.kubernetes.version) moves them after the control plane. EKS installs vpc-cni,
    // kube-proxy and CoreDNS unmanaged on a new cluster; OVERWRITE adopts them as managed add-ons.
    const addon = (name: string, extra: { serviceAccountRoleArn?: string; dependsOn?: ITerraformDependable[] } = {}) =>
      new EksAddon(this, `addon-${name}`, {
        clusterName: eks.name,
        addonName: name,
        addonVersion: new DataAwsEksAddonVersion(this, `addon-${name}-version`, { addonName: name, kubernetesVersion: eks.version }).version,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...extra,
      });
    // The CNI runs under the node role (AmazonEKS_CNI_Policy above); DaemonSets need no nodes to be ACTIVE.
    addon('vpc-cni');
    addon('kube-proxy');
    // Deployments: they become ACTIVE only once they can schedule, so after the managed node groups.
    addon('coredns', { dependsOn: managedGroups });
    // The EBS CSI driver provisions the render's StorageClass (ebs.csi.aws.com: etcd, Prometheus).
    // Its controller runs under its own role; the StorageClass sets `encrypted` without a
    // `kmsKeyId`, so volumes use the AWS managed key aws/ebs and the role needs no KMS grants.
    const ebs = ebsCsiDriver(spec);
    const ebsRole = new IamRole(this, 'ebs-csi-driver', { name: ebs.roleName, assumeRolePolicy: irsaTrust('ebs-csi-driver-trust', ebs.subject).json });
    const ebsPolicies = ebs.managedPolicyArns.map(
      (policyArn, i) => new IamRolePolicyAttachment(this, `ebs-csi-driver-policy-${i}`, { role: ebsRole.name, policyArn }),
    );
    addon(ebs.addon, { serviceAccountRoleArn: ebsRole.arn, dependsOn: [...managedGroups, ...ebsPolicies] });

    new TerraformOutput(this, 'cluster_name', { value: eks.name });
    new TerraformOutput(this, 'oidc_provider_arn', { value: oidc.arn });
    new TerraformOutput(this, 'bucket_name', { value: bucket.bucket });
  }
}

/**
 * The Karpenter controller's permissions, statement for statement Karpenter v1's reference policy
 * (aws/karpenter-provider-aws, website/content/en/v1.14/getting-started/getting-started-with-karpenter/
 * cloudformation.yaml: NodeLifecyclePolicy, IAMIntegrationPolicy, EKSIntegrationPolicy,
 * InterruptionPolicy, ZonalShiftPolicy, ResourceDiscoveryPolicy), for the chart version of
 * libs/nodes KARPENTER_CHART (1.14.0), in the `aws` partition only. Existing resources a launch uses
 * (image, snapshot, subnet, security group, capacity reservation, placement group) carry no request
 * tags, so RunInstances/CreateFleet on them is unconditioned; launch templates must be Karpenter's
 * own (ResourceTag); what a launch creates must be tagged for this cluster (RequestTag), and may be
 * tagged only while being created (ec2:CreateAction). Karpenter adds kubernetes.io/cluster/<name>,
 * eks:eks-cluster-name, karpenter.sh/nodepool and karpenter.k8s.aws/ec2nodeclass itself.
 */
export function karpenterControllerStatements(spec: ResolvedClusterSpec, nodeRoleArn: string): Statement[] {
  const n = clusterNames(spec);
  const region = spec.aws.region;
  const account = spec.aws.accountId;
  const ec2 = (type: string, owner = '*') => `arn:aws:ec2:${region}:${owner}:${type}/*`;
  const owned = (kind: 'ResourceTag' | 'RequestTag') => ({
    test: 'StringEquals',
    variable: `aws:${kind}/kubernetes.io/cluster/${n.cluster}`,
    values: ['owned'],
  });
  const clusterNameTag = { test: 'StringEquals', variable: 'aws:RequestTag/eks:eks-cluster-name', values: [n.cluster] };
  const nodepool = (kind: 'ResourceTag' | 'RequestTag') => ({ test: 'StringLike', variable: `aws:${kind}/karpenter.sh/nodepool`, values: ['*'] });
  const regionTag = (kind: 'ResourceTag' | 'RequestTag') => ({ test: 'StringEquals', variable: `aws:${kind}/topology.kubernetes.io/region`, values: [region] });
  const nodeclass = (kind: 'ResourceTag' | 'RequestTag') => ({ test: 'StringLike', variable: `aws:${kind}/karpenter.k8s.aws/ec2nodeclass`, values: ['*'] });
  const created = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map((t) => ec2(t));
  const profiles = `arn:aws:iam::${account}:instance-profile/*`;
  return [
    // ---- NodeLifecyclePolicy
    {
      sid: 'AllowScopedEC2InstanceAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [ec2('image', ''), ec2('snapshot', ''), ec2('security-group'), ec2('subnet'), ec2('capacity-reservation'), ec2('placement-group')],
    },
    {
      sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [ec2('launch-template')],
      condition: [owned('ResourceTag'), nodepool('ResourceTag')],
    },
    {
      sid: 'AllowScopedEC2InstanceActionsWithTags',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      resources: created,
      condition: [owned('RequestTag'), clusterNameTag, nodepool('RequestTag')],
    },
    {
      sid: 'AllowScopedResourceCreationTagging',
      actions: ['ec2:CreateTags'],
      resources: created,
      condition: [
        owned('RequestTag'),
        clusterNameTag,
        { test: 'StringEquals', variable: 'ec2:CreateAction', values: ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        nodepool('RequestTag'),
      ],
    },
    {
      sid: 'AllowScopedResourceTagging',
      actions: ['ec2:CreateTags'],
      resources: [ec2('instance')],
      condition: [
        owned('ResourceTag'),
        nodepool('ResourceTag'),
        { test: 'StringEqualsIfExists', variable: 'aws:RequestTag/eks:eks-cluster-name', values: [n.cluster] },
        { test: 'ForAllValues:StringEquals', variable: 'aws:TagKeys', values: ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      ],
    },
    {
      sid: 'AllowScopedDeletion',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: [ec2('instance'), ec2('launch-template')],
      condition: [owned('ResourceTag'), nodepool('ResourceTag')],
    },
    // ---- IAMIntegrationPolicy: the node role only, to EC2 only; instance profiles Karpenter tagged as its own.
    {
      sid: 'AllowPassingInstanceRole',
      actions: ['iam:PassRole'],
      resources: [nodeRoleArn],
      condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ec2.amazonaws.com'] }],
    },
    {
      sid: 'AllowScopedInstanceProfileCreationActions',
      actions: ['iam:CreateInstanceProfile'],
      resources: [profiles],
      condition: [owned('RequestTag'), clusterNameTag, regionTag('RequestTag'), nodeclass('RequestTag')],
    },
    {
      sid: 'AllowScopedInstanceProfileTagActions',
      actions: ['iam:TagInstanceProfile'],
      resources: [profiles],
      condition: [
        owned('ResourceTag'),
        regionTag('ResourceTag'),
        owned('RequestTag'),
        clusterNameTag,
        regionTag('RequestTag'),
        nodeclass('ResourceTag'),
        nodeclass('RequestTag'),
      ],
    },
    {
      sid: 'AllowScopedInstanceProfileActions',
      actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      resources: [profiles],
      condition: [owned('ResourceTag'), regionTag('ResourceTag'), nodeclass('ResourceTag')],
    },
    // ---- EKSIntegrationPolicy
    { sid: 'AllowAPIServerEndpointDiscovery', actions: ['eks:DescribeCluster'], resources: [`arn:aws:eks:${region}:${account}:cluster/${n.cluster}`] },
    // ---- InterruptionPolicy
    {
      sid: 'AllowInterruptionQueueActions',
      actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      resources: [`arn:aws:sqs:${region}:${account}:${n.karpenterInterruptionQueue}`],
    },
    // ---- ZonalShiftPolicy
    {
      sid: 'AllowZonalShiftStatusReadOnly',
      actions: ['arc-zonal-shift:GetManagedResource'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'arc-zonal-shift:ResourceIdentifier', values: [`arn:aws:eks:${region}:${account}:cluster/${n.cluster}`] }],
    },
    // ---- ResourceDiscoveryPolicy
    {
      sid: 'AllowRegionalReadActions',
      actions: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'aws:RequestedRegion', values: [region] }],
    },
    // The public parameters of EKS-optimized AMIs (amiSelectorTerms alias al2023@...).
    { sid: 'AllowSSMReadActions', actions: ['ssm:GetParameter'], resources: [`arn:aws:ssm:${region}::parameter/aws/service/*`] },
    { sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] },
    { sid: 'AllowUnscopedInstanceProfileListAction', actions: ['iam:ListInstanceProfiles'], resources: ['*'] },
    { sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile'], resources: [profiles] },
  ];
}

/** Permissions of the node-provisioning controllers (S3-free). */
function controllerStatements(spec: ResolvedClusterSpec, workload: IrsaWorkload, nodeRoleArn: string): Statement[] {
  const n = clusterNames(spec);
  if (workload === 'cluster-autoscaler') {
    return [
      {
        sid: 'Describe',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
          'eks:DescribeNodegroup',
        ],
        resources: ['*'],
      },
      {
        sid: 'ScaleOwnGroups',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${n.cluster}`, values: ['owned'] }],
      },
    ];
  }
  if (workload === 'karpenter') return karpenterControllerStatements(spec, nodeRoleArn);
  return [];
}

/** A tag on the ASG behind a managed node group. */
class AutoscalingGroupTagFor extends AutoscalingGroupTagA {
  constructor(scope: Construct, id: string, ng: EksNodeGroup, key: string, value: string) {
    super(scope, id, {
      autoscalingGroupName: ng.resources.get(0).autoscalingGroups.get(0).name,
      tag: { key, value, propagateAtLaunch: false },
    });
  }
}
