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
} as const;

/** Index task states that mean work is waiting or running. */
export const PENDING_INDEX_TASK_STATES = ['unissued', 'in-progress'] as const;
