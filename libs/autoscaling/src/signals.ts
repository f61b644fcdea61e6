// The custom and external metrics HPAs scale on, each declared once: the HPA names it, and the
// prometheus-adapter rule that serves it is generated from the same declaration.

import { MILVUS_METRICS, pendingTaskMatchers } from '@milvus-gitops/milvus';

/** A metric served by prometheus-adapter's custom (per-object) or external API. */
export interface MetricDeclaration {
  /** `Pods`: a per-pod series averaged by the HPA; `External`: one value for the namespace. */
  readonly type: 'Pods' | 'External';
  /** Name the HPA asks the metrics API for. */
  readonly name: string;
  /** Series the adapter discovers (`seriesQuery`). */
  readonly seriesQuery: string;
  /** The Prometheus series name inside `seriesQuery`, renamed to `name` by the adapter. */
  readonly series: string;
  /** The adapter's `metricsQuery` template (`<<.Series>>`, `<<.LabelMatchers>>`, `<<.GroupBy>>`). */
  readonly metricsQuery: string;
  /** What the number means, for people reading the HPA. */
  readonly description: string;
}

/** Ready read tasks per query node: the queue a search waits in. */
export const QUERY_QUEUE_DEPTH: MetricDeclaration = {
  type: 'Pods',
  name: MILVUS_METRICS.queryNodeReadTaskReadyLen,
  series: MILVUS_METRICS.queryNodeReadTaskReadyLen,
  seriesQuery: `${MILVUS_METRICS.queryNodeReadTaskReadyLen}{namespace!="",pod!=""}`,
  metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
  description: 'read tasks ready to run on each query node',
};

/**
 * P99 search latency seen by the proxies over the last two minutes, in milliseconds; 0 when there
 * were no searches. Without traffic every bucket's rate is 0 and histogram_quantile returns NaN,
 * which prometheus-adapter passes on (`int64(NaN*1000)` in its metric_converter.go), and the HPA
 * then cannot compute this metric and will not scale down while idle. `>= 0` drops the NaN (NaN
 * compares false) and `or on() vector(0)` supplies 0 only when the left side is empty: both sides
 * have no labels (`sum ... by (le)` is consumed by histogram_quantile), so the adapter returns one
 * value either way. Also 0 when no proxy is scraped at all: CPU keeps the HPA honest then.
 */
export const SEARCH_P99_LATENCY_MS: MetricDeclaration = {
  type: 'External',
  name: 'milvus_search_latency_p99_ms',
  series: `${MILVUS_METRICS.proxySearchLatency}_bucket`,
  seriesQuery: `${MILVUS_METRICS.proxySearchLatency}_bucket{namespace!=""}`,
  metricsQuery: '(histogram_quantile(0.99, sum(rate(<<.Series>>{<<.LabelMatchers>>,query_type="search"}[2m])) by (le)) >= 0) or on() vector(0)',
  description: 'P99 search latency at the proxies, ms (0 without searches)',
};

/**
 * Label matchers of `milvus_datacoord_task_count` selecting index builds waiting or running
 * (task_type and task_state values: indexpb.JobType / JobState names, internal/datacoord/index_meta.go).
 */
export const PENDING_INDEX_TASK_MATCHERS = pendingTaskMatchers(['JobTypeIndexJob']);

/**
 * Label matchers of the same gauge selecting all the work a Milvus 2.5 index node exists for:
 * index builds and the sort jobs before them. With `dataCoord.statsTask.enable` (true by default,
 * pkg/util/paramtable/component_param.go v2.5.26) no index build is created for a segment until
 * it is sorted (internal/datacoord/index_service.go createIndexesForSegment); sort jobs run on
 * index nodes too (task_stats.go AssignTask, through an IndexNodeClient) and are counted as
 * `JobTypeStatsJob` (stats_task_meta.go). A scaler that wakes index nodes from zero on index
 * builds alone waits forever behind sort jobs nobody runs.
 */
export const PENDING_INDEX_NODE_WORK_MATCHERS = pendingTaskMatchers(['JobTypeIndexJob', 'JobTypeStatsJob']);

/** Index build tasks waiting or running, for the whole Milvus instance. */
export const PENDING_INDEX_TASKS: MetricDeclaration = {
  type: 'External',
  name: 'milvus_index_tasks_pending',
  series: MILVUS_METRICS.datacoordTaskCount,
  seriesQuery: `${MILVUS_METRICS.datacoordTaskCount}{namespace!="",task_type="JobTypeIndexJob"}`,
  // `or on() vector(0)`: no series yet (no index ever built) is an empty backlog, not an unknown one.
  metricsQuery: `sum(<<.Series>>{<<.LabelMatchers>>,${PENDING_INDEX_TASK_MATCHERS}}) or on() vector(0)`,
  description: 'index builds waiting (JobStateInit, JobStateRetry) or in progress',
};
