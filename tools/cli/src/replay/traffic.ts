// What a cluster pays besides its nodes while it serves: S3 requests (query nodes reading segments
// when they load them, data nodes writing binlogs and index files as rows arrive) and transfer
// between zones (a search fans out from a proxy to each shard's delegator, and from each delegator
// to the query nodes that hold the shard's sealed segments; results come back the same way).
// Segment loads and binlog writes reach S3 over the VPC's S3 gateway endpoint (tools/infra), so
// they are billed as requests only, not as NAT or transfer bytes. Constants that are estimates say so.

import type { ResolvedWorkload } from '@milvus-gitops/spec';
import type { WorkloadLoad } from './model.js';

const MiB = 2 ** 20;

/**
 * Index files are written to and read from object storage in slices of this size: Milvus
 * `common.indexSliceSize`, 16 MB by default (pkg/util/paramtable/component_param.go
 * DefaultIndexSliceSize = 16; internal/core/src/common/Common.cpp SetIndexSliceSize: size << 20).
 */
export const INDEX_SLICE_BYTES = 16 * MiB;
/**
 * Binlog objects a query node reads per segment besides the index: row id, timestamp and primary
 * key (one each once compaction has merged the segment's binlogs). Estimate: a collection with a
 * primary key and one vector field, whose raw vectors the index holds (HNSW, IVF, DiskANN).
 */
export const SCALAR_BINLOGS_PER_SEGMENT = 3;
/**
 * A data node syncs each shard's buffer to S3 at least this often while rows arrive, seconds:
 * Milvus `dataNode.segment.syncPeriod` 600 (pkg/util/paramtable/component_param.go).
 */
export const SYNC_PERIOD_SECONDS = 600;
/** ... and whenever a shard's buffer reaches this many bytes: `dataNode.segment.insertBufSize` 16777216. */
export const INSERT_BUFFER_BYTES = 16 * MiB;
/**
 * Objects one sync writes per shard: a binlog each for row id, timestamp, primary key and vector,
 * and the primary key's stats log. Estimate, for a collection with a primary key and one vector field.
 */
export const OBJECTS_PER_SYNC = 5;
/** Bytes of a search request besides its query vector (plan, output fields, consistency). Estimate. */
export const SEARCH_REQUEST_OVERHEAD_BYTES = 512;
/** Bytes a hit takes in a (partial) search result: an int64 id and a float32 score. */
export const RESULT_BYTES_PER_HIT = 12;
/** Bytes of a search result besides its hits. Estimate. */
export const RESULT_OVERHEAD_BYTES = 256;

/** The S3 requests and zone-crossing bytes of a workload. */
export interface TrafficModel {
  /** S3 GET requests per byte a query node loads (index slices and scalar binlogs of each segment). */
  getsPerLoadedByte: number;
  /** S3 PUT requests per second the inserts cause (buffer syncs and the index files of sealed segments); 0 without inserts. */
  putsPerSecond: number;
  /** Bytes a second of inserts writes to S3 (raw rows and index files); 0 without inserts. */
  writtenBytesPerSecond: number;
  /**
   * Bytes that cross a zone boundary per search with `servingQueryNodes` serving, spread evenly over
   * `zones` zones: requests and results between proxy, delegators and the query nodes they search.
   */
  crossZoneBytesPerSearch(servingQueryNodes: number, zones: number): number;
}

/** The traffic model of a workload (searches spread evenly over its collections). */
export function trafficModel(w: ResolvedWorkload, load: WorkloadLoad): TrafficModel {
  const n = load.collections.length;
  let gets = 0;
  let loaded = 0;
  let puts = 0;
  let written = 0;
  for (const c of load.collections) {
    const col = c.collection;
    const perSegment = c.loadBytes / c.segments;
    const getsPerSegment = Math.ceil(perSegment / INDEX_SLICE_BYTES) + SCALAR_BINLOGS_PER_SEGMENT;
    gets += col.replicas * c.segments * getsPerSegment;
    loaded += col.replicas * c.loadBytes;
    const rowsPerSecond = w.traffic.insertRowsPerSecond / n;
    if (rowsPerSecond > 0) {
      const bytesPerShard = (rowsPerSecond * c.rowBytes) / col.shards;
      const syncsPerShard = Math.max(1 / SYNC_PERIOD_SECONDS, bytesPerShard / INSERT_BUFFER_BYTES);
      const rowsPerSegment = col.vectors / c.segments;
      const sealedPerSecond = rowsPerSecond / rowsPerSegment;
      puts += col.shards * syncsPerShard * OBJECTS_PER_SYNC + sealedPerSecond * Math.ceil(perSegment / INDEX_SLICE_BYTES);
      written += rowsPerSecond * c.rowBytes + sealedPerSecond * perSegment;
    }
  }
  const crossZoneBytesPerSearch = (servingQueryNodes: number, zones: number): number => {
    if (zones < 2 || servingQueryNodes <= 0) return 0;
    let bytes = 0;
    for (const c of load.collections) {
      const col = c.collection;
      const request = col.dimension * 4 + SEARCH_REQUEST_OVERHEAD_BYTES;
      const result = w.traffic.topK * RESULT_BYTES_PER_HIT + RESULT_OVERHEAD_BYTES;
      // One replica serves a search: the proxy asks each shard's delegator, each delegator asks the
      // other query nodes of its replica that hold the shard's segments (its own are local).
      const perReplica = Math.max(1, Math.floor(servingQueryNodes / col.replicas));
      const holders = Math.min(perReplica, Math.ceil(c.segments / col.shards));
      // Per shard: proxy to delegator (1) and delegator to the other holders (holders - 1).
      bytes += (col.shards * holders * (request + result)) / n;
    }
    // Pods spread evenly over the zones: a message leaves its zone (zones - 1) / zones of the time.
    return (bytes * (zones - 1)) / zones;
  };
  return { getsPerLoadedByte: loaded > 0 ? gets / loaded : 0, putsPerSecond: puts, writtenBytesPerSecond: written, crossZoneBytesPerSearch };
}
