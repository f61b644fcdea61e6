// Who reaches the Kubernetes API: access entries only (no aws-auth ConfigMap, no standing admin for
// whoever ran `terraform apply`), cluster admin for the spec's operator roles, and an EC2_LINUX
// entry for the role of the nodes Karpenter launches (managed node groups get theirs from EKS).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readStack, synthStacks } from '../src/index.js';
import { testSpec } from './fixtures.js';

type Obj = Record<string, any>;
const ADMINS = ['arn:aws:iam::111122223333:role/platform-admin', 'arn:aws:iam::111122223333:role/sso/AWSReservedSSO_Admin_0123'];
let karpenter: Obj;
let ca: Obj;
beforeAll(async () => {
  const kp = testSpec('kp-us-east-1', 'karpenter');
  kp.aws.adminRoleArns = ADMINS;
  const files = synthStacks([kp, testSpec('ca-us-east-1', 'cluster-autoscaler')], await mkdtemp(join(tmpdir(), 'cdktf-')));
  karpenter = await readStack(files['kp-us-east-1']!);
  ca = await readStack(files['ca-us-east-1']!);
});
const entries = (stack: Obj): Obj[] => Object.values(stack.resource.aws_eks_access_entry ?? {});
const associations = (stack: Obj): Obj[] => Object.values(stack.resource.aws_eks_access_policy_association ?? {});

describe('cluster access', () => {
  it('authenticates through access entries only, without admin for the cluster creator, and never replaces a cluster over that flag', () => {
    for (const stack of [karpenter, ca]) {
      const eks = stack.resource.aws_eks_cluster.eks;
      expect(eks.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
      expect(eks.lifecycle.ignore_changes).toContain('access_config[0].bootstrap_cluster_creator_admin_permissions');
    }
  });

  it('registers every cluster for ARC zonal shift, whose shifts Karpenter may read for its own cluster only', () => {
    for (const stack of [karpenter, ca]) expect(stack.resource.aws_eks_cluster.eks.zonal_shift_config).toEqual({ enabled: true });
    const read = (karpenter.data.aws_iam_policy_document['irsa-karpenter-permissions'].statement as Obj[]).find((st) =>
      (st.actions as string[]).includes('arc-zonal-shift:GetManagedResource'),
    )!;
    expect(read.condition).toEqual([
      {
        test: 'StringEquals',
        variable: 'arc-zonal-shift:ResourceIdentifier',
        values: [expect.stringMatching(/^arn:aws:eks:us-east-1:\d{12}:cluster\/kp-us-east-1$/)],
      },
    ]);
  });

  it('makes each operator role of the spec a cluster admin, and no one else', () => {
    const admins = entries(karpenter).filter((e) => e.type === 'STANDARD');
    expect(admins.map((e) => e.principal_arn)).toEqual(ADMINS);
    expect(associations(karpenter)).toEqual(
      Object.keys(karpenter.resource.aws_eks_access_entry)
        .filter((id) => id.startsWith('admin-access-'))
        .map((id) =>
          expect.objectContaining({
            cluster_name: '${aws_eks_cluster.eks.name}',
            principal_arn: `\${aws_eks_access_entry.${id}.principal_arn}`,
            policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
            access_scope: { type: 'cluster' },
          }),
        ),
    );
    // The default is none.
    expect(entries(ca).filter((e) => e.type === 'STANDARD')).toEqual([]);
    expect(associations(ca)).toEqual([]);
  });

  it('lets nodes Karpenter launches join: an EC2_LINUX entry for their own role, which the managed groups do not use', () => {
    const roles = karpenter.resource.aws_iam_role as Record<string, Obj>;
    const nodeEntries = entries(karpenter).filter((e) => e.type === 'EC2_LINUX');
    expect(nodeEntries).toEqual([
      expect.objectContaining({ cluster_name: '${aws_eks_cluster.eks.name}', principal_arn: '${aws_iam_role.karpenter-node-role.arn}' }),
    ]);
    expect(roles['karpenter-node-role']!.name).toBe('kp-us-east-1-karpenter-node');
    const attached = Object.values(karpenter.resource.aws_iam_role_policy_attachment as Record<string, Obj>)
      .filter((a) => a.role === '${aws_iam_role.karpenter-node-role.name}')
      .map((a) => a.policy_arn.split('/').at(-1))
      .sort();
    expect(attached).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore']);
    const managed = Object.values(karpenter.resource.aws_iam_role_policy_attachment as Record<string, Obj>)
      .filter((a) => a.role === '${aws_iam_role.node-role.name}')
      .map((a) => a.policy_arn.split('/').at(-1))
      .sort();
    expect(managed).toEqual(attached);
    // EKS creates the managed groups' entry itself; an entry of ours for the same role would collide.
    for (const g of Object.values(karpenter.resource.aws_eks_node_group as Record<string, Obj>)) expect(g.node_role_arn).toBe('${aws_iam_role.node-role.arn}');
    expect(entries(ca).filter((e) => e.type === 'EC2_LINUX')).toEqual([]);
  });
});
