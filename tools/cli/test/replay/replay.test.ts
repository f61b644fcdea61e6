// The capacity replay against the example clusters' rendered objects, and the command around it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '@milvus-gitops/core';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { APPS } from '../../src/apps.js';
import { renderCluster } from '../../src/render.js';
import { costClaims, formatReplayJson, formatReplaySvg, formatReplayText, replayCluster } from '../../src/replay/index.js';
import { workloadLoad } from '../../src/replay/model.js';
import { findRepoRoot, listClusters, loadClusterSpec } from '../../src/workspace.js';
import { clustersDir } from '../fixtures.js';

const root = findRepoRoot(import.meta.dirname);
const GITOPS = resolve(import.meta.dirname, '../../bin/gitops.js');

async function cluster(name: string, edit: (s: ClusterSpec) => void = () => undefined) {
  const source = (await listClusters(join(root, 'clusters'))).find((s) => s.folder === name)!;
  const input = structuredClone(await loadClusterSpec(source));
  edit(input);
  return { input, spec: resolveClusterSpec(input), objects: renderCluster(input, APPS).files.map((f) => f.object) };
}

const queryHpa = (objects: Manifest[]) =>
  objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'milvus-querynode')! as Manifest & { spec: Record<string, unknown> };

describe('gitops replay: prod-us-east-1', () => {
  it('holds P99 under the SLO through a 10x spike with the committed spec', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const r = replayCluster(spec, objects, 'spike10x');
    expect(r).toMatchObject({ cluster: 'prod-us-east-1', profile: 'spike10x', sloMs: 200, met: true, breachSeconds: 0 });
    expect(r.maxP99Ms).toBeLessThan(200);
    expect(r.timeline).toHaveLength(60 * 60);
    // It scaled: more query nodes at the peak than at the start, and back down afterwards.
    expect(r.peakQueryNodes).toBeGreaterThan(r.timeline[0]!.queryNodes);
    expect(r.timeline.at(-1)!.queryNodes).toBeLessThan(r.peakQueryNodes);
    expect(r.costPerHour).toBeGreaterThan(0);
    expect(r.costPerMonth).toBeCloseTo(r.costPerHour * 730, -1);
  });

  it('breaks the SLO when maxReplicas is lowered to 4, and names maxReplicas', async () => {
    const { spec, objects } = await cluster('prod-us-east-1', (s) => {
      s.milvus.queryNode = { minReplicas: 4, maxReplicas: 4 };
    });
    const r = replayCluster(spec, objects, 'spike10x');
    expect(r.met).toBe(false);
    expect(r.bottleneck).toBe('maxReplicas reached');
    expect(r.firstBreachMinute).toBeGreaterThanOrEqual(5);
    expect(formatReplayText(r)).toMatch(new RegExp(`SLO broken[\\s\\S]*from minute ${r.firstBreachMinute} [\\s\\S]*bottleneck: maxReplicas reached`));
  });

  it('breaks the SLO when scale-up is slowed to one pod per 5 minutes, and names the HPA', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const behavior = queryHpa(objects).spec.behavior as Record<string, unknown>;
    behavior.scaleUp = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] };
    const r = replayCluster(spec, objects, 'spike10x');
    expect(r.met).toBe(false);
    expect(r.bottleneck).toBe('HPA too slow');
  });

  it('names the pool limits when the NodePool cannot grow', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const pool = objects.find((o) => o.kind === 'NodePool' && o.metadata.name === 'query')! as Manifest & { spec: { limits: Record<string, string> } };
    pool.spec.limits = { cpu: '48', memory: '384Gi' };
    const r = replayCluster(spec, objects, 'spike10x');
    expect(r.met).toBe(false);
    expect(r.bottleneck).toBe('pool limits');
  });

  it('recovers in a different time with the Cluster Autoscaler than with Karpenter', async () => {
    const few = (s: ClusterSpec) => {
      s.milvus.queryNode = { minReplicas: 2, maxReplicas: 20 };
    };
    const karpenter = await cluster('prod-us-east-1', few);
    const ca = await cluster('prod-us-east-1', (s) => {
      few(s);
      s.nodes.provisioner = 'cluster-autoscaler';
    });
    const a = replayCluster(karpenter.spec, karpenter.objects, 'spike10x');
    const b = replayCluster(ca.spec, ca.objects, 'spike10x');
    expect(a.met).toBe(false);
    expect(b.met).toBe(false);
    expect(b.recoverSeconds).not.toBe(a.recoverSeconds);
    expect(a.costByPool.map((p) => p.pool)).toContain('NodePool query: query nodes (on-demand)');
    expect(b.costByPool.map((p) => p.pool)).toContain('node groups prod-us-east-1-query-on-demand-*: query nodes (on-demand)');
  });

  it('reports restart-to-serving seconds for the spec data after a query-node restart', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const r = replayCluster(spec, objects, 'querynode-restart');
    // Readiness probe (one 10 s period), then its share of the segments from S3 at 400 MB/s.
    const expected = (x: typeof r, load: number) => 10 + load / x.timeline[0]!.queryNodes / 400e6;
    const e1 = expected(r, workloadLoad(spec.workload).loadBytes);
    expect(r.restartToServingSeconds).toBeGreaterThanOrEqual(Math.floor(e1) - 1);
    expect(r.restartToServingSeconds).toBeLessThanOrEqual(Math.ceil(e1) + 1);
    // More data per query node takes longer to load.
    const bigger = await cluster('prod-us-east-1', (s) => {
      s.workload!.collections![0]!.vectors = 100_000_000;
    });
    const r2 = replayCluster(bigger.spec, bigger.objects, 'querynode-restart');
    const e2 = expected(r2, workloadLoad(bigger.spec.workload).loadBytes);
    expect(e2).toBeGreaterThan(e1 + 10);
    expect(r2.restartToServingSeconds).toBeGreaterThanOrEqual(Math.floor(e2) - 1);
    expect(r2.restartToServingSeconds).toBeLessThanOrEqual(Math.ceil(e2) + 1);
  });

  it('loses a zone and comes back on the other two', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const r = replayCluster(spec, objects, 'az-loss');
    expect(r.notes.join('\n')).toMatch(/zone us-east-1a lost with \d+ query node\(s\) and \d+ query pod\(s\)/);
    const after = r.timeline.at(-1)!;
    expect(after.servingQueryNodes).toBeGreaterThanOrEqual(spec.milvus.queryNode.minReplicas);
  });

  it('writes JSON with the documented fields and an SVG chart', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const r = replayCluster(spec, objects, 'spike10x');
    const json = JSON.parse(formatReplayJson(r));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['sloMs', 'maxP99Ms', 'met', 'timeline']));
    expect(Object.keys(json.timeline[0])).toEqual(expect.arrayContaining(['t', 'qps', 'p99Ms', 'queryNodes', 'nodes', 'costPerHour']));
    const svg = formatReplaySvg(r);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // Well-formed: every element opened is closed.
    const stack: string[] = [];
    for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]!);
    }
    expect(stack).toEqual([]);
    expect(svg.match(/<path d="M/g)).toHaveLength(5);
  });

  it('computes the seed claims: compute against a static on-demand peak fleet, S3 against gp3', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const c = costClaims(spec, objects, replayCluster(spec, objects, 'diurnal'), replayCluster(spec, objects, 'spike10x'));
    expect(c.compute.saving).toBeGreaterThan(0);
    expect(c.compute.saving).toBeLessThan(1);
    expect(c.storage.saving).toBeCloseTo(1 - 0.023 / ((3 * 0.08) / 0.8), 2);
    expect(c.pricedAs).toBe('us-east-1');
  });
});

describe('gitops replay: other clusters', () => {
  it.each(['staging-eu-west-1', 'dev-us-west-2'])('replays %s and says its prices are borrowed', async (name) => {
    const { spec, objects } = await cluster(name);
    const r = replayCluster(spec, objects, 'spike10x');
    expect(r.timeline.length).toBeGreaterThan(0);
    expect(r.notes).toContain(`no EC2 or storage prices for ${spec.aws.region} in the price table: costs are at us-east-1 list prices`);
  });
});

describe('gitops replay (command)', () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [GITOPS, 'replay', ...args], { cwd: root }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('prints JSON, writes the chart and exits 0 when the SLO holds', async () => {
    const chart = join(await mkdtemp(join(tmpdir(), 'replay-')), 'prod.svg');
    const r = await run(['--cluster', 'prod-us-east-1', '--profile', 'spike10x', '--format', 'json', '--chart', chart]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cluster: 'prod-us-east-1', met: true });
    expect(await readFile(chart, 'utf8')).toContain('<svg');
  });

  it('exits 1 naming the minute and the bottleneck when the SLO breaks', async () => {
    const { input } = await cluster('prod-us-east-1', (s) => {
      s.milvus.queryNode = { minReplicas: 4, maxReplicas: 4 };
    });
    const dir = await clustersDir([input]);
    const r = await run(['--cluster', 'prod-us-east-1', '--clusters-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SLO broken \(max P99 [\d.]+ ms, SLO 200 ms\)\n {2}over the SLO from minute \d+ for \d+ s .*bottleneck: maxReplicas reached/);
  });

  it('refuses an unknown parameter, cluster or profile with exit 2', async () => {
    const bad = await run(['--cluster', 'prod-us-east-1', '--param', 'nodeLaunchSeconds=60']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--param nodeLaunchSeconds=60: expected name=number with name one of .*nodeLaunchToReadySeconds/);
    const none = await run(['--cluster', 'nope']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no cluster named nope/);
    const profile = await run(['--cluster', 'prod-us-east-1', '--profile', 'tsunami']);
    expect(profile.code).not.toBe(0);
    expect(profile.stderr).toMatch(/tsunami/);
  });

  it('takes a parameter: slower node launches delay recovery', async () => {
    const { input } = await cluster('prod-us-east-1', (s) => {
      s.milvus.queryNode = { minReplicas: 2, maxReplicas: 20 };
    });
    const dir = await clustersDir([input]);
    const fast = JSON.parse((await run(['--cluster', 'prod-us-east-1', '--clusters-dir', dir, '--format', 'json'])).stdout);
    const slow = JSON.parse(
      (await run(['--cluster', 'prod-us-east-1', '--clusters-dir', dir, '--format', 'json', '--param', 'nodeLaunchToReadySeconds=120'])).stdout,
    );
    expect(slow.parameters.nodeLaunchToReadySeconds).toBe(120);
    expect(slow.recoverSeconds).toBeGreaterThan(fast.recoverSeconds);
  });
});
