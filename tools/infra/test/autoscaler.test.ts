// The Cluster Autoscaler across the layers: the ASG tags it discovers groups by, the node-group
// names its priority expander names, and the node-class labels pods require all exist in the
// synthesized stack (with the node-template tags that let a group scale up from zero).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '@milvus-gitops/core/manifest';
import { autoscalerCheck, readStack, synthStacks } from '../src/index.js';
import { loadExamples, renderedObjects } from './examples.js';
import { testSpec } from './fixtures.js';

type Obj = Record<string, any>;
const { specs, stacks } = await loadExamples();
// The fixture's Cluster Autoscaler cluster always, and every example cluster that uses one.
const fixture = testSpec('ca-us-east-1', 'cluster-autoscaler');
specs[fixture.name] = fixture;
stacks[fixture.name] = await readStack(synthStacks([fixture], await mkdtemp(join(tmpdir(), 'cdktf-')))[fixture.name]!);
const CA = Object.keys(specs)
  .filter((n) => specs[n]!.nodes.provisioner === 'cluster-autoscaler')
  .sort();

describe.each(CA)('Cluster Autoscaler wiring of %s', (name) => {
  const spec = () => resolveClusterSpec(specs[name] as ClusterSpec);
  const objects = () => renderedObjects<Manifest>(specs[name]!);

  it('agrees with the stack: discovery tags, priority patterns, node-class labels and node-template tags', () => {
    expect(autoscalerCheck(spec(), stacks[name]!, objects())).toEqual([]);
  });

  it('fails when a node group is renamed in the stack, or loses its discovery or node-template tags', () => {
    const stack = structuredClone(stacks[name]!) as Obj;
    const groups = stack.resource.aws_eks_node_group as Record<string, Obj>;
    const [spotId, spot] = Object.entries(groups).find(([, g]) => g.capacity_type === 'SPOT')!;
    spot.node_group_name = `${spot.node_group_name}-renamed`;
    const tags = stack.resource.aws_autoscaling_group_tag as Record<string, Obj>;
    const [queryId] = Object.entries(groups).find(([, g]) => g.labels['milvus-gitops.io/node-class'] === 'query' && g.scaling_config.min_size === 0)!;
    for (const [k, t] of Object.entries(tags)) {
      const owner = /aws_eks_node_group\.([^.]+)\./.exec(t.autoscaling_group_name)![1];
      if (owner === spotId && t.tag.key === 'k8s.io/cluster-autoscaler/enabled') delete tags[k];
      if (owner === queryId && t.tag.key === 'k8s.io/cluster-autoscaler/node-template/label/milvus-gitops.io/node-class') delete tags[k];
    }
    const problems = autoscalerCheck(spec(), stack, objects());
    expect(problems).toContain(
      `${name}: node group ${spot.node_group_name}: its ASG lacks k8s.io/cluster-autoscaler/enabled, so the Cluster Autoscaler never scales it`,
    );
    expect(
      problems.some(
        (p) =>
          p.startsWith(`${name}: priority expander pattern ^eks-${spot.node_group_name.replace(/-renamed$/, '')}-`) &&
          p.endsWith('matches no node group of the Terraform'),
      ),
    ).toBe(true);
    expect(
      problems.some((p) =>
        p.startsWith(
          `${name}: node group ${groups[queryId]!.node_group_name} can be at zero but its ASG lacks k8s.io/cluster-autoscaler/node-template/label/milvus-gitops.io/node-class=query`,
        ),
      ),
    ).toBe(true);
  });

  it('fails when pods require a node class no group is labelled with', () => {
    const stack = structuredClone(stacks[name]!) as Obj;
    for (const g of Object.values(stack.resource.aws_eks_node_group as Record<string, Obj>)) {
      if (g.labels['milvus-gitops.io/node-class'] === 'data') g.labels['milvus-gitops.io/node-class'] = 'dta';
    }
    const problems = autoscalerCheck(spec(), stack, objects());
    expect(problems).toContain(
      `${name}: Deployment milvus/milvus-datanode requires milvus-gitops.io/node-class=data, which no node group of the Terraform is labelled with`,
    );
  });
});

describe('autoscalerCheck on Karpenter clusters', () => {
  it('has nothing to check', () => {
    const kp = testSpec('kp-us-east-1', 'karpenter');
    expect(autoscalerCheck(resolveClusterSpec(kp), {}, [])).toEqual([]);
  });
});
