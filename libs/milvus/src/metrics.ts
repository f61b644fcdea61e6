// The Milvus metric names this repository queries, in one module: autoscaling rules, alerts and
// dashboards all read them from here (namespace `milvus_`, see milvus-io/milvus pkg/metrics). Every
// name and label used must be in metric-catalog.ts for each supported release, and not deprecated
// there (test/e2e/monitoring.test.ts checks the whole render).

/** Prometheus metric names exported by Milvus roles on :9091/metrics. */
export const MILVUS_METRICS = {
  /** Gauge per query node: read tasks ready to run (the query queue depth). */
  queryNodeReadTaskReadyLen: 'milvus_querynode_read_task_ready_len',
  /** Histogram (milliseconds) on the proxy of search/query latency; label `query_type` is `search` or `query`. */
  proxySearchLatency: 'milvus_proxy_sq_latency',
  /**
   * Gauge on the coordinator: index and stats tasks by `task_type` (`JobTypeIndexJob`,
   * `JobTypeStatsJob`) and `task_state` (`indexpb.JobState` names). For index jobs it counts
   * segment-index records per state (internal/datacoord/index_meta.go). Replaces
   * `milvus_datacoord_index_task_count`, registered but never set in 2.5.26 and 2.6.15.
   */
  datacoordTaskCount: 'milvus_datacoord_task_count',
  /**
   * Counter on data nodes (2.6: streaming nodes too) of sync tasks writing buffers to storage, by
   * `status` (`success`, `fail`, ...) and `segment_level`; `fail` is counted in SyncTask.HandleError.
   * `milvus_datanode_flush_req_count` never counts `fail` (2.5) or anything (2.6).
   */
  dataNodeFlushBufferOpCount: 'milvus_datanode_flush_buffer_op_count',
  /**
   * Gauge on the coordinator: compaction tasks by `compaction_type` and `status`, one of `pending`,
   * `executing`, `done` (no `failed`: a failed task is counted `done` too).
   */
  compactionTaskNum: 'milvus_datacoord_compaction_task_num',
  /** Counter of object-storage operations by `persistent_data_op_type` and `status` (`total`, `success`, `fail`). */
  storageOpCount: 'milvus_storage_op_count',
  /**
   * Gauge per query node: segments loaded, by `segment_state` (`Growing`, `Sealed`) and
   * `segment_level` (2.6 also sets it for each delegator's L0 delete segments).
   */
  queryNodeSegmentNum: 'milvus_querynode_segment_num',
  /** Gauge per query node: entities loaded. */
  queryNodeEntityNum: 'milvus_querynode_entity_num',
  /** Histogram (ms) per query node: time a search waited in the queue. */
  queryNodeQueueLatency: 'milvus_querynode_sq_queue_latency',
} as const;

/**
 * `task_state` values of `milvus_datacoord_task_count` that mean an index build is waiting or running
 * (`JobStateInit` is an unissued index; names from `indexpb.JobState`, pkg/proto/index_coord.proto).
 */
export const PENDING_INDEX_TASK_STATES = ['JobStateInit', 'JobStateInProgress', 'JobStateRetry'] as const;

/**
 * Label matchers of `milvus_datacoord_task_count` selecting tasks of the given types waiting or
 * running: `JobTypeIndexJob` (index builds, internal/datacoord/index_meta.go) and `JobTypeStatsJob`
 * (the sort jobs before them, stats_task_meta.go), names from `indexpb.JobType`.
 */
export function pendingTaskMatchers(types: readonly ('JobTypeIndexJob' | 'JobTypeStatsJob')[]): string {
  const type = types.length === 1 ? `task_type="${types[0]}"` : `task_type=~"${types.join('|')}"`;
  return `${type},task_state=~"${PENDING_INDEX_TASK_STATES.join('|')}"`;
}
