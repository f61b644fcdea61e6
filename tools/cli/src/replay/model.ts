// The workload model: from a cluster's collections and traffic to what the replay needs — bytes
// each query node holds in memory and on its NVMe cache, segments, bytes a new query node loads
// from S3, and the CPU a search costs. Every constant is named, with where it comes from; the ones
// that are estimates say so, and `workload.traffic.searchCoreMs` replaces the search-cost estimate
// with a figure measured on the running cluster.

import type { ResolvedCollection, ResolvedWorkload } from '@milvus-gitops/spec';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/**
 * Largest sealed segment, MiB: `dataCoord.segment.maxSize` 1024, and `diskSegmentMaxSize` 2048 for
 * a collection with a disk index (milvus-io/milvus configs/milvus.yaml).
 */
export const SEGMENT_MAX_MIB = { memory: 1024, disk: 2048 } as const;
/** DiskANN's PQ codes as a share of the raw vectors: `common.DiskIndex.PQCodeBudgetGBRatio` 0.125 (configs/milvus.yaml). */
export const DISKANN_PQ_RATIO = 0.125;
/** DiskANN graph degree: `common.DiskIndex.MaxDegree` 56 (configs/milvus.yaml); 4 bytes a neighbour on disk. */
export const DISKANN_MAX_DEGREE = 56;
/**
 * How a query node accounts a loaded DiskANN index: a quarter in memory, the rest on local disk
 * (internal/querynodev2/segments: UsedDiskMemoryRatio = 4, GetIndexResourceUsage).
 */
export const DISKANN_MEMORY_SHARE = 1 / 4;
/**
 * NVMe reads a DiskANN search issues together per step. An estimate: Milvus derives the beam width
 * from `common.DiskIndex.BeamWidthRatio` (4) and the CPU count, which the replay does not follow.
 */
export const DISKANN_BEAM_WIDTH = 4;
/** Bytes of a row id and timestamp that every row carries besides its vector (int64 each). */
export const ROW_OVERHEAD_BYTES = 16;
/**
 * Memory a query node uses before it holds a segment (Go runtime, knowhere pools, caches), GiB.
 * An estimate; read it off `process_resident_memory_bytes` of an empty query node.
 */
export const QUERYNODE_BASE_MEMORY_GIB = 1.5;

/**
 * Search-cost estimate, used only when the spec gives no measured `searchCoreMs`. Estimates, not
 * measurements: a float32 distance costs a fixed part (a cache miss on the vector) plus a part per
 * dimension (AVX2/AVX-512 FMA); each segment adds a fixed task cost (scheduling, top-k merge).
 */
export const SEARCH_COST = {
  /** Nanoseconds per float32 distance, fixed part. */
  distanceFixedNs: 15,
  /** Nanoseconds per float32 distance, per dimension. */
  distancePerDimNs: 0.03,
  /** A PQ (DiskANN) or SQ8 distance relative to a float32 one. */
  compressedDistanceFactor: 0.25,
  /** Fixed cost per segment searched, milliseconds. */
  perSegmentMs: 0.05,
  /** NVMe random read latency per DiskANN beam step, milliseconds (adds latency, not CPU). */
  nvmeReadMs: 0.1,
} as const;

/** What one collection asks of the query nodes. */
export interface CollectionLoad {
  /** The collection. */
  collection: ResolvedCollection;
  /** Bytes of one row's vector and ids. */
  rowBytes: number;
  /** Sealed segments (per replica). */
  segments: number;
  /** Bytes held in query-node memory per replica. */
  memoryBytes: number;
  /** Bytes held on the query nodes' local NVMe cache per replica (DiskANN graph and vectors; else 0). */
  diskBytes: number;
  /** Bytes a query node reads from S3 to serve the collection (index files), per replica. */
  loadBytes: number;
  /** CPU core-milliseconds of one search over every segment of one replica. */
  searchCoreMs: number;
  /** Latency one search adds beyond its CPU time on a node (DiskANN's NVMe reads), ms per segment. */
  ioMsPerSegment: number;
}

/** Memory, disk and search cost of one collection at `vectors` rows. */
export function collectionLoad(c: ResolvedCollection, topK: number, vectors = c.vectors): CollectionLoad {
  const raw = c.dimension * 4;
  const rowBytes = raw + ROW_OVERHEAD_BYTES;
  const ix = c.index;
  const disk = ix.type === 'DISKANN';
  const rowsPerSegment = Math.max(1, Math.floor(((disk ? SEGMENT_MAX_MIB.disk : SEGMENT_MAX_MIB.memory) * MiB) / rowBytes));
  const segments = Math.max(1, Math.ceil(vectors / rowsPerSegment));
  const segmentRows = vectors / segments;
  const floatNs = SEARCH_COST.distanceFixedNs + SEARCH_COST.distancePerDimNs * c.dimension;
  const compressedNs = SEARCH_COST.distanceFixedNs + SEARCH_COST.distancePerDimNs * c.dimension * SEARCH_COST.compressedDistanceFactor;
  let memoryPerRow: number;
  let diskPerRow = 0;
  let distancesNs: number;
  let ioMsPerSegment = 0;
  switch (ix.type) {
    case 'HNSW':
      // Vectors plus the base layer's links (2M neighbours of 4 bytes); upper layers are a small fraction.
      memoryPerRow = rowBytes + ix.M * 2 * 4;
      // A search expands about ef candidates and computes the distance of each one's neighbours.
      distancesNs = Math.max(ix.ef, topK) * ix.M * floatNs;
      break;
    case 'IVF_FLAT':
    case 'IVF_SQ8': {
      const sq8 = ix.type === 'IVF_SQ8';
      memoryPerRow = (sq8 ? c.dimension : raw) + ROW_OVERHEAD_BYTES;
      const scanned = ix.nlist + (Math.min(ix.nprobe, ix.nlist) / ix.nlist) * segmentRows;
      distancesNs = scanned * (sq8 ? compressedNs : floatNs);
      break;
    }
    case 'DISKANN': {
      // The index file holds the vectors, the graph and the PQ codes; the query node keeps a
      // quarter of it in memory and the rest on its NVMe cache.
      const indexPerRow = raw + DISKANN_MAX_DEGREE * 4 + raw * DISKANN_PQ_RATIO;
      memoryPerRow = indexPerRow * DISKANN_MEMORY_SHARE + ROW_OVERHEAD_BYTES;
      diskPerRow = indexPerRow * (1 - DISKANN_MEMORY_SHARE);
      // PQ distances for every neighbour of each expanded candidate, full-precision re-rank of the list.
      distancesNs = Math.max(ix.searchList, topK) * (DISKANN_MAX_DEGREE * compressedNs + floatNs);
      ioMsPerSegment = (Math.max(ix.searchList, topK) / DISKANN_BEAM_WIDTH) * SEARCH_COST.nvmeReadMs;
      break;
    }
  }
  const searchCoreMs = segments * (SEARCH_COST.perSegmentMs + distancesNs / 1e6);
  return {
    collection: c,
    rowBytes,
    segments,
    memoryBytes: vectors * memoryPerRow,
    diskBytes: vectors * diskPerRow,
    loadBytes: vectors * (memoryPerRow + diskPerRow),
    searchCoreMs,
    ioMsPerSegment,
  };
}

/** What the whole workload asks of the query nodes. */
export interface WorkloadLoad {
  /** Per collection. */
  collections: CollectionLoad[];
  /** Memory over every collection and replica, bytes. */
  memoryBytes: number;
  /** NVMe cache over every collection and replica, bytes. */
  diskBytes: number;
  /** S3 bytes loaded over every collection and replica. */
  loadBytes: number;
  /** Bytes the collections keep in S3 (binlogs of the raw rows plus one copy of each index). */
  s3Bytes: number;
  /** CPU core-ms of an average search (searches spread evenly over the collections), over one replica's segments. */
  searchCoreMs: number;
  /** Whether searchCoreMs was measured (given in the spec) rather than estimated. */
  measured: boolean;
  /** Segments of one replica of every collection. */
  segments: number;
  /** Extra latency per search from NVMe reads, ms per segment searched on a node (averaged). */
  ioMsPerSegment: number;
  /** In-memory replicas of the average collection. */
  replicas: number;
}

/** The workload at `extraRows` inserted rows beyond the spec's (spread over the collections). */
export function workloadLoad(w: ResolvedWorkload, extraRows = 0): WorkloadLoad {
  const n = w.collections.length;
  const collections = w.collections.map((c) => collectionLoad(c, w.traffic.topK, c.vectors + extraRows / n));
  const sum = (f: (c: CollectionLoad) => number) => collections.reduce((a, c) => a + f(c), 0);
  return {
    collections,
    memoryBytes: sum((c) => c.memoryBytes * c.collection.replicas),
    diskBytes: sum((c) => c.diskBytes * c.collection.replicas),
    loadBytes: sum((c) => c.loadBytes * c.collection.replicas),
    s3Bytes: sum((c) => c.collection.vectors * c.rowBytes + c.loadBytes),
    searchCoreMs: w.traffic.searchCoreMs ?? sum((c) => c.searchCoreMs) / n,
    measured: w.traffic.searchCoreMs !== undefined,
    segments: sum((c) => c.segments),
    ioMsPerSegment: sum((c) => c.ioMsPerSegment) / n,
    replicas: sum((c) => c.collection.replicas) / n,
  };
}

/** Query nodes the data needs: memory up to the alert ratio after the base, and the NVMe cache. */
export function queryNodesForData(load: WorkloadLoad, podMemoryBytes: number, memoryRatio: number, cacheBytes: number): number {
  const usable = podMemoryBytes * memoryRatio - QUERYNODE_BASE_MEMORY_GIB * GiB;
  const byMemory = usable > 0 ? Math.ceil(load.memoryBytes / usable) : Infinity;
  const byDisk = load.diskBytes > 0 ? Math.ceil(load.diskBytes / cacheBytes) : 0;
  return Math.max(1, byMemory, byDisk, Math.ceil(load.replicas));
}
