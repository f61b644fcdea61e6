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

/** Prod with more traffic than its warm query nodes hold at 10x: the spike breaks the SLO while new nodes come. */
const busier = (s: ClusterSpec) => {
  s.workload!.traffic!.searchQps = 700;
};

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
    // Below what the pool already runs: it cannot add a node.
    pool.spec.limits = { cpu: '1', memory: '1Gi' };
    const r = replayCluster(spec, objects, 'spike10x');
    expect(r.met).toBe(false);
    expect(r.bottleneck).toBe('pool limits');
  });

  it('recovers in a different time with the Cluster Autoscaler than with Karpenter', async () => {
    const karpenter = await cluster('prod-us-east-1', busier);
    const ca = await cluster('prod-us-east-1', (s) => {
      busier(s);
      // The AMI pin is Karpenter's: node groups keep their EKS release, and validation refuses it there.
      s.nodes = { provisioner: 'cluster-autoscaler', gpuIndexBuild: false };
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
    // The replacement waits for a slot (the stopping pod holds its node while its segments move;
    // a new node takes a batch, a launch and an image pull), then the readiness probe (10 s), then
    // loads its share of the segments from S3 at 400 MB/s.
    const p = r.parameters;
    const bounds = (x: typeof r, mbps: number) => {
      const low = 10 + workloadLoad(spec.workload).loadBytes / x.timeline[0]!.queryNodes / (mbps * 1e6);
      return [Math.floor(low), Math.ceil(low + p.karpenterBatchMaxSeconds + p.nodeLaunchToReadySeconds + p.imagePullSeconds) + 1] as const;
    };
    const [lo1, hi1] = bounds(r, 400);
    expect(r.restartToServingSeconds).toBeGreaterThanOrEqual(lo1);
    expect(r.restartToServingSeconds).toBeLessThanOrEqual(hi1);
    // Half the bandwidth from S3: the load takes twice as long.
    const slow = replayCluster(spec, objects, 'querynode-restart', { segmentLoadMBps: 200 });
    const [lo2, hi2] = bounds(slow, 200);
    expect(slow.restartToServingSeconds).toBeGreaterThanOrEqual(lo2);
    expect(slow.restartToServingSeconds).toBeLessThanOrEqual(hi2);
    expect(slow.restartToServingSeconds).toBeGreaterThan(r.restartToServingSeconds! + 30);
  });

  it("loses a zone: its pods are replaced after the node monitor's grace and the query pods' own 60 s toleration; with two replicas nothing is unavailable", async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const r = replayCluster(spec, objects, 'az-loss');
    expect(r.parameters.unreachableTolerationSeconds).toBe(60);
    const note = r.notes.find((n) => n.startsWith('minute 10: zone us-east-1a unreachable'))!;
    expect(note).toMatch(/with \d+ query node\(s\) and \d+ query pod\(s\); the pods are replaced after 110 s \(node monitor grace \+ unreachable toleration\)/);
    expect(note).not.toMatch(/unavailable/);
    expect(r.met).toBe(true);
    // The lost pods count until their eviction at minute 10 + 110 s, then are replaced in the other zones.
    expect(r.timeline[600 + 109]!.servingQueryNodes).toBeLessThan(r.timeline[599]!.servingQueryNodes);
    expect(r.timeline.at(-1)!.servingQueryNodes).toBe(r.timeline[599]!.servingQueryNodes);
  });

  it("takes the API server's 300 s for query pods without a toleration of their own, and a given parameter over both", async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const query = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'milvus-querynode')! as Manifest & {
      spec: { template: { spec: { tolerations?: { key?: string }[] } } };
    };
    const pod = query.spec.template.spec;
    pod.tolerations = (pod.tolerations ?? []).filter((t) => !t.key?.startsWith('node.kubernetes.io/'));
    const bare = replayCluster(spec, objects, 'az-loss');
    expect(bare.parameters.unreachableTolerationSeconds).toBe(300);
    expect(bare.notes.find((n) => n.startsWith('minute 10: zone'))).toContain('the pods are replaced after 350 s');
    const given = replayCluster(spec, (await cluster('prod-us-east-1')).objects, 'az-loss', { unreachableTolerationSeconds: 120 });
    expect(given.notes.find((n) => n.startsWith('minute 10: zone'))).toContain('the pods are replaced after 170 s');
  });

  it('reads the tolerations as the taint manager does: the least seconds among those that match, for ever when none has seconds', async () => {
    const { spec } = await cluster('prod-us-east-1');
    const withTolerations = async (tolerations: Record<string, unknown>[]) => {
      const { objects } = await cluster('prod-us-east-1');
      const query = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'milvus-querynode')! as Manifest & {
        spec: { template: { spec: { tolerations?: Record<string, unknown>[] } } };
      };
      query.spec.template.spec.tolerations = tolerations;
      return replayCluster(spec, objects, 'az-loss');
    };
    const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' };
    // A wildcard without seconds first does not hide the 60 s one.
    expect((await withTolerations([{ operator: 'Exists' }, { ...unreachable, tolerationSeconds: 60 }])).parameters.unreachableTolerationSeconds).toBe(60);
    expect(
      (
        await withTolerations([
          { ...unreachable, tolerationSeconds: 90 },
          { key: '', operator: 'Exists', tolerationSeconds: 30 },
        ])
      ).parameters.unreachableTolerationSeconds,
    ).toBe(30);
    // Negative seconds evict at once; another taint's toleration does not count.
    expect((await withTolerations([{ ...unreachable, tolerationSeconds: -5 }])).notes.find((n) => n.startsWith('minute 10: zone'))).toContain(
      'replaced after 50 s',
    );
    expect(
      (await withTolerations([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }])).parameters
        .unreachableTolerationSeconds,
    ).toBe(300);
    // Tolerated for ever: never replaced, and JSON says "Infinity" rather than null.
    const never = await withTolerations([unreachable]);
    expect(never.notes.find((n) => n.startsWith('minute 10: zone'))).toContain('the pods tolerate an unreachable node for ever and are never replaced');
    expect(JSON.parse(formatReplayJson(never)).parameters.unreachableTolerationSeconds).toBe('Infinity');
  });

  it('gives spot query nodes in the other zones the two-minute notice when a zone is lost', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const pool = objects.find((o) => o.kind === 'NodePool' && o.metadata.name === 'query')! as Manifest & {
      spec: { template: { spec: { requirements: { key: string; values?: string[] }[] } } };
    };
    pool.spec.template.spec.requirements.find((r) => r.key === 'karpenter.sh/capacity-type')!.values = ['spot'];
    const r = replayCluster(spec, objects, 'az-loss');
    const note = r.notes.find((n) => / spot query node\(s\) and about \d+ spot node\(s\) of the steady pools get the two-minute interruption notice/.test(n))!;
    const reclaimed = Number(/(\d+) spot query node/.exec(note)![1]);
    expect(reclaimed).toBeGreaterThan(0);
    expect(r.costByPool.map((p) => p.pool)).toContain('NodePool query: query nodes (spot)');
    // Their pods stop and are replaced at once: more query pods come and go than with on-demand nodes.
    const onDemand = replayCluster(spec, (await cluster('prod-us-east-1')).objects, 'az-loss');
    expect(Math.min(...r.timeline.slice(600, 900).map((x) => x.servingQueryNodes))).toBeLessThan(
      Math.min(...onDemand.timeline.slice(600, 900).map((x) => x.servingQueryNodes)),
    );
  });

  it('with one in-memory replica, a lost zone leaves segments unavailable until the other nodes load them', async () => {
    const { spec, objects } = await cluster('prod-us-east-1', (s) => {
      s.workload!.collections![0]!.replicas = 1;
    });
    const r = replayCluster(spec, objects, 'az-loss');
    const note = r.notes.find((n) => n.startsWith('minute 10: zone us-east-1a unreachable'))!;
    const unavailable = Number(/their segments are unavailable for (\d+) s/.exec(note)![1]);
    expect(unavailable).toBeGreaterThan(r.parameters.milvusSessionTtlSeconds);
    expect(r.bottleneckSeconds['segments unavailable']).toBe(unavailable);
    expect(r).toMatchObject({ met: false, bottleneck: 'segments unavailable', firstBreachMinute: 10 });
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
  it.each([
    ['staging-eu-west-1', 1.344, false],
    ['dev-us-west-2', 1.2096, true],
  ])("replays %s at its own region's EC2 prices and says where its storage prices are borrowed", async (name, r6id4xlarge, storageBorrowed) => {
    const { spec, objects } = await cluster(name);
    const r = replayCluster(spec, objects, 'spike10x');
    expect(r.timeline.length).toBeGreaterThan(0);
    const borrowedNote = `no S3 or gp3 prices for ${spec.aws.region} in the price table: the storage claim uses us-east-1 list prices`;
    if (storageBorrowed) expect(r.notes).toContain(borrowedNote);
    else expect(r.notes).not.toContain(borrowedNote);
    expect(r.notes.some((n) => n.startsWith('no EC2'))).toBe(false);
    expect(r.priceSources[0]).toBe(
      `EC2 on-demand (${spec.aws.region}): skypilot-org/skypilot-catalog@e385a0d348ed catalogs/v8/aws/vms.csv (Price column) (after 2025-10-22 and probably before 2025-12-12, by the instance families it lists; its us-east-1 prices equal the 2026-07-06 Karpenter seed)`,
    );
    // The steady on-demand query pool is whole r6id.4xlarge nodes at the region's price.
    const pool = r.costByPool.find((p) => p.pool.startsWith('steady query pool'))!;
    expect(pool.instanceTypes).toEqual(['r6id.4xlarge']);
    const nodes = Math.round(pool.averagePerHour / r6id4xlarge);
    expect(nodes).toBeGreaterThanOrEqual(1);
    expect(pool.averagePerHour).toBeCloseTo(nodes * r6id4xlarge, 2);
  });

  it('costs staging-eu-west-1 at eu-west-1 prices, above the same fleet at us-east-1 prices', async () => {
    const { spec, objects } = await cluster('staging-eu-west-1');
    const eu = costClaims(spec, objects, replayCluster(spec, objects, 'diurnal'), replayCluster(spec, objects, 'spike10x'));
    // The same rendered objects, priced as if the cluster ran in us-east-1.
    const asUs = { ...spec, aws: { ...spec.aws, region: 'us-east-1' } };
    const us = costClaims(asUs, objects, replayCluster(asUs, objects, 'diurnal'), replayCluster(asUs, objects, 'spike10x'));
    expect(eu).toMatchObject({ region: 'eu-west-1', pricedAs: 'eu-west-1', storagePricedAs: 'eu-west-1' });
    // gp3 at $0.088 against $0.08: the same data costs more on block storage in Ireland.
    expect(eu.storage.gp3PerMonth).toBeGreaterThan(us.storage.gp3PerMonth);
    expect(eu.compute.staticPeakPerHour).toBeGreaterThan(us.compute.staticPeakPerHour);
    expect(eu.compute.autoscaledPerHour).toBeGreaterThan(us.compute.autoscaledPerHour);
  });

  it('says so in the text report where a region has no figures', async () => {
    const { spec, objects } = await cluster('dev-us-west-2');
    const text = formatReplayText(replayCluster({ ...spec, aws: { ...spec.aws, region: 'ap-south-1' } }, objects, 'spike10x'));
    expect(text).toContain('note: no EC2 prices for ap-south-1 in the price table: EC2 costs are at us-east-1 list prices');
    expect(text).toContain('prices: EC2 on-demand (us-east-1): aws/karpenter-provider-aws v1.14.1');
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
    expect(bad.stderr).toMatch(/--param nodeLaunchSeconds=60: expected name=number \(>= 0.*\) with name one of .*nodeLaunchToReadySeconds/);
    for (const v of ['segmentLoadMBps=0', 'imagePullSeconds=', 'toString=1', 'warmupSlowdown=0.5'])
      expect((await run(['--cluster', 'prod-us-east-1', '--param', v])).code).toBe(2);
    const none = await run(['--cluster', 'nope']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no cluster named nope/);
    const profile = await run(['--cluster', 'prod-us-east-1', '--profile', 'tsunami']);
    expect(profile.code).not.toBe(0);
    expect(profile.stderr).toMatch(/tsunami/);
  });

  it('takes a parameter: slower node launches delay recovery', async () => {
    const { input } = await cluster('prod-us-east-1', busier);
    const dir = await clustersDir([input]);
    const fast = JSON.parse((await run(['--cluster', 'prod-us-east-1', '--clusters-dir', dir, '--format', 'json'])).stdout);
    const slow = JSON.parse(
      (await run(['--cluster', 'prod-us-east-1', '--clusters-dir', dir, '--format', 'json', '--param', 'nodeLaunchToReadySeconds=120'])).stdout,
    );
    expect(slow.parameters.nodeLaunchToReadySeconds).toBe(120);
    expect(fast.met).toBe(false);
    expect(slow.recoverSeconds).toBeGreaterThan(fast.recoverSeconds);
  });
});
