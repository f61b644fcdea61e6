// The pull requests a platform team opens most carefully, through the real `gitops diff`: moving a
// cluster to Karpenter, upgrading Milvus 2.5 to 2.6, switching the message queue. The report puts
// what needs attention first: the infrastructure a change destroys, and what to do.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPS, renderCluster, writeRendered } from '@milvus-gitops/cli';
import { synthStacks } from '@milvus-gitops/infra';
import type { ClusterSpec } from '@milvus-gitops/spec';
import { EXAMPLES } from './clusters.js';
import { gitops } from './helpers.js';

/** Renders and synthesizes `base` and `head` specs, then runs `gitops diff` on the folders. */
async function diff(base: ClusterSpec, head: ClusterSpec) {
  const dir = await mkdtemp(join(tmpdir(), 'diff-risk-'));
  const side = async (name: string, spec: ClusterSpec) => {
    await writeRendered(join(dir, name), [renderCluster(spec, APPS)], true);
    synthStacks([spec], join(dir, `${name}-infra`));
  };
  await side('base', base);
  await side('head', head);
  return gitops(
    'diff',
    '--base-dir',
    join(dir, 'base'),
    '--head-dir',
    join(dir, 'head'),
    '--base-infra',
    join(dir, 'base-infra'),
    '--head-infra',
    join(dir, 'head-infra'),
  );
}

const staging = EXAMPLES['staging-eu-west-1']!;

describe('gitops diff on risky pull requests', () => {
  it('moving staging to Karpenter lists the node groups terraform would destroy, first, with the two-step path', async () => {
    const r = await diff(staging, { ...staging, nodes: { ...staging.nodes, provisioner: 'karpenter' } });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^WARNING \[provisioner-change\] staging-eu-west-1: the node provisioner changes from cluster-autoscaler to karpenter, destroying [0-9]+ node groups with every pod on them in one apply: migrate in two steps/,
    );
    const destroyed = lines.filter((l) => / - aws_eks_node_group\./.test(l));
    // Every Cluster Autoscaler group goes; the system group stays.
    expect(destroyed.length).toBeGreaterThanOrEqual(15);
    expect(destroyed.some((l) => /system/.test(l))).toBe(false);
    expect(r.stdout).toMatch(
      /WARNING \[infra-destroy\] staging-eu-west-1: terraform would destroy [0-9]+ resource\(s\) holding data or capacity: aws_eks_node_group\./,
    );
    // The warnings come before the object-by-object render diff.
    expect(r.stdout.indexOf('[provisioner-change]')).toBeLessThan(r.stdout.indexOf('objects:'));
  });

  it('the 2.5 to 2.6 upgrade says what Milvus requires', async () => {
    const r = await diff(staging, {
      ...staging,
      milvus: { ...staging.milvus, version: '2.6.15', indexNode: undefined },
      autoscaling: { ...staging.autoscaling, indexBuild: { pendingTasksPerReplica: 4 } },
    });
    expect(r.stdout).toContain('WARNING [milvus-minor-upgrade] staging-eu-west-1: Milvus 2.5.26 -> 2.6.15 changes the topology in one apply');
  });

  it('refuses, with exit 3, a queue switch and an upgrade from a 2.5 release Milvus cannot upgrade from', async () => {
    const old = { ...staging, milvus: { ...staging.milvus, version: '2.5.10' } };
    const r = await diff(old, {
      ...staging,
      milvus: { ...staging.milvus, version: '2.6.15', indexNode: undefined, messageQueue: { type: 'woodpecker' } },
      autoscaling: { ...staging.autoscaling, indexBuild: { pendingTasksPerReplica: 4 } },
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(
      'ERROR [milvus-minor-upgrade] staging-eu-west-1: Milvus 2.5.10 -> 2.6.15 skips the required step: move to 2.5.16 or later first',
    );
    expect(r.stdout).toContain('ERROR [message-queue-change] staging-eu-west-1: the message queue changes from kafka to woodpecker');
  });
});
