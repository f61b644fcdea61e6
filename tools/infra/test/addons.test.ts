// The EKS add-ons of every example cluster: the EBS CSI driver that provisions the render's gp3
// StorageClass, under a role trusting exactly its controller ServiceAccount, and the add-ons an EKS
// upgrade must move. Expected names are spelled out here (from the EKS user guide), not derived,
// so a wrong name in libs/spec fails too.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { APPS, listClusters, loadClusterSpec, renderCluster } from '@milvus-gitops/cli';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { crossCheck, readStack, synthStacks, type RenderedServiceAccount } from '../src/index.js';

type Obj = Record<string, any>;
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SUBJECT = 'system:serviceaccount:kube-system:ebs-csi-controller-sa';
const POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy';

const examples: Record<string, ClusterSpec> = {};
const stacks: Record<string, Obj> = {};
beforeAll(async () => {
  for (const source of await listClusters(join(REPO, 'clusters'))) examples[source.folder] = await loadClusterSpec(source);
  const files = synthStacks(Object.values(examples), await mkdtemp(join(tmpdir(), 'cdktf-')));
  for (const [name, file] of Object.entries(files)) stacks[name] = await readStack(file);
});
const NAMES = ['dev-us-west-2', 'prod-us-east-1', 'staging-eu-west-1'];
const rendered = (name: string) => renderCluster(examples[name]!, APPS).files.map((f) => structuredClone(f.object) as unknown as RenderedServiceAccount);
const addonsOf = (stack: Obj): Obj[] => Object.values(stack.resource.aws_eks_addon ?? {});
const refId = (token: string, type: string): string =>
  new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.[a-z_]+\\}$`).exec(token)?.[1] ?? `(not a ${type} reference: ${token})`;

it('finds the example clusters', () => {
  expect(Object.keys(examples)).toEqual(NAMES);
});

describe.each(NAMES)('EKS add-ons of %s', (name) => {
  it('installs aws-ebs-csi-driver under a role trusting exactly ebs-csi-controller-sa through this cluster OIDC provider, with AmazonEBSCSIDriverPolicy', () => {
    const stack = stacks[name]!;
    const addon = addonsOf(stack).find((a) => a.addon_name === 'aws-ebs-csi-driver');
    expect(addon, 'aws_eks_addon aws-ebs-csi-driver').toBeDefined();
    const roleId = refId(addon!.service_account_role_arn, 'aws_iam_role');
    const role = stack.resource.aws_iam_role[roleId];
    expect(role.name).toBe(`${name}-ebs-csi-driver`);
    const trust = stack.data.aws_iam_policy_document[refId(role.assume_role_policy, 'data.aws_iam_policy_document')];
    const oidcId = Object.keys(stack.resource.aws_iam_openid_connect_provider)[0]!;
    const host = `\${replace(aws_iam_openid_connect_provider.${oidcId}.url, "https://", "")}`;
    expect(trust.statement).toEqual([
      {
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [`\${aws_iam_openid_connect_provider.${oidcId}.arn}`] }],
        condition: [
          { test: 'StringEquals', variable: `${host}:sub`, values: [SUBJECT] },
          { test: 'StringEquals', variable: `${host}:aud`, values: ['sts.amazonaws.com'] },
        ],
      },
    ]);
    const attached = Object.values(stack.resource.aws_iam_role_policy_attachment as Record<string, Obj>).filter(
      (a) => refId(a.role, 'aws_iam_role') === roleId,
    );
    expect(attached.map((a) => a.policy_arn)).toEqual([POLICY]);
    // Created after the nodes exist, so its controller can schedule.
    const groups = Object.keys(stack.resource.aws_eks_node_group).map((id) => `aws_eks_node_group.${id}`);
    expect(addon!.depends_on).toEqual(expect.arrayContaining(groups));
  });

  it('manages vpc-cni, kube-proxy and coredns at the cluster version, and runs the managed node groups at it', () => {
    const stack = stacks[name]!;
    const addons = addonsOf(stack);
    expect(addons.map((a) => a.addon_name).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'vpc-cni']);
    for (const a of addons) {
      const version = stack.data.aws_eks_addon_version[refId(a.addon_version, 'data.aws_eks_addon_version')];
      expect(version).toMatchObject({ addon_name: a.addon_name, kubernetes_version: '${aws_eks_cluster.eks.version}' });
      expect(a).toMatchObject({ cluster_name: '${aws_eks_cluster.eks.name}', resolve_conflicts_on_create: 'OVERWRITE' });
    }
    expect(addons.find((a) => a.addon_name === 'coredns')!.depends_on?.length).toBe(Object.keys(stack.resource.aws_eks_node_group).length);
    for (const g of Object.values(stack.resource.aws_eks_node_group as Record<string, Obj>)) expect(g.version).toBe('${aws_eks_cluster.eks.version}');
  });

  it('agrees with the render: a driver for every StorageClass provisioner, every IRSA role used', () => {
    const objects = rendered(name);
    expect(objects.filter((o) => o.kind === 'StorageClass').map((o) => o.provisioner)).toContain('ebs.csi.aws.com');
    expect(crossCheck(resolveClusterSpec(examples[name]!), stacks[name]!, objects)).toEqual([]);
  });

  it('fails the cross-check when the add-on is removed', () => {
    const stack = structuredClone(stacks[name]!);
    delete stack.resource.aws_eks_addon['addon-aws-ebs-csi-driver'];
    expect(crossCheck(resolveClusterSpec(examples[name]!), stack, rendered(name))).toEqual([
      `${name}: StorageClass gp3-encrypted: provisioner ebs.csi.aws.com needs EKS add-on aws-ebs-csi-driver, which the Terraform of ${name} does not install`,
      `${name}: IRSA role ${name}-ebs-csi-driver in the Terraform is used by no rendered ServiceAccount`,
    ]);
  });

  it('fails the cross-check when the add-on role admits another ServiceAccount or lacks its policy', () => {
    const stack = structuredClone(stacks[name]!);
    stack.data.aws_iam_policy_document['ebs-csi-driver-trust'].statement[0].condition[0].values = ['system:serviceaccount:kube-system:*'];
    delete stack.resource.aws_iam_role_policy_attachment['ebs-csi-driver-policy-0'];
    expect(crossCheck(resolveClusterSpec(examples[name]!), stack, rendered(name))).toEqual([
      `${name}: EKS add-on aws-ebs-csi-driver: role ${name}-ebs-csi-driver admits system:serviceaccount:kube-system:*, not exactly ${SUBJECT}`,
      `${name}: EKS add-on aws-ebs-csi-driver: role ${name}-ebs-csi-driver lacks ${POLICY}`,
    ]);
  });

  it('fails the cross-check on a StorageClass provisioner no add-on installs', () => {
    const objects = rendered(name);
    objects.push({ kind: 'StorageClass', metadata: { name: 'efs' }, provisioner: 'efs.csi.aws.com' });
    expect(crossCheck(resolveClusterSpec(examples[name]!), stacks[name]!, objects)).toEqual([
      `${name}: StorageClass efs: provisioner efs.csi.aws.com has no known EKS add-on (libs/spec CSI_DRIVER_ADDONS)`,
    ]);
  });

  it('fails the cross-check when a StorageClass encrypts with a customer key the driver role has no grants on', () => {
    const objects = rendered(name);
    const sc = objects.find((o) => o.kind === 'StorageClass' && o.provisioner === 'ebs.csi.aws.com')!;
    expect(sc.parameters?.kmsKeyId).toBeUndefined();
    sc.parameters = { ...sc.parameters, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc' };
    expect(crossCheck(resolveClusterSpec(examples[name]!), stacks[name]!, objects)).toEqual([
      `${name}: StorageClass ${sc.metadata.name}: encrypts with customer key arn:aws:kms:us-east-1:111122223333:key/abc, but the Terraform gives aws-ebs-csi-driver's role no KMS grants`,
    ]);
  });
});
