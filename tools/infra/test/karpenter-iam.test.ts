// The Karpenter controller's IAM policy, against the calls Karpenter v1 makes. Structure follows
// Karpenter's reference policy (aws/karpenter-provider-aws, website/content/en/v1.14/getting-started/
// getting-started-with-karpenter/cloudformation.yaml). A small evaluator checks whole launches: EC2
// authorizes RunInstances/CreateFleet per resource, and only resources created by the call (instance,
// volume, network interface, fleet, launch template, spot request) carry the request's tags;
// existing ones (image, snapshot, subnet, security group) have none in their request context
// (docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html), so a RequestTag
// condition on them denies every launch.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readStack, synthStacks } from '../src/index.js';
import { testSpec } from './fixtures.js';

type Obj = Record<string, any>;
type Context = Record<string, string | string[]>;
const CLUSTER = 'kp-us-east-1';
const NODE_ROLE = '${aws_iam_role.karpenter-node-role.arn}';
let statements: Obj[] = [];
beforeAll(async () => {
  const files = synthStacks([testSpec(CLUSTER, 'karpenter')], await mkdtemp(join(tmpdir(), 'cdktf-')));
  const stack = await readStack(files[CLUSTER]!);
  statements = (stack as Obj).data.aws_iam_policy_document['irsa-karpenter-permissions'].statement;
});

const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);
/** One condition against a request context (the operators this policy uses). */
function holds(c: Obj, ctx: Context): boolean {
  const v = ctx[c.variable];
  const values = c.values as string[];
  switch (c.test) {
    case 'StringEquals':
      return typeof v === 'string' && values.includes(v);
    case 'StringLike':
      return typeof v === 'string' && values.some((p) => glob(p, v));
    case 'StringEqualsIfExists':
      return v === undefined || (typeof v === 'string' && values.includes(v));
    case 'ForAllValues:StringEquals':
      return (Array.isArray(v) ? v : v === undefined ? [] : [v]).every((x) => values.includes(x));
    default:
      throw new Error(`evaluator lacks ${c.test}`);
  }
}
/** Whether some Allow statement grants `action` on `resource` in `ctx` (the policy has no Deny). */
const allowed = (action: string, resource: string, ctx: Context = {}): boolean =>
  statements.some(
    (s) =>
      (s.effect ?? 'Allow') === 'Allow' &&
      s.actions.some((a: string) => glob(a, action)) &&
      s.resources.some((r: string) => glob(r, resource)) &&
      (s.condition ?? []).every((c: Obj) => holds(c, ctx)),
  );

const ARN = (type: string, id: string, owner = '111122223333') => `arn:aws:ec2:us-east-1:${owner}:${type}/${id}`;
// The tags Karpenter puts on what it launches (pkg/providers/instance: kubernetes.io/cluster/<name>,
// eks:eks-cluster-name, karpenter.sh/nodepool, karpenter.k8s.aws/ec2nodeclass).
const requestTags: Context = {
  [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned',
  'aws:RequestTag/eks:eks-cluster-name': CLUSTER,
  'aws:RequestTag/karpenter.sh/nodepool': 'query',
  'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': 'nvme-raid0',
};
const ownLaunchTemplate: Context = { [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'query' };
/** Every resource a CreateFleet/RunInstances of Karpenter touches, with its request context. */
const launch = (lt: Context = ownLaunchTemplate, tags: Context = requestTags): [string, Context][] => [
  ['arn:aws:ec2:us-east-1::image/ami-0123', {}],
  ['arn:aws:ec2:us-east-1::snapshot/snap-0123', {}],
  [ARN('subnet', 'subnet-0123'), {}],
  [ARN('security-group', 'sg-0123'), {}],
  [ARN('launch-template', 'lt-0123'), lt],
  [ARN('fleet', 'fleet-0123'), tags],
  [ARN('instance', '*'), tags],
  [ARN('volume', '*'), tags],
  [ARN('network-interface', '*'), tags],
  [ARN('spot-instances-request', '*'), tags],
];
const denied = (action: string, resources: [string, Context][]) => resources.filter(([r, ctx]) => !allowed(action, r, ctx)).map(([r]) => r);

describe('Karpenter controller policy', () => {
  it('lets Karpenter launch: CreateFleet and RunInstances on images, snapshots, subnets and security groups unconditioned, its own launch template, tagged new resources', () => {
    expect(denied('ec2:CreateFleet', launch())).toEqual([]);
    expect(denied('ec2:RunInstances', launch())).toEqual([]);
    const access = statements.find((s) => s.sid === 'AllowScopedEC2InstanceAccessActions')!;
    expect(access.actions.sort()).toEqual(['ec2:CreateFleet', 'ec2:RunInstances']);
    expect(access.resources).toEqual(
      expect.arrayContaining([
        'arn:aws:ec2:us-east-1::image/*',
        'arn:aws:ec2:us-east-1:*:subnet/*',
        'arn:aws:ec2:us-east-1:*:security-group/*',
        'arn:aws:ec2:us-east-1:*:capacity-reservation/*',
      ]),
    );
    expect(access.condition).toBeUndefined();
  });

  it('denies launches from a launch template, or creating resources, not tagged for this cluster', () => {
    expect(denied('ec2:CreateFleet', launch({}))).toEqual([ARN('launch-template', 'lt-0123')]);
    const otherCluster = {
      ...requestTags,
      [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: undefined as unknown as string,
      'aws:RequestTag/kubernetes.io/cluster/other': 'owned',
    };
    expect(denied('ec2:RunInstances', launch(ownLaunchTemplate, otherCluster)).map((r) => r.split(':').at(-1)!.split('/')[0])).toEqual([
      'fleet',
      'instance',
      'volume',
      'network-interface',
      'spot-instances-request',
    ]);
    const noPool = { ...requestTags, 'aws:RequestTag/karpenter.sh/nodepool': undefined as unknown as string };
    expect(allowed('ec2:CreateLaunchTemplate', ARN('launch-template', '*'), noPool)).toBe(false);
    expect(allowed('ec2:CreateLaunchTemplate', ARN('launch-template', '*'), requestTags)).toBe(true);
  });

  it('tags only on create, or its own instances with the keys Karpenter sets later', () => {
    expect(allowed('ec2:CreateTags', ARN('instance', 'i-1'), { ...requestTags, 'ec2:CreateAction': 'CreateFleet' })).toBe(true);
    expect(allowed('ec2:CreateTags', ARN('volume', 'vol-1'), requestTags)).toBe(false);
    const own = { ...ownLaunchTemplate };
    expect(allowed('ec2:CreateTags', ARN('instance', 'i-1'), { ...own, 'aws:TagKeys': ['Name', 'karpenter.sh/nodeclaim'] })).toBe(true);
    expect(allowed('ec2:CreateTags', ARN('instance', 'i-1'), { ...own, 'aws:TagKeys': ['kubernetes.io/cluster/other'] })).toBe(false);
    expect(allowed('ec2:CreateTags', ARN('instance', 'i-1'), { 'aws:TagKeys': ['Name'] })).toBe(false);
  });

  it('terminates and deletes only what it launched', () => {
    expect(allowed('ec2:TerminateInstances', ARN('instance', 'i-1'), ownLaunchTemplate)).toBe(true);
    expect(allowed('ec2:TerminateInstances', ARN('instance', 'i-1'), {})).toBe(false);
    expect(allowed('ec2:DeleteLaunchTemplate', ARN('launch-template', 'lt-1'), ownLaunchTemplate)).toBe(true);
    expect(allowed('ec2:DeleteLaunchTemplate', ARN('launch-template', 'lt-1'), {})).toBe(false);
  });

  it('passes only the node role, only to EC2', () => {
    expect(allowed('iam:PassRole', NODE_ROLE, { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe(true);
    expect(allowed('iam:PassRole', NODE_ROLE, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe(false);
    expect(allowed('iam:PassRole', 'arn:aws:iam::111122223333:role/admin', { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe(false);
  });

  it('manages only instance profiles tagged as its own for this cluster and region', () => {
    const profile = 'arn:aws:iam::111122223333:instance-profile/kp-us-east-1_123';
    const create = { ...requestTags, 'aws:RequestTag/topology.kubernetes.io/region': 'us-east-1' };
    expect(allowed('iam:CreateInstanceProfile', profile, create)).toBe(true);
    expect(allowed('iam:CreateInstanceProfile', profile, { ...create, 'aws:RequestTag/topology.kubernetes.io/region': 'eu-west-1' })).toBe(false);
    const ownProfile = {
      [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned',
      'aws:ResourceTag/topology.kubernetes.io/region': 'us-east-1',
      'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': 'standard',
    };
    for (const action of ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile']) {
      expect(allowed(action, profile, ownProfile), action).toBe(true);
      expect(allowed(action, profile, {}), action).toBe(false);
    }
    expect(allowed('iam:GetInstanceProfile', profile)).toBe(true);
    expect(allowed('iam:ListInstanceProfiles', '*')).toBe(true);
  });

  it('reads the public AMI parameters, prices, regional EC2 descriptions, its queue and its cluster', () => {
    expect(
      allowed('ssm:GetParameter', 'arn:aws:ssm:us-east-1::parameter/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id'),
    ).toBe(true);
    expect(allowed('ssm:GetParameter', 'arn:aws:ssm:us-east-1:111122223333:parameter/secrets/db')).toBe(false);
    expect(allowed('pricing:GetProducts', '*')).toBe(true);
    expect(allowed('ec2:DescribeSubnets', '*', { 'aws:RequestedRegion': 'us-east-1' })).toBe(true);
    expect(allowed('ec2:DescribeSubnets', '*', { 'aws:RequestedRegion': 'eu-west-1' })).toBe(false);
    expect(allowed('sqs:ReceiveMessage', 'arn:aws:sqs:us-east-1:111122223333:kp-us-east-1-karpenter-interruption')).toBe(true);
    expect(allowed('sqs:ReceiveMessage', 'arn:aws:sqs:us-east-1:111122223333:other')).toBe(false);
    expect(allowed('eks:DescribeCluster', 'arn:aws:eks:us-east-1:111122223333:cluster/kp-us-east-1')).toBe(true);
  });

  it('fits in an inline role policy (IAM: 10,240 characters per role, whitespace not counted)', () => {
    const doc = { Version: '2012-10-17', Statement: statements };
    expect(JSON.stringify(doc).length).toBeLessThan(10_240);
  });
});
