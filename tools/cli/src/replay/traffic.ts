// What a cluster pays besides its nodes while it serves: S3 requests (query nodes reading segments
// when they load them, data or streaming nodes writing binlogs and index files as rows arrive) and
// transfer between zones (a search fans out from a proxy to each shard's delegator, and from each
// delegator to the query nodes that hold the shard's sealed segments; results come back the same
// way). Segment loads and binlog writes reach the cluster's own bucket, in its region, over the
// VPC's S3 gateway endpoint (tools/infra): no transfer or NAT charge, requests only. Milvus paths
// are those of the 2.5 and 2.6 branches (milvus-io/milvus); constants that are estimates say so.

import type { MilvusMinor, ResolvedWorkload } from '@milvus-gitops/spec';
import type { WorkloadLoad } from './model.js';

const MiB = 2 ** 20;

/**
 * Index files are written to and read from object storage in slices of this size, plus one slice
 * meta object per file: Milvus `common.indexSliceSize`, 16 MB by default
 * (pkg/util/paramtable/component_param.go DefaultIndexSliceSize = 16; internal/core/src/common/
 * Slice.cpp Disassemble, which also writes INDEX_FILE_SLICE_META).
 */
export const INDEX_SLICE_BYTES = 16 * MiB;
/**
 * Compaction (and the sort stats task) starts new binlog files whenever the rows it has written
 * reach this many bytes over all fields: `dataNode.segment.binlog.maxsize` 67108864
 * (compaction/segment_writer.go IsFull). A compacted segment has this many files per field.
 */
export const BINLOG_MAX_BYTES = 64 * MiB;
/**
 * Binlog files a query node reads per sealed segment besides the index, per BINLOG_MAX_BYTES of
 * rows. 2.5: row id, timestamp and primary key, one file each (the indexed vector field is left out,
 * its index is loaded instead: querynodev2/segments/segment_loader.go loadSealedSegment). 2.6
 * (storage v2): the system columns and the primary key are one Parquet column group, one file for
 * the segment (its compaction writer does not roll over at binlog.maxsize): an estimate. Either way
 * one primary-key stats log more, which the delegator reads for its bloom filter
 * (delegator_data.go LoadBloomFilterSet). Delete logs are not counted.
 */
export const SCALAR_BINLOG_FIELDS = 3;
/**
 * Requests per object read: a HeadObject for its size, then a GetObject of the whole object
 * (internal/core/src/storage/Util.cpp DownloadAndDecodeRemoteFile: Size, then Read). HEAD is billed
 * with GET.
 */
export const REQUESTS_PER_OBJECT_READ = 2;
/**
 * A growing segment's buffer is synced to S3 at least this often while rows arrive, seconds:
 * `dataNode.segment.syncPeriod` 600 (same key in 2.6, where the streaming node flushes;
 * internal/flushcommon/writebuffer).
 */
export const SYNC_PERIOD_SECONDS = 600;
/** ... and whenever its buffer reaches this many bytes in memory: `dataNode.segment.insertBufSize` 16777216. */
export const INSERT_BUFFER_BYTES = 16 * MiB;
/**
 * Objects one sync writes, for a collection with a primary key and one vector field. 2.5: a binlog
 * per field (row id, timestamp, primary key, vector) and a stats log (storage_serializer.go); 2.6
 * (storage v2): a Parquet file per column group (system columns with the primary key, the vector)
 * and a stats log. 2.6 uploads each file in 10 MB parts (more PUT-class requests for big syncs):
 * not counted.
 */
export const OBJECTS_PER_SYNC: Readonly<Record<MilvusMinor, number>> = { '2.5': 5, '2.6': 3 };
/** Bytes of a search request besides its query vector (serialized plan, output fields, consistency). Estimate. */
export const SEARCH_REQUEST_OVERHEAD_BYTES = 512;
/**
 * Bytes a hit takes in a (partial) search result: an int64 id as a protobuf varint (about 9 bytes
 * for Milvus' auto ids) and a float32 score (schemapb.SearchResultData, segments/result.go).
 * Output fields other than the id add their own bytes per hit: not counted.
 */
export const RESULT_BYTES_PER_HIT = 13;
/** Bytes of a search result besides its hits. Estimate. */
export const RESULT_OVERHEAD_BYTES = 256;

/** The S3 requests and zone-crossing bytes of a workload. */
export interface TrafficModel {
  /** S3 GET-class requests per byte a query node loads (index slices and their meta, scalar binlogs, the stats log; HEAD and GET each). */
  getsPerLoadedByte: number;
  /** S3 PUT requests per second the inserts cause (buffer syncs and the index files of sealed segments); 0 without inserts. */
  putsPerSecond: number;
  /** Bytes a second of inserts writes to S3 (raw rows and index files); 0 without inserts. */
  writtenBytesPerSecond: number;
  /**
   * Bytes that cross a zone boundary per search (one query vector, top-k hits) with
   * `servingQueryNodes` serving, spread evenly over `zones` zones: requests and results between
   * proxy, delegators and the query nodes they search.
   */
  crossZoneBytesPerSearch(servingQueryNodes: number, zones: number): number;
}

/** The traffic model of a workload on a Milvus minor (searches spread evenly over its collections, one partition each). */
export function trafficModel(w: ResolvedWorkload, load: WorkloadLoad, minor: MilvusMinor): TrafficModel {
  const n = load.collections.length;
  let gets = 0;
  let loaded = 0;
  let puts = 0;
  let written = 0;
  for (const c of load.collections) {
    const col = c.collection;
    const indexPerSegment = c.loadBytes / c.segments;
    const indexObjects = Math.ceil(indexPerSegment / INDEX_SLICE_BYTES) + 1;
    const rawPerSegment = (col.vectors / c.segments) * c.rowBytes;
    const binlogObjects = (minor === '2.5' ? SCALAR_BINLOG_FIELDS * Math.ceil(rawPerSegment / BINLOG_MAX_BYTES) : 1) + 1;
    gets += col.replicas * c.segments * (indexObjects + binlogObjects) * REQUESTS_PER_OBJECT_READ;
    loaded += col.replicas * c.loadBytes;
    const rowsPerSecond = w.traffic.insertRowsPerSecond / n;
    if (rowsPerSecond > 0) {
      // One growing segment per shard takes the shard's rows; a segment that seals gets a last sync.
      const bytesPerShard = (rowsPerSecond * c.rowBytes) / col.shards;
      const syncsPerShard = Math.max(1 / SYNC_PERIOD_SECONDS, bytesPerShard / INSERT_BUFFER_BYTES);
      const sealedPerSecond = rowsPerSecond / (col.vectors / c.segments);
      puts += (col.shards * syncsPerShard + sealedPerSecond) * OBJECTS_PER_SYNC[minor] + sealedPerSecond * indexObjects;
      written += rowsPerSecond * c.rowBytes + sealedPerSecond * indexPerSegment;
    }
  }
  const crossZoneBytesPerSearch = (servingQueryNodes: number, zones: number): number => {
    if (zones < 2 || servingQueryNodes <= 0) return 0;
    let bytes = 0;
    for (const c of load.collections) {
      const col = c.collection;
      const request = col.dimension * 4 + SEARCH_REQUEST_OVERHEAD_BYTES;
      const result = w.traffic.topK * RESULT_BYTES_PER_HIT + RESULT_OVERHEAD_BYTES;
      // One replica serves each shard of a search (proxy lb_policy: one shard leader per channel):
      // the proxy asks the shard's delegator, which sends one sub-search per other query node of
      // its replica holding the shard's sealed segments (delegator.go organizeSubTask), each with
      // the query vector, and merges their top-k into the one it returns.
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
