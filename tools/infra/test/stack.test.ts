import { mkdtemp } from 'node:fs/promises';
import { testSpec } from './fixtures.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readStack, subnetLayout, synthStacks } from '../src/index.js';

type Obj = Record<string, any>;
const base = testSpec;

let karpenter: Obj;
let ca: Obj;
beforeAll(async () => {
  const files = synthStacks([base('kp-us-east-1', 'karpenter'), base('ca-us-east-1', 'cluster-autoscaler')], await mkdtemp(join(tmpdir(), 'cdktf-')));
  karpenter = await readStack(files['kp-us-east-1']!);
  ca = await readStack(files['ca-us-east-1']!);
});
const all = (stack: Obj, type: string): Obj[] => Object.values(stack.resource?.[type] ?? {}) as Obj[];
const first = (stack: Obj, type: string): Obj => all(stack, type)[0] ?? {};

describe('cluster stack', () => {
  it('keeps each cluster state in its own key of the remote backend', () => {
    expect(karpenter.terraform.backend.s3).toMatchObject({ key: 'milvus-eks-gitops/kp-us-east-1/terraform.tfstate', encrypt: true, region: 'us-east-1' });
  });

  it('spans the spec zones with private subnets tagged for Karpenter and internal load balancers, public ones for internet-facing', () => {
    const subnets = all(karpenter, 'aws_subnet');
    const priv = subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
    const pub = subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1');
    expect(priv.map((s) => s.availability_zone).sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(pub).toHaveLength(3);
    for (const s of priv) expect(s.tags['karpenter.sh/discovery']).toBe('kp-us-east-1');
    expect(all(karpenter, 'aws_nat_gateway')).toHaveLength(3);
  });

  it('derives the VPC and its subnets from aws.vpcCidr; the default keeps the addresses every stack had', async () => {
    // Default 10.0.0.0/16: exactly the subnets of the stacks applied before the field existed.
    expect(first(karpenter, 'aws_vpc').cidr_block).toBe('10.0.0.0/16');
    const cidrs = (stack: Obj, kind: 'private' | 'public') =>
      Object.entries(stack.resource.aws_subnet as Record<string, Obj>)
        .filter(([id]) => id.startsWith(`${kind}-`))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, s]) => s.cidr_block);
    expect(cidrs(karpenter, 'private')).toEqual(['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19']);
    expect(cidrs(karpenter, 'public')).toEqual(['10.0.96.0/24', '10.0.97.0/24', '10.0.98.0/24']);
    const spec = base('net-us-east-1', 'karpenter');
    spec.aws.vpcCidr = '10.30.16.0/20';
    const files = synthStacks([spec], await mkdtemp(join(tmpdir(), 'cdktf-')));
    const stack = await readStack(files['net-us-east-1']!);
    expect(first(stack, 'aws_vpc').cidr_block).toBe('10.30.16.0/20');
    expect(cidrs(stack, 'private')).toEqual(['10.30.16.0/23', '10.30.18.0/23', '10.30.20.0/23']);
    expect(cidrs(stack, 'public')).toEqual(['10.30.22.0/28', '10.30.22.16/28', '10.30.22.32/28']);
  });

  it('lays out subnets inside the VPC without overlap for one to seven zones', () => {
    const toRange = (c: string) => {
      const [ip, p] = c.split('/');
      const n = ip!.split('.').reduce((a, o) => a * 256 + Number(o), 0);
      return [n, n + 2 ** (32 - Number(p))] as const;
    };
    for (const vpc of ['10.20.0.0/16', '172.16.240.0/20']) {
      const [lo, hi] = toRange(vpc);
      for (let zones = 1; zones <= 7; zones++) {
        const l = subnetLayout(vpc, zones);
        const all = [...l.private, ...l.public].map(toRange).sort((a, b) => a[0] - b[0]);
        for (const [a, b] of all) expect(a >= lo && b <= hi).toBe(true);
        all.slice(1).forEach(([a], i) => expect(a).toBeGreaterThanOrEqual(all[i]![1]));
      }
    }
    expect(() => subnetLayout('10.0.0.0/16', 8)).toThrow(/zones/);
  });

  it('routes S3 from every private route table through a gateway endpoint, not the NAT gateways', () => {
    for (const stack of [karpenter, ca]) {
      const endpoints = all(stack, 'aws_vpc_endpoint');
      expect(endpoints).toHaveLength(1);
      expect(endpoints[0]).toMatchObject({ service_name: 'com.amazonaws.us-east-1.s3', vpc_endpoint_type: 'Gateway', vpc_id: '${aws_vpc.vpc.id}' });
      const privateTables = Object.keys(stack.resource.aws_route_table).filter((id) => id.startsWith('private-rt-'));
      expect(privateTables).toHaveLength(3);
      expect([...endpoints[0]!.route_table_ids].sort()).toEqual(privateTables.map((id) => `\${aws_route_table.${id}.id}`).sort());
    }
  });

  it('orders creation and deletion: NAT gateways after the internet gateway, EKS after its role policy, node groups after their role policies', () => {
    for (const stack of [karpenter, ca]) {
      for (const nat of all(stack, 'aws_nat_gateway')) expect(nat.depends_on).toEqual(['aws_internet_gateway.igw']);
      for (const eip of all(stack, 'aws_eip')) expect(eip.depends_on).toEqual(['aws_internet_gateway.igw']);
      const policyOf = (role: string) =>
        Object.entries(stack.resource.aws_iam_role_policy_attachment as Record<string, Obj>)
          .filter(([, a]) => a.role === `\${aws_iam_role.${role}.name}`)
          .map(([id]) => `aws_iam_role_policy_attachment.${id}`)
          .sort();
      expect(policyOf('cluster-role')).toHaveLength(1);
      expect(first(stack, 'aws_eks_cluster').depends_on).toEqual([
        ...policyOf('cluster-role'),
        'aws_iam_role_policy.cluster-secrets-encryption',
        'aws_cloudwatch_log_group.control-plane-logs',
      ]);
      const groups = all(stack, 'aws_eks_node_group');
      expect(groups.length).toBeGreaterThan(0);
      for (const g of groups) {
        const role = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(g.node_role_arn)![1]!;
        expect(policyOf(role)).toHaveLength(4);
        expect([...g.depends_on].sort()).toEqual(policyOf(role));
      }
    }
  });

  it('runs EKS at the spec version with an OIDC provider and a managed system node group', () => {
    expect(first(karpenter, 'aws_eks_cluster')).toMatchObject({ name: 'kp-us-east-1', version: '1.33' });
    expect(first(karpenter, 'aws_iam_openid_connect_provider').client_id_list).toEqual(['sts.amazonaws.com']);
    const groups = all(karpenter, 'aws_eks_node_group');
    expect(groups.map((g) => g.labels['milvus-gitops.io/node-class'])).toEqual(['system', 'system', 'system']);
    expect(groups.every((g) => g.capacity_type === 'ON_DEMAND')).toBe(true);
  });

  it('encrypts Kubernetes Secrets with a rotated KMS key of the stack, which the cluster role may use', () => {
    for (const stack of [karpenter, ca]) {
      const keys = stack.resource.aws_kms_key as Record<string, Obj>;
      expect(Object.keys(keys)).toEqual(['eks-secrets-key']);
      expect(keys['eks-secrets-key']).toMatchObject({ enable_key_rotation: true, key_usage: 'ENCRYPT_DECRYPT', deletion_window_in_days: 30 });
      expect(first(stack, 'aws_kms_alias')).toMatchObject({ target_key_id: '${aws_kms_key.eks-secrets-key.key_id}' });
      expect(first(stack, 'aws_kms_alias').name).toMatch(/^alias\/(kp|ca)-us-east-1-eks-secrets$/);
      expect(first(stack, 'aws_eks_cluster').encryption_config).toEqual({
        provider: { key_arn: '${aws_kms_key.eks-secrets-key.arn}' },
        resources: ['secrets'],
      });
      expect(stack.resource.aws_iam_role_policy['cluster-secrets-encryption'].role).toBe('${aws_iam_role.cluster-role.id}');
      expect(stack.data.aws_iam_policy_document['cluster-secrets-encryption-doc'].statement).toEqual([
        {
          sid: 'SecretsEnvelopeEncryption',
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
          resources: ['${aws_kms_key.eks-secrets-key.arn}'],
        },
      ]);
    }
  });

  it('refuses to plan the destruction of the cluster, the bucket and the secrets key', () => {
    for (const stack of [karpenter, ca]) {
      expect(first(stack, 'aws_eks_cluster').lifecycle).toMatchObject({
        prevent_destroy: true,
        ignore_changes: ['access_config[0].bootstrap_cluster_creator_admin_permissions'],
      });
      expect(first(stack, 'aws_s3_bucket').lifecycle).toEqual({ prevent_destroy: true });
      expect(first(stack, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  it('keeps the private API endpoint always and the public one only for the CIDRs of the spec', async () => {
    // The test spec lists no public access CIDRs: private endpoint only.
    expect(first(karpenter, 'aws_eks_cluster').vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(first(karpenter, 'aws_eks_cluster').vpc_config.public_access_cidrs).toBeUndefined();
    const spec = base('pub-us-east-1', 'karpenter');
    spec.aws.publicAccessCidrs = ['203.0.113.0/24'];
    const stack = await readStack(synthStacks([spec], await mkdtemp(join(tmpdir(), 'cdktf-')))['pub-us-east-1']!);
    expect(first(stack, 'aws_eks_cluster').vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
  });

  it('sends api, audit and authenticator logs to /aws/eks/<cluster>/cluster, created first with a retention (90 days prod, 30 otherwise)', async () => {
    expect(first(karpenter, 'aws_eks_cluster').enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator']);
    expect(karpenter.resource.aws_cloudwatch_log_group['control-plane-logs']).toMatchObject({ name: '/aws/eks/kp-us-east-1/cluster', retention_in_days: 90 });
    expect(first(karpenter, 'aws_eks_cluster').depends_on).toContain('aws_cloudwatch_log_group.control-plane-logs');
    const spec = base('dev-us-east-1', 'karpenter');
    spec.environment = 'dev';
    const stack: Obj = await readStack(synthStacks([spec], await mkdtemp(join(tmpdir(), 'cdktf-')))['dev-us-east-1']!);
    expect(stack.resource.aws_cloudwatch_log_group['control-plane-logs'].retention_in_days).toBe(30);
  });

  it("gives Karpenter clusters the interruption queue and the five event rules of Karpenter's reference, and no instance profile of their own", () => {
    // The EC2NodeClasses name the role; Karpenter makes the profile. One here would be unused.
    expect(all(karpenter, 'aws_iam_instance_profile')).toEqual([]);
    expect(first(karpenter, 'aws_sqs_queue').name).toBe('kp-us-east-1-karpenter-interruption');
    const patterns = all(karpenter, 'aws_cloudwatch_event_rule')
      .map((r) => JSON.parse(r.event_pattern)['detail-type'][0])
      .sort();
    expect(patterns).toEqual([
      'AWS Health Event',
      'EC2 Capacity Reservation Instance Interruption Warning',
      'EC2 Instance Rebalance Recommendation',
      'EC2 Instance State-change Notification',
      'EC2 Spot Instance Interruption Warning',
    ]);
    expect(all(karpenter, 'aws_cloudwatch_event_rule').every((r) => r.name.length <= 64)).toBe(true);
    expect(all(karpenter, 'aws_cloudwatch_event_target')).toHaveLength(5);
    const queuePolicy = karpenter.data.aws_iam_policy_document['interruption-queue-doc'].statement as Obj[];
    expect(queuePolicy.find((st) => st.sid === 'DenyHTTP')).toMatchObject({
      effect: 'Deny',
      actions: ['sqs:*'],
      principals: [{ type: '*', identifiers: ['*'] }],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
  });

  it('gives Cluster Autoscaler clusters the node groups from libs/nodes, spot only for index and data, with node-template ASG tags', () => {
    const groups = all(ca, 'aws_eks_node_group');
    const spot = groups.filter((g) => g.capacity_type === 'SPOT');
    expect(spot.length).toBeGreaterThan(0);
    expect(new Set(spot.map((g) => g.labels['milvus-gitops.io/node-class']))).toEqual(new Set(['index', 'data']));
    const query = groups.find((g) => g.node_group_name === 'ca-us-east-1-query-on-demand-a')!;
    expect(query.taint).toEqual([{ key: 'milvus-gitops.io/node-class', value: 'query', effect: 'NO_SCHEDULE' }]);
    expect(query.instance_types).toEqual(['r6id.4xlarge', 'r6idn.4xlarge']);
    const tags = all(ca, 'aws_autoscaling_group_tag').map((t) => t.tag.key);
    expect(tags).toContain('k8s.io/cluster-autoscaler/node-template/taint/milvus-gitops.io/node-class');
    expect(tags).toContain('k8s.io/cluster-autoscaler/ca-us-east-1');
    expect(all(ca, 'aws_sqs_queue')).toHaveLength(0);
  });

  it('keeps the bucket versioned, encrypted, private and TLS-only, with lifecycle rules that never expire live data', () => {
    expect(first(karpenter, 'aws_s3_bucket').bucket).toBe('acme-kp-us-east-1');
    expect(first(karpenter, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    expect(first(karpenter, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe(
      'aws:kms',
    );
    expect(first(karpenter, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const tls = karpenter.data.aws_iam_policy_document['bucket-tls-only'].statement[0];
    expect(tls).toMatchObject({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] });
    const rules = first(karpenter, 'aws_s3_bucket_lifecycle_configuration').rule as Obj[];
    expect(rules.map((r) => r.id)).toEqual([
      'abort-incomplete-multipart-uploads',
      'expire-noncurrent-versions',
      'remove-expired-delete-markers',
      'intelligent-tiering',
    ]);
    // The only expiration removes delete markers whose versions are gone; no current object ever expires.
    expect(rules.filter((r) => r.expiration).map((r) => [r.id, r.expiration])).toEqual([
      ['remove-expired-delete-markers', [{ expired_object_delete_marker: true }]],
    ]);
    expect(rules.find((r) => r.id === 'remove-expired-delete-markers')!.filter).toEqual([{ prefix: '' }]);
    // Deleted segment files stay recoverable as long as the spec says (the etcd snapshots' reach is validated against it).
    expect(rules.find((r) => r.id === 'expire-noncurrent-versions')!.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });
});
