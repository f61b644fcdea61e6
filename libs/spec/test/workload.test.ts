// The workload model of the ClusterSpec (the capacity replay's input): defaults and validation.
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, validateClusterSpec } from '../src/index.js';
import { testClusterSpec } from '../src/testing.js';

describe('workload defaults', () => {
  it('gives a cluster without a workload one collection and traffic by size', () => {
    const w = resolveClusterSpec(testClusterSpec({ milvus: { size: 'large' } })).workload;
    expect(w.collections).toEqual([{ name: 'default', vectors: 50_000_000, dimension: 768, index: { type: 'HNSW', M: 16, ef: 64 }, replicas: 1, shards: 1 }]);
    expect(w.traffic).toEqual({ searchQps: 300, insertRowsPerSecond: 0, topK: 10 });
  });

  it('fills each index type with its own parameters', () => {
    const w = resolveClusterSpec(
      testClusterSpec({
        workload: {
          collections: [
            { name: 'a', vectors: 1000, dimension: 8, index: { type: 'IVF_SQ8' } },
            { name: 'b', vectors: 1000, dimension: 8, index: { type: 'DISKANN' } },
          ],
        },
      }),
    ).workload;
    expect(w.collections.map((c) => c.index)).toEqual([
      { type: 'IVF_SQ8', nlist: 1024, nprobe: 16 },
      { type: 'DISKANN', searchList: 100 },
    ]);
  });
});

describe('workload validation', () => {
  const problems = (workload: unknown) => validateClusterSpec(testClusterSpec({ workload: workload as never }));

  it('names every bad field with its path, all at once', () => {
    expect(
      problems({
        collections: [
          { name: '1st', vectors: 0, dimension: 40000, replicas: 0, index: { type: 'HNSW', M: 16, ef: 5 } },
          { name: 'b', vectors: 10, dimension: 8, index: { type: 'IVF_FLAT', nlist: 16, nprobe: 32 } },
        ],
        traffic: { searchQps: 0, topK: 10 },
      }),
    ).toEqual([
      'prod-us-east-1: workload.collections[0].name ("1st") must be a Milvus collection name (letters, digits, _; not starting with a digit)',
      'prod-us-east-1: workload.collections[0].vectors (0) must be >= 1',
      'prod-us-east-1: workload.collections[0].dimension (40000) must be between 2 and 32768',
      'prod-us-east-1: workload.collections[0].replicas (0) must be between 1 and 10',
      'prod-us-east-1: workload.collections[0].index.ef (5) must be at least workload.traffic.topK (10)',
      'prod-us-east-1: workload.collections[1].index.nprobe (32) must be at most nlist (16)',
      'prod-us-east-1: workload.traffic.searchQps (0) must be > 0',
    ]);
  });

  it('suggests the field meant, and refuses an unknown index type', () => {
    expect(problems({ traffic: { searchQPS: 10 } })).toContain('prod-us-east-1: workload.traffic.searchQPS is not a known field (did you mean searchQps?)');
    expect(problems({ collections: [{ name: 'a', vectors: 1, dimension: 8, index: { type: 'FLAT' } }] })).toContain(
      'prod-us-east-1: workload.collections[0].index.type ("FLAT") must be one of "HNSW", "IVF_FLAT", "IVF_SQ8", "DISKANN"',
    );
    expect(problems({ collections: [{ name: 'a', vectors: 1, dimension: 8, index: { type: 'DISKANN', nlist: 5 } }] })).toContain(
      'prod-us-east-1: workload.collections[0].index.nlist is not a known field',
    );
  });

  it('refuses an empty collection list and a collection listed twice', () => {
    expect(problems({ collections: [] })).toEqual(['prod-us-east-1: workload.collections must list at least one collection']);
    expect(problems({ collections: [1, 2].map(() => ({ name: 'a', vectors: 1, dimension: 8 })) })).toEqual([
      'prod-us-east-1: workload.collections[1].name ("a") is listed twice',
    ]);
  });

  it('accepts the example clusters workloads', () => {
    expect(
      problems({
        collections: [{ name: 'products', vectors: 50_000_000, dimension: 768, index: { type: 'HNSW', M: 16, ef: 64 } }],
        traffic: { searchQps: 400 },
      }),
    ).toEqual([]);
  });
});
