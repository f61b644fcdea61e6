// S3 requests and transfer between zones: the traffic model, and the replay's costs that use it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, type ClusterSpec, type ResolvedWorkload } from '@milvus-gitops/spec';
import { APPS } from '../../src/apps.js';
import { renderCluster } from '../../src/render.js';
import { costClaims, formatReplayText, replayCluster } from '../../src/replay/index.js';
import { workloadLoad } from '../../src/replay/model.js';
import {
  BINLOG_MAX_BYTES,
  INDEX_SLICE_BYTES,
  INSERT_BUFFER_BYTES,
  OBJECTS_PER_SYNC,
  REQUESTS_PER_OBJECT_READ,
  RESULT_BYTES_PER_HIT,
  RESULT_OVERHEAD_BYTES,
  SCALAR_BINLOG_FIELDS,
  SEARCH_REQUEST_OVERHEAD_BYTES,
  SYNC_PERIOD_SECONDS,
  trafficModel,
} from '../../src/replay/traffic.js';
import { findRepoRoot, listClusters, loadClusterSpec } from '../../src/workspace.js';

const root = findRepoRoot(import.meta.dirname);

const workload = (over: { shards?: number; replicas?: number; insertRowsPerSecond?: number } = {}): ResolvedWorkload => ({
  collections: [
    { name: 'c', vectors: 10_000_000, dimension: 768, replicas: over.replicas ?? 1, shards: over.shards ?? 2, index: { type: 'HNSW', M: 16, ef: 64 } },
  ],
  traffic: { searchQps: 100, insertRowsPerSecond: over.insertRowsPerSecond ?? 0, topK: 10 },
});

describe('traffic model', () => {
  it('counts the search fan-out that crosses zones: proxy to each delegator, delegator to the other holders', () => {
    const w = workload({ shards: 2 });
    const t = trafficModel(w, workloadLoad(w), '2.6');
    const message = 768 * 4 + SEARCH_REQUEST_OVERHEAD_BYTES + 10 * RESULT_BYTES_PER_HIT + RESULT_OVERHEAD_BYTES;
    // 4 serving query nodes in one replica hold segments of both shards: 2 shards x 4 holders.
    expect(t.crossZoneBytesPerSearch(4, 3)).toBeCloseTo((2 * 4 * message * 2) / 3, 6);
    // One zone: nothing crosses. Two zones: half of it.
    expect(t.crossZoneBytesPerSearch(4, 1)).toBe(0);
    expect(t.crossZoneBytesPerSearch(4, 2)).toBeCloseTo((2 * 4 * message) / 2, 6);
    // A second replica halves the nodes a search reaches.
    const two = workload({ shards: 2, replicas: 2 });
    expect(trafficModel(two, workloadLoad(two), '2.6').crossZoneBytesPerSearch(4, 3)).toBeCloseTo((2 * 2 * message * 2) / 3, 6);
  });

  it('gives the figures worked out by hand for 10M 768-d HNSW vectors in two shards, top-10', () => {
    const w = workload({ shards: 2 });
    const load = workloadLoad(w);
    const c = load.collections[0]!;
    // 3,088-byte rows (768 x 4 + 16), 347,714 to a 1 GiB segment: 29 segments.
    expect(c.segments).toBe(29);
    // A message: 3,072 + 512 bytes of request, 10 x 13 + 256 of result = 3,970; 2 shards x 4 holders,
    // two thirds leave their zone: 21,173.3 bytes a search.
    expect(trafficModel(w, load, '2.6').crossZoneBytesPerSearch(4, 3)).toBeCloseTo(21173.33, 1);
    // A segment: 10M x 3,216 bytes (vectors, ids, 32 links of 4 bytes) / 29 = 1,108,965,517 bytes of
    // index, 67 slices of 16 MiB + a meta object; 1,064,827,586 bytes of rows, 16 binlogs of 64 MiB for
    // each of 3 fields + a stats log on 2.5, one column group + a stats log on 2.6. HEAD + GET each.
    expect(trafficModel(w, load, '2.5').getsPerLoadedByte * c.loadBytes).toBeCloseTo(29 * (68 + 49) * 2, 6);
    expect(trafficModel(w, load, '2.6').getsPerLoadedByte * c.loadBytes).toBeCloseTo(29 * (68 + 2) * 2, 6);
  });

  it('reads each segment as index slices of common.indexSliceSize and their meta, 64 MiB scalar binlogs and a stats log, HEAD and GET each', () => {
    const w = workload();
    const load = workloadLoad(w);
    const c = load.collections[0]!;
    // 1 GiB segments of 3,088-byte rows: 16 binlog files of 64 MiB per field once compacted.
    const index = Math.ceil(c.loadBytes / c.segments / INDEX_SLICE_BYTES) + 1;
    const binlogs = SCALAR_BINLOG_FIELDS * Math.ceil(((10_000_000 / c.segments) * c.rowBytes) / BINLOG_MAX_BYTES) + 1;
    expect(Math.ceil(((10_000_000 / c.segments) * c.rowBytes) / BINLOG_MAX_BYTES)).toBe(16);
    const t = trafficModel(w, load, '2.5');
    expect(t.getsPerLoadedByte * c.loadBytes).toBeCloseTo(c.segments * (index + binlogs) * REQUESTS_PER_OBJECT_READ, 6);
    expect(t.putsPerSecond).toBe(0);
    expect(t.writtenBytesPerSecond).toBe(0);
  });

  it('writes a sync per shard every syncPeriod at a trickle, and per insert buffer when rows pour in, fewer objects a sync on 2.6', () => {
    const trickle = workload({ shards: 2, insertRowsPerSecond: 1 });
    const slow = trafficModel(trickle, workloadLoad(trickle), '2.5');
    const c = workloadLoad(trickle).collections[0]!;
    const sealed = 1 / (10_000_000 / c.segments);
    const index = Math.ceil(c.loadBytes / c.segments / INDEX_SLICE_BYTES) + 1;
    expect(slow.putsPerSecond).toBeCloseTo((2 / SYNC_PERIOD_SECONDS + sealed) * OBJECTS_PER_SYNC['2.5'] + sealed * index, 9);
    expect(trafficModel(trickle, workloadLoad(trickle), '2.6').putsPerSecond).toBeLessThan(slow.putsPerSecond);
    const flood = workload({ shards: 2, insertRowsPerSecond: 20_000 });
    const fast = trafficModel(flood, workloadLoad(flood), '2.5');
    const perShard = (10_000 * c.rowBytes) / INSERT_BUFFER_BYTES;
    expect(fast.putsPerSecond).toBeCloseTo((2 * perShard + 20_000 * sealed) * OBJECTS_PER_SYNC['2.5'] + 20_000 * sealed * index, 6);
    expect(fast.writtenBytesPerSecond).toBeGreaterThan(20_000 * c.rowBytes);
  });
});

async function cluster(name: string, edit: (s: ClusterSpec) => void = () => undefined) {
  const source = (await listClusters(join(root, 'clusters'))).find((s) => s.folder === name)!;
  const input = structuredClone(await loadClusterSpec(source));
  edit(input);
  return { spec: resolveClusterSpec(input), objects: renderCluster(input, APPS).files.map((f) => f.object) };
}

describe('replay costs beyond the nodes', () => {
  it('adds transfer between zones and S3 requests to the nodes, and prints each', async () => {
    const { spec, objects } = await cluster('prod-us-east-1');
    const r = replayCluster(spec, objects, 'spike10x');
    const b = r.costBreakdown;
    expect(b.crossZoneTransferPerHour).toBeGreaterThan(0);
    expect(b.s3RequestsPerHour).toBeGreaterThan(0);
    expect(b.nodesPerHour).toBeCloseTo(
      r.costByPool.reduce((s, p) => s + p.averagePerHour, 0),
      1,
    );
    expect(r.costPerHour).toBeCloseTo(b.nodesPerHour + b.s3RequestsPerHour + b.crossZoneTransferPerHour, 1);
    // $0.01 out and $0.01 in per GB (prices.ts CROSS_AZ).
    expect(b.crossZoneTransferPerHour).toBeCloseTo(b.crossZoneGBPerHour * 0.02, 1);
    expect(formatReplayText(r)).toMatch(/transfer between zones: \$\d+\.\d\d\/h \([\d.]+ GB\/h of search requests and results\)/);
  });

  it('pays more transfer for more traffic', async () => {
    const busy = await cluster('prod-us-east-1', (s) => {
      s.workload!.traffic!.searchQps = 400;
    });
    const quiet = await cluster('prod-us-east-1', (s) => {
      s.workload!.traffic!.searchQps = 100;
    });
    const d = (c: typeof busy) => replayCluster(c.spec, c.objects, 'diurnal').costBreakdown.crossZoneTransferPerHour;
    expect(d(busy)).toBeGreaterThan(2 * d(quiet));
  });

  it('keeps the compute claim to the nodes, and bills inserts in the storage claim on both sides', async () => {
    const { spec, objects } = await cluster('prod-us-east-1', (s) => {
      s.workload!.traffic!.insertRowsPerSecond = 2_000;
    });
    const day = replayCluster(spec, objects, 'diurnal');
    const c = costClaims(spec, objects, day, replayCluster(spec, objects, 'spike10x'));
    expect(c.compute.autoscaledPerHour).toBeCloseTo(day.costBreakdown.nodesPerHour, 2);
    expect(c.compute.autoscaledPerHour).toBeLessThan(day.costPerHour);
    expect(c.storage.s3RequestsPerMonth).toBeGreaterThan(0);
    // 2,000 rows/s of 3,088 bytes for a month, twice to the other zones' copies, $0.02 a GB.
    expect(c.storage.gp3ReplicationPerMonth).toBeGreaterThan(((2_000 * 3088 * 730 * 3600) / 1e9) * 2 * 0.02);
    expect(c.storage.gp3PerMonth).toBeGreaterThan(c.storage.gp3ReplicationPerMonth);
  });
});
