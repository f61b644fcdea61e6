// The Milvus metric names this repository queries, in one module: autoscaling rules, alerts and
// dashboards all read them from here (namespace `milvus_`, see milvus-io/milvus pkg/metrics).

/** Prometheus metric names exported by Milvus roles on :9091/metrics. */
export const MILVUS_METRICS = {
  /** Gauge per query node: read tasks ready to run (the query queue depth). */
  queryNodeReadTaskReadyLen: 'milvus_querynode_read_task_ready_len',
  /** Histogram (milliseconds) on the proxy of search/query latency; label `query_type` is `search` or `query`. */
  proxySearchLatency: 'milvus_proxy_sq_latency',
  /** Gauge on the coordinator: index build tasks by `index_task_status` (`unissued`, `in-progress`, ...). */
  indexTaskCount: 'milvus_datacoord_index_task_count',
  /** Counter on data nodes: flush requests by `status` (`success`, `fail`). */
  dataNodeFlushReqCount: 'milvus_datanode_flush_req_count',
  /** Gauge on the coordinator: compaction tasks by `status` (pending, executing, failed, ...). */
  compactionTaskNum: 'milvus_datacoord_compaction_task_num',
  /** Counter of object-storage operations by `persistent_data_op_type` and `status` (`total`, `success`, `fail`). */
  storageOpCount: 'milvus_storage_op_count',
  /** Gauge per query node: sealed segments loaded. */
  queryNodeSegmentNum: 'milvus_querynode_segment_num',
  /** Gauge per query node: entities loaded. */
  queryNodeEntityNum: 'milvus_querynode_entity_num',
  /** Counter per query node: segment accesses by searches and queries. */
  queryNodeSegmentAccessTotal: 'milvus_querynode_segment_access_total',
  /** Counter per query node: segment accesses that had to wait for the segment to load into the cache (misses). */
  queryNodeSegmentAccessWaitCacheTotal: 'milvus_querynode_segment_access_wait_cache_total',
  /** Counter per query node: bytes loaded from object storage into the local disk cache. */
  queryNodeDiskCacheLoadBytes: 'milvus_querynode_disk_cache_load_bytes',
  /** Histogram (ms) per query node: time a search waited in the queue. */
  queryNodeQueueLatency: 'milvus_querynode_sq_queue_latency',
} as const;

/** Index task states that mean work is waiting or running. */
export const PENDING_INDEX_TASK_STATES = ['unissued', 'in-progress'] as const;
