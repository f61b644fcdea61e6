import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPS, renderCluster, writeRendered } from '@milvus-gitops/cli';
import type { ClusterSpec } from '@milvus-gitops/spec';
import { CLUSTER_COUNT, EXAMPLES } from './clusters.js';
import { gitops } from './helpers.js';

/** Renders the example clusters, with `change` applied to a copy of their specs, into a new folder. */
async function renderExamples(change: (specs: Record<string, ClusterSpec>) => void = () => undefined): Promise<string> {
  const specs = structuredClone(EXAMPLES) as Record<string, ClusterSpec>;
  change(specs);
  const out = join(await mkdtemp(join(tmpdir(), 'diff-')), 'rendered');
  await writeRendered(
    out,
    Object.values(specs).map((s) => renderCluster(s, APPS)),
    true,
  );
  return out;
}

const raiseQueryMax = (specs: Record<string, ClusterSpec>) => {
  specs['prod-us-east-1']!.milvus.queryNode = { ...specs['prod-us-east-1']!.milvus.queryNode, maxReplicas: 30 };
};

describe('gitops diff', () => {
  it('shows a query maxReplicas change from 20 to 30 as exactly that HPA field', async () => {
    const base = await renderExamples();
    const head = await renderExamples(raiseQueryMax);
    const r = await gitops('diff', '--base-dir', base, '--head-dir', head);
    expect(r.code).toBe(1);
    const [attention, replay, rest] = r.stdout.split('\n\n', 2).concat(r.stdout.split('\n\n').slice(2).join('\n\n'));
    // What needs attention comes first: this is a production cluster.
    expect(attention).toBe(
      'WARNING [prod-change] prod-us-east-1: a production cluster changes: merge in a change window, with someone watching the Milvus dashboards',
    );
    // The HPA changed, so the spike replay runs on both sides; a higher ceiling the spike never reaches changes nothing.
    const lines = replay!.split('\n');
    expect(lines[0]).toBe('capacity replay of prod-us-east-1 (--profile spike10x), base -> head:');
    expect(lines.slice(1).map((l) => l.trim().replace(/ {2,}/g, ': '))).toEqual([
      'P99 held: yes -> yes',
      expect.stringMatching(/^max P99: ([\d.]+) ms \(SLO 200\) -> \1 ms \(SLO 200\)$/),
      'time to recover: 0 s -> 0 s',
      expect.stringMatching(/^peak query nodes: (\d+) -> \1$/),
      expect.stringMatching(/^peak nodes: (\d+) -> \1$/),
      expect.stringMatching(/^cost per hour: (\$[\d.,]+) -> \1$/),
      expect.stringMatching(/^cost per month: (\$[\d,]+) \(730 h at the replay's average\) -> \1 \(730 h at the replay's average\)$/),
    ]);
    expect(rest).toBe(
      [
        `objects: 1 changed, 0 added, 0 removed, in 1 of ${CLUSTER_COUNT} clusters`,
        '',
        'prod-us-east-1 (0 added, 0 removed, 1 changed)',
        '  autoscaling',
        '    ~ HorizontalPodAutoscaler milvus/milvus-querynode',
        '        spec.maxReplicas: 20 -> 30',
        '',
      ].join('\n'),
    );
  });

  it('shows what a change does to the spike replay: a lower ceiling breaks the SLO', async () => {
    const base = await renderExamples();
    const head = await renderExamples((specs) => {
      specs['prod-us-east-1']!.milvus.queryNode = { minReplicas: 8, maxReplicas: 8 };
    });
    // The head's spec is the committed one here (maxReplicas 20): the replay judges objects, so the
    // head folder's HPA with maxReplicas 8 is what it replays.
    const r = await gitops('diff', '--base-dir', base, '--head-dir', head, '--format', 'markdown');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('#### Capacity replay');
    expect(r.stdout).toMatch(/\| P99 held \| yes \| no, from minute \d+ \(maxReplicas reached\) \|/);
    expect(r.stdout).toContain(':warning: the head breaks the SLO (200 ms) in this replay');
  });

  it('renders the base ref in a temporary worktree with its own code and exits 0 when nothing changed', async () => {
    // The head is the committed examples rendered by this checkout, so base HEAD and head agree.
    const head = await renderExamples();
    const same = await gitops('diff', '--base', 'HEAD', '--head-dir', head);
    expect(same.stderr).toBe('');
    expect(same.stdout).toBe(`no changes to the rendered output of ${CLUSTER_COUNT} clusters\n`);
    expect(same.code).toBe(0);

    const changed = await gitops('diff', '--base', 'HEAD', '--head-dir', await renderExamples(raiseQueryMax), '--format', 'markdown');
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('### Rendered changes against `HEAD`');
    expect(changed.stdout).toContain('<summary><b>prod-us-east-1</b>: 0 added, 0 removed, 1 changed</summary>');
    expect(changed.stdout).toContain('| `spec.maxReplicas` | `20` | `30` |');
  });

  it('fails with exit 2 and a clear message for a ref that does not exist', async () => {
    const r = await gitops('diff', '--base', 'no-such-ref-anywhere', '--head-dir', await renderExamples());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: diff: .*no-such-ref-anywhere/);
  });
});
