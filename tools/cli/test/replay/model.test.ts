// The queueing and workload models of the replay.
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { collectionLoad, queryNodesForData, SEGMENT_MAX_MIB, workloadLoad } from '../../src/replay/model.js';
import { erlangC, meanQueueLength, sojournQuantile } from '../../src/replay/queue.js';

describe('M/M/c queue', () => {
  it('gives the textbook Erlang C values', () => {
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(3, 3)).toBe(1);
  });

  it('has an exponential sojourn time of rate mu - lambda for one server', () => {
    // mu = 1/10 per ms, lambda = 1/20 per ms: T ~ Exp(1/20), P99 = 20 ln 100.
    expect(sojournQuantile(0.99, 1, 1 / 20, 10)).toBeCloseTo(20 * Math.log(100), 6);
    expect(meanQueueLength(1, 1 / 20, 10)).toBeCloseTo(0.5, 12);
  });

  it('grows without bound as the load approaches the servers', () => {
    expect(sojournQuantile(0.99, 4, 3.9 / 10, 10)).toBeGreaterThan(5 * sojournQuantile(0.99, 4, 2 / 10, 10));
  });
});

describe('workload model', () => {
  const base = { name: 'c', vectors: 1_000_000, dimension: 768, replicas: 1, shards: 1 } as const;

  it('holds HNSW vectors, ids and the base layer links in memory', () => {
    const l = collectionLoad({ ...base, index: { type: 'HNSW', M: 16, ef: 64 } }, 10);
    expect(l.memoryBytes).toBe(1_000_000 * (768 * 4 + 16 + 16 * 2 * 4));
    expect(l.diskBytes).toBe(0);
    // 1 GiB segments of 3,088-byte rows.
    expect(l.segments).toBe(Math.ceil(1_000_000 / Math.floor((SEGMENT_MAX_MIB.memory * 2 ** 20) / 3088)));
  });

  it('keeps DiskANN on the NVMe cache with PQ codes in memory and 2 GiB segments', () => {
    const l = collectionLoad({ ...base, index: { type: 'DISKANN', searchList: 100 } }, 10);
    // A quarter of the index in memory, three quarters on disk (the query node's accounting).
    expect(l.diskBytes / (l.memoryBytes - 1_000_000 * 16)).toBeCloseTo(3, 6);
    expect(l.segments).toBe(Math.ceil(1_000_000 / Math.floor((SEGMENT_MAX_MIB.disk * 2 ** 20) / 3088)));
    expect(l.ioMsPerSegment).toBeGreaterThan(0);
  });

  it('costs more CPU per search the more an IVF search probes', () => {
    const few = collectionLoad({ ...base, index: { type: 'IVF_FLAT', nlist: 1024, nprobe: 8 } }, 10);
    const many = collectionLoad({ ...base, index: { type: 'IVF_FLAT', nlist: 1024, nprobe: 64 } }, 10);
    expect(many.searchCoreMs).toBeGreaterThan(few.searchCoreMs * 4);
  });

  it('uses a measured search cost when the spec gives one', () => {
    const spec = resolveClusterSpec(testClusterSpec({ workload: { traffic: { searchQps: 50, searchCoreMs: 42 } } }));
    expect(workloadLoad(spec.workload)).toMatchObject({ searchCoreMs: 42, measured: true });
  });

  it('multiplies memory by the in-memory replicas and needs a query node per replica at least', () => {
    const spec = resolveClusterSpec(testClusterSpec({ workload: { collections: [{ name: 'a', vectors: 10_000_000, dimension: 768, replicas: 2 }] } }));
    const load = workloadLoad(spec.workload);
    expect(load.memoryBytes).toBe(2 * 10_000_000 * (768 * 4 + 16 + 128));
    // 64 GB over pods of 54 GiB at 85%, less the 1.5 GiB base: 2 nodes.
    expect(queryNodesForData(load, 54 * 2 ** 30, 0.85, 300 * 2 ** 30)).toBe(2);
    expect(queryNodesForData(load, 16 * 2 ** 30, 0.85, 300 * 2 ** 30)).toBe(Math.ceil(load.memoryBytes / (16 * 2 ** 30 * 0.85 - 1.5 * 2 ** 30)));
  });
});
