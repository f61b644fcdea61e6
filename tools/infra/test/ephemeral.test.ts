// Query pods on Cluster Autoscaler clusters: they request ephemeral storage (the segment cache), so
// each query node group must (a) turn its NVMe instance store into the node's ephemeral storage
// (nodeadm localStorage RAID0 in its launch template's user data) and (b) tell the Cluster
// Autoscaler, which builds a template node from the ASG before any node exists, how much it has
// (the node-template/resources/ephemeral-storage ASG tag); otherwise the pod never schedules and
// the group never scales up from zero.
import { beforeAll, describe, expect, it } from 'vitest';
import { allocatable, INSTANCE_TYPES } from '@milvus-gitops/nodes';
import { parseQuantity, type ClusterSpec } from '@milvus-gitops/spec';
import { EPHEMERAL_STORAGE_TAG } from '../src/index.js';
import { loadExamples, renderedObjects } from './examples.js';

type Obj = Record<string, any>;
let specs: Record<string, ClusterSpec> = {};
let stacks: Record<string, Obj> = {};
beforeAll(async () => {
  ({ specs, stacks } = await loadExamples());
});
const NAME = 'staging-eu-west-1';
const GiB = 2 ** 30;
const refId = (token: string, type: string): string =>
  new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.[a-z_]+\\}$`).exec(String(token))?.[1] ?? `(not a ${type} reference: ${token})`;

/** The ephemeral-storage request of the rendered query node container. */
function queryPodRequest(spec: ClusterSpec): number {
  const workloads = renderedObjects<Obj>(spec).filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind));
  const containers = workloads.flatMap((w) => (w.spec.template.spec.containers as Obj[]).map((c) => ({ w, c }))).filter(({ c }) => c.name === 'querynode');
  expect(containers).toHaveLength(1);
  return parseQuantity(containers[0]!.c.resources.requests['ephemeral-storage'])!;
}

describe(`query node groups of ${NAME}`, () => {
  const groups = () =>
    Object.entries(stacks[NAME]!.resource.aws_eks_node_group as Record<string, Obj>).filter(([, g]) => g.labels['milvus-gitops.io/node-class'] === 'query');

  it('finds query pods requesting ephemeral storage and query node groups in every zone', () => {
    expect(queryPodRequest(specs[NAME]!)).toBe(100 * GiB);
    expect(
      groups()
        .map(([, g]) => g.node_group_name)
        .sort(),
    ).toEqual([`${NAME}-query-on-demand-a`, `${NAME}-query-on-demand-b`, `${NAME}-query-on-demand-c`]);
  });

  it('stripes each query node NVMe instance store into its ephemeral storage (nodeadm RAID0 in the launch template)', () => {
    for (const [, g] of groups()) {
      expect(g.launch_template, g.node_group_name).toBeDefined();
      const lt = stacks[NAME]!.resource.aws_launch_template[refId(g.launch_template.id, 'aws_launch_template')];
      expect(g.launch_template.version).toBe(`\${aws_launch_template.${refId(g.launch_template.id, 'aws_launch_template')}.latest_version}`);
      const userData = Buffer.from(lt.user_data, 'base64').toString('utf8');
      expect(userData).toMatch(/^MIME-Version: 1\.0\nContent-Type: multipart\/mixed; boundary="\/\/"\n/);
      const part = userData.split('--//').find((p) => p.includes('Content-Type: application/node.eks.aws'))!;
      expect(part).toContain('apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  instance:\n    localStorage:\n      strategy: RAID0\n');
      // EKS supplies the cluster part; a launch template for managed nodes must not set an AMI or instance type.
      expect(lt.image_id).toBeUndefined();
      expect(lt.instance_type).toBeUndefined();
    }
  });

  it('can hold a query pod: every instance type has the NVMe, and the ASG tells the Cluster Autoscaler so', () => {
    const request = queryPodRequest(specs[NAME]!);
    const tags = Object.values(stacks[NAME]!.resource.aws_autoscaling_group_tag as Record<string, Obj>);
    for (const [id, g] of groups()) {
      for (const t of g.instance_types as string[]) expect(allocatable(INSTANCE_TYPES[t]!).ephemeralGi * GiB, t).toBeGreaterThanOrEqual(request);
      const tag = tags.find(
        (x) => x.autoscaling_group_name === `\${aws_eks_node_group.${id}.resources[0].autoscaling_groups[0].name}` && x.tag.key === EPHEMERAL_STORAGE_TAG,
      );
      expect(tag, `${g.node_group_name}: ${EPHEMERAL_STORAGE_TAG}`).toBeDefined();
      const advertised = parseQuantity(tag!.tag.value)!;
      expect(advertised).toBeGreaterThanOrEqual(request);
      // Never more than a node really offers, or the autoscaler would launch nodes the pod cannot use.
      for (const t of g.instance_types as string[]) expect(advertised).toBeLessThanOrEqual(allocatable(INSTANCE_TYPES[t]!).ephemeralGi * GiB);
    }
  });

  it('leaves the other groups on the default launch template, without an ephemeral-storage tag', () => {
    const others = Object.entries(stacks[NAME]!.resource.aws_eks_node_group as Record<string, Obj>).filter(
      ([, g]) => g.labels['milvus-gitops.io/node-class'] !== 'query',
    );
    expect(others.length).toBeGreaterThan(0);
    for (const [, g] of others) expect(g.launch_template).toBeUndefined();
    const tagged = Object.values(stacks[NAME]!.resource.aws_autoscaling_group_tag as Record<string, Obj>).filter((x) => x.tag.key === EPHEMERAL_STORAGE_TAG);
    expect(tagged).toHaveLength(3);
  });
});
