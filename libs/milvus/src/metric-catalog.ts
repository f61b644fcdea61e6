// The Prometheus metrics each supported Milvus release exports: name, type and label names, per
// release, with the upstream commit they were read from. Derived data, not a copy of upstream: it was
// extracted mechanically from every `prometheus.New{Gauge,Counter,Histogram}[Vec](Opts{Namespace,
// Subsystem, Name}, labels)` in milvus-io/milvus `pkg/metrics/*.go` (tests excluded; streaming helpers
// that prepend `node_id` through `mergeLabel` included) at the commit of each release's "Bump milvus &
// proto to vX" change, which is what the release tag points at (see the commits below). C++ (segcore,
// knowhere) metrics and metrics defined outside pkg/metrics are not in it.
//
// A metric can be declared (so it is here) and still never produce a series: `DEPRECATED` lists the
// ones known to be registered-but-never-set or never registered at all. Nothing this repository
// renders may query a metric that is missing here or deprecated (test/e2e/monitoring.test.ts).

/** Prometheus metric types. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One metric of a release. */
export interface CatalogMetric {
  readonly name: string;
  readonly type: MetricType;
  /** Label names Milvus sets (Prometheus adds target labels such as namespace and pod on scrape). */
  readonly labels: readonly string[];
  /** Why the metric exports no (useful) series, when it does not. */
  readonly deprecated?: string;
}

/** The catalog of one Milvus release. */
export interface MetricCatalog {
  /** The release the catalog was read at. */
  readonly version: string;
  /** milvus-io/milvus commit the catalog was read at. */
  readonly commit: string;
  /** True when `version` is the release asked for; false when another patch of the same minor stands in. */
  readonly exact: boolean;
  readonly metrics: ReadonlyMap<string, CatalogMetric>;
}

/** Declared but exporting nothing: never registered with the registry Milvus serves on :9091. */
const UNREGISTERED = 'declared in pkg/metrics but registered by no Register* function, so never exported';

/**
 * Metrics known to export nothing (or nothing usable) per release, with the reason. Sources:
 * milvus-io/milvus at the commits below (internal/datacoord/index_meta.go only calls
 * `IndexTaskNum.Delete`, pkg/metrics/datacoord_metrics.go marks it "Deprecated: please use TaskNum
 * after v2.5.5"; 2.6 has no `DataNodeFlushReqCounter` increment anywhere).
 */
const DEPRECATED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '2.5.26': {
    milvus_datacoord_index_task_count:
      'registered but never set (only Delete calls in internal/datacoord/index_meta.go); use milvus_datacoord_task_count{task_type="JobTypeIndexJob"}',
    milvus_datacoord_compaction_load: UNREGISTERED,
    milvus_datacoord_segment_compact_duration: UNREGISTERED,
    milvus_datacoord_segment_flush_duration: UNREGISTERED,
    milvus_datacoord_segment_size_ratio: UNREGISTERED,
    milvus_rootcoord_database_num: UNREGISTERED,
    milvus_rootcoord_num_of_privilege_groups: UNREGISTERED,
  },
  '2.6.15': {
    milvus_datacoord_index_task_count:
      'registered but never set (only Delete calls in internal/datacoord/index_meta.go); use milvus_datacoord_task_count{task_type="JobTypeIndexJob"}',
    milvus_datanode_flush_req_count: 'registered but never incremented in 2.6; use milvus_datanode_flush_buffer_op_count',
    milvus_datacoord_compaction_load: UNREGISTERED,
    milvus_datacoord_segment_compact_duration: UNREGISTERED,
    milvus_datacoord_segment_flush_duration: UNREGISTERED,
    milvus_datacoord_segment_size_ratio: UNREGISTERED,
    milvus_rootcoord_database_num: UNREGISTERED,
    milvus_rootcoord_num_of_privilege_groups: UNREGISTERED,
  },
};

/** `type:label,label` per metric name, per release. */
const RAW: Readonly<Record<string, { readonly commit: string; readonly metrics: Readonly<Record<string, string>> }>> = {
  '2.5.26': {
    // "enhance: Bump milvus & proto to v2.5.26 (#47228)", 2026-01-22
    commit: 'a3c34830032dfc88fbc8d153f8bac8ac41f2d60e',
    metrics: {
      milvus_build_info: 'gauge:version,built,git_commit',
      milvus_cgo_active_future_total: 'gauge:node_id',
      milvus_cgo_cgo_duration_seconds: 'histogram:node_id,name',
      milvus_cgo_cgo_queue_duration_seconds: 'histogram:node_id',
      milvus_cgo_running_cgo_call_total: 'gauge:node_id',
      milvus_datacoord_bulk_insert_vectors_count: 'counter:db_name,collection_id',
      milvus_datacoord_channel_checkpoint_unix_seconds: 'gauge:node_id,channel_name',
      milvus_datacoord_collection_num: 'gauge:',
      milvus_datacoord_compacted_segment_size: 'histogram:',
      milvus_datacoord_compaction_latency: 'histogram:is_vector_field,channel_name,compaction_type,compaction_stage',
      milvus_datacoord_compaction_load: 'gauge:',
      milvus_datacoord_compaction_task_num: 'gauge:node_id,compaction_type,status',
      milvus_datacoord_consume_datanode_tt_lag_ms: 'gauge:node_id,channel_name',
      milvus_datacoord_datanode_num: 'gauge:',
      milvus_datacoord_gc_file_scan_duration: 'histogram:node_id,segment_file_type',
      milvus_datacoord_gc_run_count: 'counter:node_id',
      milvus_datacoord_import_job_latency: 'histogram:import_stage',
      milvus_datacoord_import_jobs: 'gauge:import_state',
      milvus_datacoord_import_task_latency: 'histogram:import_stage',
      milvus_datacoord_import_tasks: 'gauge:task_type,import_state',
      milvus_datacoord_index_node_num: 'gauge:',
      milvus_datacoord_index_req_count: 'counter:status',
      milvus_datacoord_index_task_count: 'gauge:collection_id,index_task_status',
      milvus_datacoord_l0_delete_entries_num: 'gauge:db_name,collection_id',
      milvus_datacoord_segment_binlog_file_count: 'gauge:collection_id',
      milvus_datacoord_segment_compact_duration: 'histogram:',
      milvus_datacoord_segment_flush_duration: 'histogram:',
      milvus_datacoord_segment_num: 'gauge:segment_state,segment_level,segment_is_sorted',
      milvus_datacoord_segment_size_ratio: 'histogram:',
      milvus_datacoord_store_level0_segment_size: 'histogram:collection_id',
      milvus_datacoord_stored_binlog_size: 'gauge:db_name,collection_id,segment_state',
      milvus_datacoord_stored_index_files_size: 'gauge:db_name,collection_name,collection_id',
      milvus_datacoord_stored_rows_num: 'gauge:db_name,collection_id,collection_name,segment_state',
      milvus_datacoord_task_count: 'gauge:task_type,task_state',
      milvus_datacoord_task_execute_max_latency: 'histogram:task_type,status',
      milvus_datacoord_watched_dml_chanel_num: 'gauge:node_id',
      milvus_datanode_autoflush_buffer_op_count: 'counter:node_id,status,segment_level',
      milvus_datanode_compaction_delete_count: 'counter:collection_id',
      milvus_datanode_compaction_latency: 'histogram:node_id,compaction_type',
      milvus_datanode_compaction_latency_in_queue: 'histogram:node_id',
      milvus_datanode_compaction_missing_delete_count: 'counter:collection_id',
      milvus_datanode_consume_bytes_count: 'counter:node_id,msg_type',
      milvus_datanode_consume_msg_count: 'counter:node_id,msg_type,collection_id',
      milvus_datanode_consume_tt_lag_ms: 'gauge:node_id,msg_type,collection_id',
      milvus_datanode_encode_buffer_latency: 'histogram:node_id,segment_level',
      milvus_datanode_fg_buffer_size: 'gauge:node_id,collection_id',
      milvus_datanode_flowgraph_num: 'gauge:node_id',
      milvus_datanode_flush_buffer_op_count: 'counter:node_id,status,segment_level',
      milvus_datanode_flush_req_count: 'counter:node_id,status',
      milvus_datanode_flushed_data_rows: 'counter:node_id,data_source',
      milvus_datanode_flushed_data_size: 'counter:node_id,data_source,segment_level',
      milvus_datanode_forward_delete_msg_time_taken_ms: 'histogram:node_id',
      milvus_datanode_msg_dispatcher_tt_lag_ms: 'gauge:node_id,channel_name',
      milvus_datanode_msg_rows_count: 'counter:node_id,msg_type',
      milvus_datanode_producer_num: 'gauge:node_id',
      milvus_datanode_save_latency: 'histogram:node_id,msg_type',
      milvus_datanode_write_data_count: 'counter:node_id,data_source,data_type,collection_id',
      milvus_flushed_segment_file_num: 'histogram:segment_file_type',
      milvus_indexnode_build_index_latency: 'histogram:node_id',
      milvus_indexnode_decode_field_latency: 'histogram:node_id',
      milvus_indexnode_encode_index_latency: 'histogram:node_id',
      milvus_indexnode_index_task_count: 'counter:node_id,status',
      milvus_indexnode_index_task_latency_in_queue: 'histogram:node_id',
      milvus_indexnode_knowhere_build_index_latency: 'histogram:node_id',
      milvus_indexnode_load_field_latency: 'histogram:node_id',
      milvus_indexnode_save_index_latency: 'histogram:node_id',
      milvus_indexnode_task_build_json_stats_latency: 'histogram:node_id',
      milvus_lock_time_cost: 'gauge:lock_name,lock_source,lock_type,lock_op',
      milvus_meta_kv_size: 'histogram:meta_op_type',
      milvus_meta_op_count: 'counter:meta_op_type,status',
      milvus_meta_request_latency: 'histogram:meta_op_type',
      milvus_msg_queue_consumer_num: 'gauge:role_name,node_id',
      milvus_msgstream_op_count: 'counter:message_op_type,status',
      milvus_msgstream_request_latency: 'histogram:message_op_type',
      milvus_num_node: 'gauge:node_id,role_name',
      milvus_proxy_apply_pk_latency: 'histogram:node_id',
      milvus_proxy_apply_timestamp_latency: 'histogram:node_id',
      milvus_proxy_assign_segmentID_latency: 'histogram:node_id',
      milvus_proxy_cache_hit_count: 'counter:node_id,cache_name,cache_state',
      milvus_proxy_cache_update_latency: 'histogram:node_id,cache_name',
      milvus_proxy_collection_mutation_latency: 'histogram:node_id,msg_type,collection_name',
      milvus_proxy_collection_sq_latency: 'histogram:node_id,query_type,collection_name',
      milvus_proxy_delete_vectors_count: 'counter:node_id,db_name,collection_name',
      milvus_proxy_executing_total_nq: 'gauge:node_id',
      milvus_proxy_hook_func_count: 'counter:function_name,full_method',
      milvus_proxy_insert_vectors_count: 'counter:node_id,db_name,collection_name',
      milvus_proxy_limiter_rate: 'gauge:node_id,collection_id,msg_type',
      milvus_proxy_max_insert_rate: 'gauge:node_id,scope',
      milvus_proxy_msgstream_obj_num: 'gauge:node_id,channel_name',
      milvus_proxy_mutation_latency: 'histogram:node_id,msg_type,db_name,collection_name',
      milvus_proxy_mutation_send_latency: 'histogram:node_id,msg_type',
      milvus_proxy_parse_expr_latency: 'histogram:node_id,function_name,status',
      milvus_proxy_queue_task_num: 'gauge:node_id,queue_type,task_state',
      milvus_proxy_rate_limit_req_count: 'counter:node_id,msg_type,status',
      milvus_proxy_recall_search_cnt: 'counter:node_id,query_type,collection_name',
      milvus_proxy_receive_bytes_count: 'counter:node_id,msg_type,collection_name',
      milvus_proxy_received_nq: 'counter:node_id,query_type,collection_name',
      milvus_proxy_report_value: 'counter:node_id,msg_type,db_name,username',
      milvus_proxy_req_count: 'counter:node_id,function_name,status,db_name,collection_name',
      milvus_proxy_req_in_queue_latency: 'histogram:node_id,function_name',
      milvus_proxy_req_latency: 'histogram:node_id,function_name',
      milvus_proxy_restful_api_receive_bytes_count: 'counter:node_id,path',
      milvus_proxy_restful_api_req_count: 'counter:node_id,path',
      milvus_proxy_restful_api_req_latency: 'histogram:node_id,path',
      milvus_proxy_restful_api_send_bytes_count: 'counter:node_id,path',
      milvus_proxy_retry_search_cnt: 'counter:node_id,query_type,collection_name',
      milvus_proxy_retry_search_result_insufficient_cnt: 'counter:node_id,query_type,collection_name',
      milvus_proxy_search_sparse_num_non_zeros: 'histogram:node_id,collection_name,query_type,field_id',
      milvus_proxy_search_vectors_count: 'counter:node_id,db_name,collection_name',
      milvus_proxy_send_bytes_count: 'counter:node_id',
      milvus_proxy_slow_query_count: 'counter:node_id,msg_type',
      milvus_proxy_sq_decode_result_latency: 'histogram:node_id,query_type',
      milvus_proxy_sq_latency: 'histogram:node_id,query_type,db_name,collection_name',
      milvus_proxy_sq_reduce_result_latency: 'histogram:node_id,query_type',
      milvus_proxy_sq_wait_result_latency: 'histogram:node_id,query_type',
      milvus_proxy_sync_segment_request_length: 'histogram:node_id',
      milvus_proxy_tt_lag_ms: 'gauge:node_id,channel_name',
      milvus_proxy_upsert_vectors_count: 'counter:node_id,db_name,collection_name',
      milvus_proxy_user_rpc_count: 'counter:username',
      milvus_proxy_workload_score: 'gauge:node_id',
      milvus_querycoord_collection_num: 'gauge:',
      milvus_querycoord_current_target_checkpoint_unix_seconds: 'gauge:node_id,channel_name',
      milvus_querycoord_last_heartbeat_timestamp: 'gauge:node_id',
      milvus_querycoord_load_latency: 'histogram:',
      milvus_querycoord_load_req_count: 'counter:status',
      milvus_querycoord_partition_num: 'gauge:',
      milvus_querycoord_querynode_num: 'gauge:',
      milvus_querycoord_release_latency: 'histogram:',
      milvus_querycoord_release_req_count: 'counter:status',
      milvus_querycoord_replica_ro_node_total: 'gauge:',
      milvus_querycoord_resource_group_info: 'gauge:rg,node_id',
      milvus_querycoord_resource_group_replica_total: 'gauge:rg',
      milvus_querycoord_task_latency: 'histogram:collection_id,task_type,channel_name',
      milvus_querycoord_task_num: 'gauge:querycoord_task_type',
      milvus_querynode_apply_bf_latency: 'histogram:function_name,node_id',
      milvus_querynode_cgo_latency: 'histogram:node_id,cgo_name,cgo_type',
      milvus_querynode_collection_num: 'gauge:node_id',
      milvus_querynode_consume_bytes_counter: 'counter:node_id,msg_type',
      milvus_querynode_consume_msg_count: 'counter:node_id,msg_type,collection_id',
      milvus_querynode_consume_tt_lag_ms: 'gauge:node_id,msg_type,collection_id',
      milvus_querynode_delete_buffer_row_num: 'gauge:node_id,channel_name',
      milvus_querynode_delete_buffer_size: 'gauge:node_id,channel_name',
      milvus_querynode_delta_vchannel_num: 'gauge:node_id',
      milvus_querynode_disk_cache_evict_bytes: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_evict_duration: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_evict_global_duration: 'histogram:node_id',
      milvus_querynode_disk_cache_evict_total: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_load_bytes: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_load_duration: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_load_global_duration: 'histogram:node_id',
      milvus_querynode_disk_cache_load_total: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_used_size: 'gauge:node_id',
      milvus_querynode_dml_vchannel_num: 'gauge:node_id',
      milvus_querynode_entity_num: 'gauge:db_name,collection_name,node_id,collection_id,segment_state',
      milvus_querynode_entity_size: 'gauge:node_id,collection_id,segment_state',
      milvus_querynode_estimate_cpu_usage: 'gauge:node_id',
      milvus_querynode_execute_bytes_counter: 'counter:node_id,msg_type',
      milvus_querynode_flowgraph_num: 'gauge:node_id',
      milvus_querynode_forward_delete_latency: 'histogram:function_name,node_id',
      milvus_querynode_level_zero_size: 'gauge:node_id,collection_id,channel_name',
      milvus_querynode_load_index_latency: 'histogram:node_id',
      milvus_querynode_load_segment_concurrency: 'gauge:node_id,load_type',
      milvus_querynode_load_segment_latency: 'histogram:node_id',
      milvus_querynode_msg_dispatcher_tt_lag_ms: 'gauge:node_id,channel_name',
      milvus_querynode_partition_num: 'gauge:node_id',
      milvus_querynode_process_insert_or_delete_latency: 'histogram:node_id,msg_type',
      milvus_querynode_read_evicted_count: 'counter:node_id',
      milvus_querynode_read_task_concurrency: 'gauge:node_id',
      milvus_querynode_read_task_ready_len: 'gauge:node_id',
      milvus_querynode_read_task_unsolved_len: 'gauge:node_id',
      milvus_querynode_search_fts_num_tokens: 'histogram:node_id,collection_id,field_id',
      milvus_querynode_search_group_nq: 'histogram:node_id',
      milvus_querynode_search_group_size: 'histogram:node_id',
      milvus_querynode_search_group_topk: 'histogram:node_id',
      milvus_querynode_search_hit_segment_num: 'histogram:node_id,collection_id,query_type',
      milvus_querynode_search_nq: 'histogram:node_id',
      milvus_querynode_search_topk: 'histogram:node_id',
      milvus_querynode_segment_access_duration: 'counter:node_id,db_name,rg,query_type',
      milvus_querynode_segment_access_global_duration: 'histogram:node_id,query_type',
      milvus_querynode_segment_access_total: 'counter:node_id,db_name,rg,query_type',
      milvus_querynode_segment_access_wait_cache_duration: 'counter:node_id,db_name,rg,query_type',
      milvus_querynode_segment_access_wait_cache_global_duration: 'histogram:node_id,query_type',
      milvus_querynode_segment_access_wait_cache_total: 'counter:node_id,db_name,rg,query_type',
      milvus_querynode_segment_latency_per_vector: 'histogram:node_id,query_type,segment_state',
      milvus_querynode_segment_num: 'gauge:node_id,collection_id,segment_state,segment_level',
      milvus_querynode_segment_prune_bias: 'gauge:node_id,collection_id,segment_prune_label',
      milvus_querynode_segment_prune_latency: 'histogram:node_id,collection_id,segment_prune_label',
      milvus_querynode_segment_prune_ratio: 'gauge:node_id,collection_id,segment_prune_label',
      milvus_querynode_sq_core_latency: 'histogram:node_id,query_type',
      milvus_querynode_sq_queue_latency: 'histogram:node_id,query_type,db_name,rg',
      milvus_querynode_sq_queue_user_latency: 'histogram:node_id,query_type,username',
      milvus_querynode_sq_reduce_latency: 'histogram:node_id,query_type,reduce_level,reduce_type',
      milvus_querynode_sq_req_count: 'counter:node_id,query_type,status,scope,collection_id',
      milvus_querynode_sq_req_latency: 'histogram:node_id,query_type,scope',
      milvus_querynode_sq_segment_latency: 'histogram:node_id,query_type,segment_state',
      milvus_querynode_sq_wait_tsafe_latency: 'histogram:node_id,query_type',
      milvus_querynode_stopping_balance_channel_num: 'gauge:node_id',
      milvus_querynode_stopping_balance_node_num: 'gauge:',
      milvus_querynode_stopping_balance_segment_num: 'gauge:node_id',
      milvus_querynode_wait_processing_msg_count: 'gauge:node_id,msg_type',
      milvus_querynode_watch_dml_channel_latency: 'histogram:node_id',
      milvus_rootcoord_collection_num: 'gauge:db_name',
      milvus_rootcoord_credential_num: 'gauge:',
      milvus_rootcoord_database_num: 'gauge:',
      milvus_rootcoord_ddl_req_count: 'counter:function_name,status',
      milvus_rootcoord_ddl_req_latency: 'histogram:function_name',
      milvus_rootcoord_ddl_req_latency_in_queue: 'histogram:function_name',
      milvus_rootcoord_disk_quota: 'gauge:node_id,scope',
      milvus_rootcoord_dml_channel_num: 'gauge:',
      milvus_rootcoord_entity_num: 'gauge:collection_name,status',
      milvus_rootcoord_force_deny_writing_counter: 'counter:',
      milvus_rootcoord_id_alloc_count: 'counter:',
      milvus_rootcoord_indexed_entity_num: 'gauge:collection_name,index_name,is_vector_index',
      milvus_rootcoord_msgstream_obj_num: 'gauge:',
      milvus_rootcoord_num_of_privilege_groups: 'gauge:',
      milvus_rootcoord_num_of_roles: 'gauge:',
      milvus_rootcoord_partition_num: 'gauge:',
      milvus_rootcoord_produce_tt_lag_ms: 'gauge:channel_name',
      milvus_rootcoord_proxy_num: 'gauge:',
      milvus_rootcoord_qn_mem_high_water_level: 'gauge:',
      milvus_rootcoord_quota_states: 'gauge:quota_states,name',
      milvus_rootcoord_rate_limit_ratio: 'gauge:collection_id',
      milvus_rootcoord_sync_timetick_latency: 'histogram:',
      milvus_rootcoord_time_tick_delay: 'gauge:role_name,node_id',
      milvus_rootcoord_timestamp: 'gauge:',
      milvus_rootcoord_timestamp_saved: 'gauge:',
      milvus_runtime_info: 'gauge:mq,meta',
      milvus_storage_kv_size: 'histogram:persistent_data_op_type',
      milvus_storage_op_count: 'counter:persistent_data_op_type,status',
      milvus_storage_request_latency: 'histogram:persistent_data_op_type',
      milvus_streaming_consume_bytes: 'histogram:node_id,channel_name',
      milvus_streaming_consume_inflight_total: 'gauge:node_id,channel_name',
      milvus_streaming_consumer_total: 'gauge:node_id,channel_name,status',
      milvus_streaming_produce_bytes: 'histogram:node_id,channel_name,status',
      milvus_streaming_produce_duration_seconds: 'histogram:node_id,channel_name,status',
      milvus_streaming_produce_inflight_total: 'gauge:node_id,channel_name',
      milvus_streaming_producer_total: 'gauge:node_id,channel_name,status',
      milvus_streamingcoord_assignment_info: 'gauge:node_id',
      milvus_streamingcoord_assignment_listener_total: 'gauge:node_id',
      milvus_streamingcoord_broadcaster_ack_all_duration_seconds: 'histogram:node_id',
      milvus_streamingcoord_broadcaster_broadcast_duration_seconds: 'histogram:node_id',
      milvus_streamingcoord_broadcaster_task_total: 'gauge:node_id,state',
      milvus_streamingcoord_pchannel_info: 'gauge:node_id,channel_name,term,streaming_node',
      milvus_streamingcoord_resource_key_total: 'gauge:node_id,domain',
      milvus_streamingnode_consume_bytes: 'histogram:node_id,channel_name',
      milvus_streamingnode_consume_inflight_total: 'gauge:node_id,channel_name',
      milvus_streamingnode_consumer_total: 'gauge:node_id,channel_name',
      milvus_streamingnode_produce_inflight_total: 'gauge:node_id,channel_name',
      milvus_streamingnode_producer_total: 'gauge:node_id,channel_name',
      milvus_thread_num: 'gauge:',
      milvus_wal_acknowledge_time_tick_total: 'counter:node_id,channel_name,type',
      milvus_wal_allocate_time_tick_total: 'counter:node_id,channel_name',
      milvus_wal_append_message_bytes: 'histogram:node_id,channel_name,status',
      milvus_wal_append_message_duration_seconds: 'histogram:node_id,channel_name,status',
      milvus_wal_append_message_total: 'counter:node_id,channel_name,message_type,status',
      milvus_wal_finish_txn: 'counter:node_id,channel_name,state',
      milvus_wal_impls_append_message_duration_seconds: 'histogram:node_id,channel_name,status',
      milvus_wal_inflight_txn: 'gauge:node_id,channel_name',
      milvus_wal_info: 'gauge:node_id,channel_name,term,wal_name',
      milvus_wal_last_allocated_time_tick: 'gauge:node_id,channel_name',
      milvus_wal_last_confirmed_time_tick: 'gauge:node_id,channel_name',
      milvus_wal_scan_message_bytes: 'histogram:node_id,channel_name',
      milvus_wal_scan_message_total: 'counter:node_id,channel_name,message_type',
      milvus_wal_scan_pass_message_bytes: 'histogram:node_id,channel_name',
      milvus_wal_scan_pass_message_total: 'counter:node_id,channel_name,message_type',
      milvus_wal_scan_time_tick_violation_message_total: 'counter:node_id,channel_name,message_type',
      milvus_wal_scan_txn_total: 'counter:node_id,channel_name,state',
      milvus_wal_scanner_pending_queue_bytes: 'gauge:node_id,channel_name',
      milvus_wal_scanner_time_tick_buf_bytes: 'gauge:node_id,channel_name',
      milvus_wal_scanner_total: 'gauge:node_id,channel_name',
      milvus_wal_scanner_txn_buf_bytes: 'gauge:node_id,channel_name',
      milvus_wal_segment_assign_collection_total: 'gauge:node_id,channel_name',
      milvus_wal_segment_assign_flushed_segment_total: 'counter:node_id,channel_name,policy',
      milvus_wal_segment_assign_partition_total: 'gauge:node_id,channel_name',
      milvus_wal_segment_assign_segment_alloc_total: 'gauge:node_id,channel_name,state',
      milvus_wal_segment_assign_segment_bytes: 'histogram:node_id,channel_name',
      milvus_wal_sync_time_tick: 'gauge:node_id,channel_name,type',
      milvus_wal_sync_time_tick_total: 'counter:node_id,channel_name,type',
      milvus_wal_sync_total: 'counter:node_id,channel_name,type',
    },
  },
  '2.6.15': {
    // "enhance: Bump milvus & proto to v2.6.15 (#49068)", 2026-04-16
    commit: '148c06a44f018e8407ab22e6655173c602cafd41',
    metrics: {
      milvus_build_info: 'gauge:version,built,git_commit',
      milvus_cdc_last_replicated_time_tick: 'gauge:channel_name,target_channel_name',
      milvus_cdc_replicate_end_to_end_latency: 'histogram:channel_name,target_channel_name',
      milvus_cdc_replicated_bytes_total: 'counter:channel_name,target_channel_name,msg_type',
      milvus_cdc_replicated_messages_total: 'counter:channel_name,target_channel_name,msg_type',
      milvus_cdc_stream_rpc_connections: 'gauge:target_cluster,connection_status',
      milvus_cdc_stream_rpc_reconnect_times: 'counter:target_cluster',
      milvus_cgo_active_future_total: 'gauge:node_id',
      milvus_cgo_cgo_duration_seconds: 'histogram:node_id,name',
      milvus_cgo_cgo_queue_duration_seconds: 'histogram:node_id',
      milvus_cgo_running_cgo_call_total: 'gauge:node_id',
      milvus_datacoord_bulk_insert_vectors_count: 'counter:db_name,collection_id',
      milvus_datacoord_channel_checkpoint_unix_seconds: 'gauge:node_id,channel_name',
      milvus_datacoord_collection_num: 'gauge:',
      milvus_datacoord_compacted_segment_size: 'histogram:',
      milvus_datacoord_compaction_latency: 'histogram:is_vector_field,channel_name,compaction_type,compaction_stage',
      milvus_datacoord_compaction_load: 'gauge:',
      milvus_datacoord_compaction_task_num: 'gauge:node_id,compaction_type,status',
      milvus_datacoord_consume_datanode_tt_lag_ms: 'gauge:node_id,channel_name',
      milvus_datacoord_datanode_num: 'gauge:',
      milvus_datacoord_gc_file_scan_duration: 'histogram:node_id,segment_file_type',
      milvus_datacoord_gc_run_count: 'counter:node_id',
      milvus_datacoord_import_job_latency: 'histogram:import_stage',
      milvus_datacoord_import_jobs: 'gauge:import_state',
      milvus_datacoord_import_task_latency: 'histogram:import_stage',
      milvus_datacoord_import_tasks: 'gauge:task_type,import_state',
      milvus_datacoord_index_node_num: 'gauge:',
      milvus_datacoord_index_req_count: 'counter:status',
      milvus_datacoord_index_task_count: 'gauge:collection_id,index_task_status',
      milvus_datacoord_l0_delete_entries_num: 'gauge:db_name,collection_id',
      milvus_datacoord_segment_binlog_file_count: 'gauge:collection_id',
      milvus_datacoord_segment_compact_duration: 'histogram:',
      milvus_datacoord_segment_flush_duration: 'histogram:',
      milvus_datacoord_segment_num: 'gauge:segment_state,segment_level,segment_is_sorted,segment_storage_version',
      milvus_datacoord_segment_size_ratio: 'histogram:',
      milvus_datacoord_store_level0_segment_size: 'histogram:collection_id',
      milvus_datacoord_stored_binlog_size: 'gauge:db_name,collection_id,segment_state',
      milvus_datacoord_stored_index_files_size: 'gauge:db_name,collection_name,collection_id',
      milvus_datacoord_stored_rows_num: 'gauge:db_name,collection_id,collection_name,segment_state',
      milvus_datacoord_task_count: 'gauge:task_type,task_state',
      milvus_datacoord_task_execute_max_latency: 'histogram:task_type,status',
      milvus_datacoord_task_num_in_scheduler: 'gauge:task_type,task_state',
      milvus_datacoord_task_version: 'histogram:task_type',
      milvus_datacoord_watched_dml_chanel_num: 'gauge:node_id',
      milvus_datanode_autoflush_buffer_op_count: 'counter:node_id,status,segment_level',
      milvus_datanode_compaction_delete_count: 'counter:collection_id',
      milvus_datanode_compaction_latency: 'histogram:node_id,compaction_type',
      milvus_datanode_compaction_latency_in_queue: 'histogram:node_id',
      milvus_datanode_compaction_missing_delete_count: 'counter:collection_id',
      milvus_datanode_compaction_stage_latency: 'histogram:node_id,compaction_type,compaction_stage',
      milvus_datanode_consume_bytes_count: 'counter:node_id,msg_type',
      milvus_datanode_consume_msg_count: 'counter:node_id,msg_type,collection_id',
      milvus_datanode_consume_tt_lag_ms: 'gauge:node_id,msg_type,collection_id',
      milvus_datanode_fg_buffer_size: 'gauge:node_id,collection_id',
      milvus_datanode_flowgraph_num: 'gauge:node_id',
      milvus_datanode_flush_buffer_op_count: 'counter:node_id,status,segment_level',
      milvus_datanode_flush_req_count: 'counter:node_id,status',
      milvus_datanode_flushed_data_rows: 'counter:node_id,data_source',
      milvus_datanode_flushed_data_size: 'counter:node_id,data_source,segment_level',
      milvus_datanode_forward_delete_msg_time_taken_ms: 'histogram:node_id',
      milvus_datanode_msg_dispatcher_tt_lag_ms: 'gauge:node_id,channel_name',
      milvus_datanode_msg_rows_count: 'counter:node_id,msg_type',
      milvus_datanode_producer_num: 'gauge:node_id',
      milvus_datanode_save_latency: 'histogram:node_id,msg_type',
      milvus_datanode_slot: 'gauge:node_id,type',
      milvus_datanode_write_data_count: 'counter:node_id,data_source,data_type,collection_id',
      milvus_flushed_segment_file_num: 'histogram:segment_file_type',
      milvus_indexnode_build_index_latency: 'histogram:node_id',
      milvus_indexnode_decode_field_latency: 'histogram:node_id',
      milvus_indexnode_encode_index_latency: 'histogram:node_id',
      milvus_indexnode_index_task_count: 'counter:node_id,status',
      milvus_indexnode_index_task_latency_in_queue: 'histogram:node_id',
      milvus_indexnode_knowhere_build_index_latency: 'histogram:node_id',
      milvus_indexnode_load_field_latency: 'histogram:node_id',
      milvus_indexnode_save_index_latency: 'histogram:node_id',
      milvus_indexnode_task_build_json_stats_latency: 'histogram:node_id',
      milvus_lock_time_cost: 'gauge:lock_name,lock_source,lock_type,lock_op',
      milvus_logging_cgo_write_bytes: 'counter:',
      milvus_logging_cgo_write_total: 'counter:',
      milvus_logging_dropped_write_total: 'counter:',
      milvus_logging_io_failure_total: 'counter:',
      milvus_logging_pending_write_total: 'gauge:',
      milvus_logging_truncated_write_bytes: 'counter:',
      milvus_logging_truncated_write_total: 'counter:',
      milvus_logging_write_bytes: 'counter:',
      milvus_logging_write_total: 'counter:',
      milvus_meta_kv_size: 'histogram:meta_op_type',
      milvus_meta_op_count: 'counter:meta_op_type,status',
      milvus_meta_request_latency: 'histogram:meta_op_type',
      milvus_msg_queue_consumer_num: 'gauge:role_name,node_id',
      milvus_msgstream_op_count: 'counter:message_op_type,status',
      milvus_msgstream_request_latency: 'histogram:message_op_type',
      milvus_num_node: 'gauge:node_id,role_name',
      milvus_proxy_apply_pk_latency: 'histogram:node_id',
      milvus_proxy_apply_timestamp_latency: 'histogram:node_id',
      milvus_proxy_assign_segmentID_latency: 'histogram:node_id',
      milvus_proxy_cache_hit_count: 'counter:node_id,cache_name,cache_state',
      milvus_proxy_cache_update_latency: 'histogram:node_id,cache_name',
      milvus_proxy_collection_mutation_latency: 'histogram:node_id,msg_type,db_name,collection_name',
      milvus_proxy_collection_sq_latency: 'histogram:node_id,query_type,db_name,collection_name',
      milvus_proxy_delete_vectors_count: 'counter:node_id,db_name,collection_name',
      milvus_proxy_executing_total_nq: 'gauge:node_id',
      milvus_proxy_function_udf_call_latency: 'histogram:node_id,collection_name,function_type_name,function_provider,function_name',
      milvus_proxy_grpc_latency: 'histogram:node_id,function_name,status',
      milvus_proxy_hook_func_count: 'counter:function_name,full_method',
      milvus_proxy_insert_vectors_count: 'counter:node_id,db_name,collection_name',
      milvus_proxy_limiter_rate: 'gauge:node_id,collection_id,msg_type',
      milvus_proxy_max_insert_rate: 'gauge:node_id,scope',
      milvus_proxy_msgstream_obj_num: 'gauge:node_id,channel_name',
      milvus_proxy_mutation_latency: 'histogram:node_id,msg_type,db_name,collection_name',
      milvus_proxy_mutation_send_latency: 'histogram:node_id,msg_type',
      milvus_proxy_parse_expr_latency: 'histogram:node_id,function_name,status',
      milvus_proxy_queue_task_num: 'gauge:node_id,queue_type,task_state',
      milvus_proxy_rate_limit_req_count: 'counter:node_id,msg_type,status',
      milvus_proxy_recall_search_cnt: 'counter:node_id,query_type,db_name,collection_name',
      milvus_proxy_receive_bytes_count: 'counter:node_id,msg_type,db_name,collection_name',
      milvus_proxy_received_nq: 'counter:node_id,query_type,db_name,collection_name',
      milvus_proxy_report_value: 'counter:node_id,msg_type,db_name,username',
      milvus_proxy_req_count: 'counter:node_id,function_name,status,db_name,collection_name',
      milvus_proxy_req_in_queue_latency: 'histogram:node_id,function_name',
      milvus_proxy_req_latency: 'histogram:node_id,function_name',
      milvus_proxy_restful_api_receive_bytes_count: 'counter:node_id,path',
      milvus_proxy_restful_api_req_count: 'counter:node_id,path',
      milvus_proxy_restful_api_req_latency: 'histogram:node_id,path',
      milvus_proxy_restful_api_send_bytes_count: 'counter:node_id,path',
      milvus_proxy_retry_search_cnt: 'counter:node_id,query_type,db_name,collection_name',
      milvus_proxy_retry_search_result_insufficient_cnt: 'counter:node_id,query_type,db_name,collection_name',
      milvus_proxy_scanned_remote_mb: 'counter:node_id,msg_type,db_name,collection_name',
      milvus_proxy_scanned_total_mb: 'counter:node_id,msg_type,db_name,collection_name',
      milvus_proxy_search_sparse_num_non_zeros: 'histogram:node_id,collection_name,query_type,field_id',
      milvus_proxy_search_vectors_count: 'counter:node_id,db_name,collection_name',
      milvus_proxy_send_bytes_count: 'counter:node_id',
      milvus_proxy_slow_query_count: 'counter:node_id,msg_type',
      milvus_proxy_sq_decode_result_latency: 'histogram:node_id,query_type',
      milvus_proxy_sq_latency: 'histogram:node_id,query_type,db_name,collection_name',
      milvus_proxy_sq_reduce_result_latency: 'histogram:node_id,query_type',
      milvus_proxy_sq_wait_result_latency: 'histogram:node_id,query_type',
      milvus_proxy_sync_segment_request_length: 'histogram:node_id',
      milvus_proxy_tt_lag_ms: 'gauge:node_id,channel_name',
      milvus_proxy_upsert_vectors_count: 'counter:node_id,db_name,collection_name',
      milvus_proxy_user_rpc_count: 'counter:username',
      milvus_proxy_workload_score: 'gauge:node_id',
      milvus_querycoord_collection_num: 'gauge:',
      milvus_querycoord_current_target_checkpoint_unix_seconds: 'gauge:node_id,channel_name',
      milvus_querycoord_last_heartbeat_timestamp: 'gauge:node_id',
      milvus_querycoord_load_latency: 'histogram:',
      milvus_querycoord_load_req_count: 'counter:status',
      milvus_querycoord_partition_num: 'gauge:',
      milvus_querycoord_querynode_num: 'gauge:',
      milvus_querycoord_release_latency: 'histogram:',
      milvus_querycoord_release_req_count: 'counter:status',
      milvus_querycoord_replica_ro_node_total: 'gauge:',
      milvus_querycoord_resource_group_info: 'gauge:rg,node_id',
      milvus_querycoord_resource_group_replica_total: 'gauge:rg',
      milvus_querycoord_task_latency: 'histogram:collection_id,task_type,channel_name',
      milvus_querycoord_task_num: 'gauge:querycoord_task_type',
      milvus_querynode_apply_bf_latency: 'histogram:function_name,node_id',
      milvus_querynode_cgo_latency: 'histogram:node_id,cgo_name,cgo_type',
      milvus_querynode_collection_num: 'gauge:node_id',
      milvus_querynode_consume_bytes_counter: 'counter:node_id,msg_type',
      milvus_querynode_consume_msg_count: 'counter:node_id,msg_type,collection_id',
      milvus_querynode_consume_tt_lag_ms: 'gauge:node_id,msg_type,collection_id',
      milvus_querynode_delete_buffer_row_num: 'gauge:node_id,channel_name',
      milvus_querynode_delete_buffer_size: 'gauge:node_id,channel_name',
      milvus_querynode_delta_vchannel_num: 'gauge:node_id',
      milvus_querynode_disk_cache_evict_bytes: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_evict_duration: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_evict_global_duration: 'histogram:node_id',
      milvus_querynode_disk_cache_evict_total: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_load_bytes: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_load_duration: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_cache_load_global_duration: 'histogram:node_id',
      milvus_querynode_disk_cache_load_total: 'counter:node_id,db_name,rg',
      milvus_querynode_disk_used_size: 'gauge:node_id',
      milvus_querynode_dml_vchannel_num: 'gauge:node_id',
      milvus_querynode_entity_num: 'gauge:db_name,collection_name,node_id,collection_id,segment_state',
      milvus_querynode_entity_size: 'gauge:node_id,collection_id,segment_state',
      milvus_querynode_estimate_cpu_usage: 'gauge:node_id',
      milvus_querynode_execute_bytes_counter: 'counter:node_id,msg_type',
      milvus_querynode_flowgraph_num: 'gauge:node_id',
      milvus_querynode_forward_delete_latency: 'histogram:function_name,node_id',
      milvus_querynode_level_zero_size: 'gauge:node_id,collection_id,channel_name',
      milvus_querynode_load_index_latency: 'histogram:node_id',
      milvus_querynode_load_segment_concurrency: 'gauge:node_id,load_type',
      milvus_querynode_load_segment_latency: 'histogram:node_id',
      milvus_querynode_msg_dispatcher_tt_lag_ms: 'gauge:node_id,channel_name',
      milvus_querynode_partial_result_count: 'counter:node_id,query_type,collection_id',
      milvus_querynode_partition_num: 'gauge:node_id',
      milvus_querynode_process_insert_or_delete_latency: 'histogram:node_id,msg_type',
      milvus_querynode_read_evicted_count: 'counter:node_id',
      milvus_querynode_read_task_concurrency: 'gauge:node_id',
      milvus_querynode_read_task_ready_len: 'gauge:node_id',
      milvus_querynode_read_task_unsolved_len: 'gauge:node_id',
      milvus_querynode_search_fts_num_tokens: 'histogram:node_id,collection_id,field_id',
      milvus_querynode_search_group_nq: 'histogram:node_id',
      milvus_querynode_search_group_size: 'histogram:node_id',
      milvus_querynode_search_group_topk: 'histogram:node_id',
      milvus_querynode_search_hit_segment_num: 'histogram:node_id,collection_id,query_type',
      milvus_querynode_search_nq: 'histogram:node_id',
      milvus_querynode_search_topk: 'histogram:node_id',
      milvus_querynode_segment_access_duration: 'counter:node_id,db_name,rg,query_type',
      milvus_querynode_segment_access_global_duration: 'histogram:node_id,query_type',
      milvus_querynode_segment_access_total: 'counter:node_id,db_name,rg,query_type',
      milvus_querynode_segment_access_wait_cache_duration: 'counter:node_id,db_name,rg,query_type',
      milvus_querynode_segment_access_wait_cache_global_duration: 'histogram:node_id,query_type',
      milvus_querynode_segment_access_wait_cache_total: 'counter:node_id,db_name,rg,query_type',
      milvus_querynode_segment_filter_hit_segment_num: 'histogram:node_id,collection_id,query_type',
      milvus_querynode_segment_filter_skipped_segment_num: 'histogram:node_id,collection_id,query_type',
      milvus_querynode_segment_filter_total_segment_num: 'histogram:node_id,collection_id,query_type',
      milvus_querynode_segment_latency_per_vector: 'histogram:node_id,query_type,segment_state',
      milvus_querynode_segment_num: 'gauge:node_id,collection_id,segment_state,segment_level',
      milvus_querynode_segment_prune_bias: 'gauge:node_id,collection_id,segment_prune_label',
      milvus_querynode_segment_prune_latency: 'histogram:node_id,collection_id,segment_prune_label',
      milvus_querynode_segment_prune_ratio: 'gauge:node_id,collection_id,segment_prune_label',
      milvus_querynode_sq_core_latency: 'histogram:node_id,query_type',
      milvus_querynode_sq_queue_latency: 'histogram:node_id,query_type,db_name,rg',
      milvus_querynode_sq_queue_user_latency: 'histogram:node_id,query_type,username',
      milvus_querynode_sq_reduce_latency: 'histogram:node_id,query_type,reduce_level,reduce_type',
      milvus_querynode_sq_req_count: 'counter:node_id,query_type,status,scope,collection_id',
      milvus_querynode_sq_req_latency: 'histogram:node_id,query_type,scope',
      milvus_querynode_sq_segment_latency: 'histogram:node_id,query_type,segment_state',
      milvus_querynode_sq_wait_tsafe_latency: 'histogram:node_id,query_type',
      milvus_querynode_stopping_balance_channel_num: 'gauge:node_id',
      milvus_querynode_stopping_balance_node_num: 'gauge:',
      milvus_querynode_stopping_balance_segment_num: 'gauge:node_id',
      milvus_querynode_wait_processing_msg_count: 'gauge:node_id,msg_type',
      milvus_querynode_watch_dml_channel_latency: 'histogram:node_id',
      milvus_rootcoord_collection_num: 'gauge:db_name',
      milvus_rootcoord_credential_num: 'gauge:',
      milvus_rootcoord_database_num: 'gauge:',
      milvus_rootcoord_ddl_req_count: 'counter:function_name,status',
      milvus_rootcoord_ddl_req_latency: 'histogram:function_name',
      milvus_rootcoord_ddl_req_latency_in_queue: 'histogram:function_name',
      milvus_rootcoord_disk_quota: 'gauge:node_id,scope',
      milvus_rootcoord_dml_channel_num: 'gauge:',
      milvus_rootcoord_entity_num: 'gauge:db_name,collection_name,status',
      milvus_rootcoord_force_deny_writing_counter: 'counter:',
      milvus_rootcoord_id_alloc_count: 'counter:',
      milvus_rootcoord_indexed_entity_num: 'gauge:db_name,collection_name,index_name,is_vector_index',
      milvus_rootcoord_msgstream_obj_num: 'gauge:',
      milvus_rootcoord_num_of_privilege_groups: 'gauge:',
      milvus_rootcoord_num_of_roles: 'gauge:',
      milvus_rootcoord_partition_num: 'gauge:',
      milvus_rootcoord_produce_tt_lag_ms: 'gauge:channel_name',
      milvus_rootcoord_proxy_num: 'gauge:',
      milvus_rootcoord_qn_mem_high_water_level: 'gauge:',
      milvus_rootcoord_quota_states: 'gauge:quota_states,name',
      milvus_rootcoord_rate_limit_ratio: 'gauge:collection_id',
      milvus_rootcoord_sync_timetick_latency: 'histogram:',
      milvus_rootcoord_time_tick_delay: 'gauge:role_name,node_id',
      milvus_rootcoord_timestamp: 'gauge:',
      milvus_rootcoord_timestamp_saved: 'gauge:',
      milvus_runtime_info: 'gauge:mq,meta',
      milvus_storage_kv_size: 'histogram:persistent_data_op_type',
      milvus_storage_op_count: 'counter:persistent_data_op_type,status',
      milvus_storage_request_latency: 'histogram:persistent_data_op_type',
      milvus_streaming_consume_bytes: 'histogram:node_id,channel_name',
      milvus_streaming_consumer_total: 'gauge:node_id,channel_name,access_model',
      milvus_streaming_produce_bytes: 'counter:node_id,channel_name,access_model,status',
      milvus_streaming_produce_success_bytes: 'histogram:node_id,channel_name,access_model',
      milvus_streaming_produce_success_duration_seconds: 'histogram:node_id,channel_name,access_model',
      milvus_streaming_produce_total: 'counter:node_id,channel_name,access_model,status',
      milvus_streaming_producer_total: 'gauge:node_id,channel_name,access_model',
      milvus_streaming_resuming_consumer_total: 'gauge:node_id,channel_name,status',
      milvus_streaming_resuming_producer_total: 'gauge:node_id,channel_name,status',
      milvus_streamingcoord_assignment_info: 'gauge:node_id',
      milvus_streamingcoord_assignment_listener_total: 'gauge:node_id',
      milvus_streamingcoord_broadcaster_task_ack_callback_duration_seconds: 'histogram:node_id,message_type',
      milvus_streamingcoord_broadcaster_task_acquire_lock_duration_seconds: 'histogram:node_id,rk_lock',
      milvus_streamingcoord_broadcaster_task_broadcast_duration_seconds: 'histogram:node_id,message_type',
      milvus_streamingcoord_broadcaster_task_execution_duration_seconds: 'histogram:node_id,message_type',
      milvus_streamingcoord_broadcaster_task_total: 'gauge:node_id,message_type,state',
      milvus_streamingcoord_pchannel_info: 'gauge:node_id,channel_name,term,streaming_node,state',
      milvus_streamingcoord_vchannel_total: 'gauge:node_id,channel_name,streaming_node',
      milvus_streamingnode_consume_bytes: 'histogram:node_id,channel_name',
      milvus_streamingnode_consume_inflight_total: 'gauge:node_id,channel_name',
      milvus_streamingnode_consumer_total: 'gauge:node_id,channel_name',
      milvus_streamingnode_produce_inflight_total: 'gauge:node_id,channel_name',
      milvus_streamingnode_producer_total: 'gauge:node_id,channel_name',
      milvus_thread_num: 'gauge:',
      milvus_wal_acknowledge_time_tick_total: 'counter:node_id,channel_name,type',
      milvus_wal_allocate_time_tick_duration_seconds: 'histogram:node_id,channel_name',
      milvus_wal_allocate_time_tick_total: 'counter:node_id,channel_name,status',
      milvus_wal_append_message_bytes: 'histogram:node_id,channel_name,status',
      milvus_wal_append_message_duration_seconds: 'histogram:node_id,channel_name,status',
      milvus_wal_append_message_total: 'counter:node_id,channel_name,message_type,status',
      milvus_wal_delegator_empty_time_tick_filtered_total: 'counter:node_id,channel_name',
      milvus_wal_delegator_tsafe_time_tick_unfiltered_total: 'counter:node_id,channel_name',
      milvus_wal_delete_rows_total: 'gauge:node_id,channel_name',
      milvus_wal_flusher_empty_time_tick_filtered_total: 'counter:node_id,channel_name',
      milvus_wal_flusher_info: 'gauge:node_id,channel_name,term,state',
      milvus_wal_flusher_time_tick: 'gauge:node_id,channel_name,term',
      milvus_wal_growing_segment_bytes: 'gauge:node_id,channel_name,lv',
      milvus_wal_growing_segment_hwm_bytes: 'gauge:node_id',
      milvus_wal_growing_segment_lwm_bytes: 'gauge:node_id',
      milvus_wal_growing_segment_rows_total: 'gauge:node_id,channel_name,lv',
      milvus_wal_impls_append_message_duration_seconds: 'histogram:node_id,channel_name,status',
      milvus_wal_impls_append_message_retry_total: 'counter:node_id,channel_name',
      milvus_wal_inflight_txn: 'gauge:node_id,channel_name',
      milvus_wal_info: 'gauge:node_id,channel_name,term,wal_name',
      milvus_wal_insert_bytes: 'gauge:node_id,channel_name',
      milvus_wal_insert_rows_total: 'gauge:node_id,channel_name',
      milvus_wal_interceptor_after_append_duration_seconds: 'histogram:node_id,channel_name,interceptor_name',
      milvus_wal_interceptor_before_append_duration_seconds: 'histogram:node_id,channel_name,interceptor_name',
      milvus_wal_last_allocated_time_tick: 'gauge:node_id,channel_name',
      milvus_wal_last_confirmed_time_tick: 'gauge:node_id,channel_name',
      milvus_wal_recovery_in_mem_time_tick: 'gauge:node_id,channel_name,term',
      milvus_wal_recovery_inconsistent_event_total: 'counter:node_id,channel_name,term',
      milvus_wal_recovery_info: 'gauge:node_id,channel_name,term,state',
      milvus_wal_recovery_is_on_persisting: 'gauge:node_id,channel_name,term',
      milvus_wal_recovery_persisted_time_tick: 'gauge:node_id,channel_name,term',
      milvus_wal_scan_message_bytes: 'histogram:node_id,channel_name,scanner_model',
      milvus_wal_scan_message_total: 'counter:node_id,channel_name,message_type,scanner_model',
      milvus_wal_scan_pass_message_bytes: 'histogram:node_id,channel_name,scanner_model',
      milvus_wal_scan_pass_message_total: 'counter:node_id,channel_name,message_type,scanner_model',
      milvus_wal_scan_time_tick_violation_message_total: 'counter:node_id,channel_name,message_type,scanner_model',
      milvus_wal_scan_txn_total: 'counter:node_id,channel_name,state',
      milvus_wal_scanner_pause_consumption: 'gauge:node_id,channel_name',
      milvus_wal_scanner_pending_queue_bytes: 'gauge:node_id,channel_name',
      milvus_wal_scanner_time_tick_buf_bytes: 'gauge:node_id,channel_name',
      milvus_wal_scanner_total: 'gauge:node_id,channel_name,scanner_model',
      milvus_wal_scanner_txn_buf_bytes: 'gauge:node_id,channel_name',
      milvus_wal_segment_assign_collection_total: 'gauge:node_id,channel_name',
      milvus_wal_segment_assign_flushed_segment_total: 'counter:node_id,channel_name,policy',
      milvus_wal_segment_assign_partition_total: 'gauge:node_id,channel_name',
      milvus_wal_segment_assign_segment_alloc_total: 'gauge:node_id,channel_name',
      milvus_wal_segment_assign_segment_bytes: 'histogram:node_id,channel_name',
      milvus_wal_segment_assign_segment_rows_total: 'histogram:node_id,channel_name',
      milvus_wal_sync_time_tick: 'gauge:node_id,channel_name,type',
      milvus_wal_sync_time_tick_total: 'counter:node_id,channel_name,type',
      milvus_wal_sync_total: 'counter:node_id,channel_name,type',
      milvus_wal_txn_duration_seconds: 'histogram:node_id,channel_name,state',
      milvus_wal_write_ahead_buffer_capacity_bytes: 'gauge:node_id,channel_name',
      milvus_wal_write_ahead_buffer_earliest_time_tick: 'gauge:node_id,channel_name',
      milvus_wal_write_ahead_buffer_entry_total: 'gauge:node_id,channel_name',
      milvus_wal_write_ahead_buffer_latest_time_tick: 'gauge:node_id,channel_name',
      milvus_wal_write_ahead_buffer_size_bytes: 'gauge:node_id,channel_name',
    },
  },
};

/** The releases a catalog exists for. */
export const CATALOGED_MILVUS_VERSIONS: readonly string[] = Object.keys(RAW).sort();

const cache = new Map<string, MetricCatalog>();
const minorOf = (v: string) => v.split('.').slice(0, 2).join('.');

/**
 * The metric catalog of a Milvus release: the exact release when catalogued, else the newest
 * catalogued patch of the same minor (`exact: false`). Throws for a minor with no catalog.
 */
export function milvusMetricCatalog(milvusVersion: string): MetricCatalog {
  const version = RAW[milvusVersion] !== undefined ? milvusVersion : CATALOGED_MILVUS_VERSIONS.filter((v) => minorOf(v) === minorOf(milvusVersion)).at(-1);
  if (version === undefined) {
    throw new Error(`no Milvus metric catalog for ${milvusVersion} (catalogued: ${CATALOGED_MILVUS_VERSIONS.join(', ')})`);
  }
  const key = `${milvusVersion}=>${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const raw = RAW[version]!;
  const deprecated = DEPRECATED[version] ?? {};
  const metrics = new Map<string, CatalogMetric>();
  for (const [name, typeAndLabels] of Object.entries(raw.metrics)) {
    const [type, labels = ''] = typeAndLabels.split(':') as [MetricType, string?];
    const reason = deprecated[name];
    metrics.set(name, { name, type, labels: labels ? labels.split(',') : [], ...(reason ? { deprecated: reason } : {}) });
  }
  const catalog: MetricCatalog = { version, commit: raw.commit, exact: version === milvusVersion, metrics };
  cache.set(key, catalog);
  return catalog;
}

/**
 * Metrics of the exporters kube-prometheus-stack installs that queries may use (not Milvus', so not
 * in the catalog), with their label names. Sources: kube-state-metrics docs/metrics/ (workload/pod-
 * metrics.md, workload/cronjob-metrics.md (internal/store/cronjob.go at v2.17.0, the chart's), cluster/node-metrics.md, workload/horizontalpodautoscaler-
 * metrics.md; `kube_node_labels` carries `label_<name>` for the labels allowed by
 * --metric-labels-allowlist); cAdvisor as served by the kubelet's /metrics/cadvisor (docs/storage/
 * prometheus.md of google/cadvisor); etcd server metrics (etcd-io/etcd server/etcdserver/metrics.go).
 * Keep this list small: add a metric only with a source.
 */
export const EXPORTER_METRICS: Readonly<Record<string, { readonly source: string; readonly labels: readonly string[] | '*' }>> = {
  container_memory_working_set_bytes: { source: 'cAdvisor (kubelet)', labels: ['container', 'pod', 'image', 'name', 'id'] },
  container_cpu_usage_seconds_total: { source: 'cAdvisor (kubelet)', labels: ['container', 'pod', 'image', 'name', 'id', 'cpu'] },
  kube_pod_container_resource_limits: { source: 'kube-state-metrics', labels: ['pod', 'container', 'node', 'resource', 'unit', 'uid'] },
  kube_pod_container_status_restarts_total: { source: 'kube-state-metrics', labels: ['pod', 'container', 'uid'] },
  kube_pod_status_phase: { source: 'kube-state-metrics', labels: ['pod', 'phase', 'uid'] },
  kube_horizontalpodautoscaler_status_current_replicas: { source: 'kube-state-metrics', labels: ['horizontalpodautoscaler'] },
  kube_horizontalpodautoscaler_status_desired_replicas: { source: 'kube-state-metrics', labels: ['horizontalpodautoscaler'] },
  kube_horizontalpodautoscaler_spec_max_replicas: { source: 'kube-state-metrics', labels: ['horizontalpodautoscaler'] },
  kube_node_labels: { source: 'kube-state-metrics (label_* per --metric-labels-allowlist)', labels: '*' },
  kube_node_info: { source: 'kube-state-metrics', labels: '*' },
  kube_cronjob_status_last_schedule_time: { source: 'kube-state-metrics', labels: ['cronjob'] },
  kube_cronjob_status_last_successful_time: { source: 'kube-state-metrics', labels: ['cronjob'] },
  etcd_server_has_leader: { source: 'etcd server', labels: [] },
  etcd_mvcc_db_total_size_in_bytes: { source: 'etcd server (server/mvcc/metrics.go, v3.5.21)', labels: [] },
  etcd_server_quota_backend_bytes: { source: 'etcd server (server/etcdserver/metrics.go, v3.5.21)', labels: [] },
};

/** Labels Prometheus attaches on scrape (PodMonitor/ServiceMonitor target labels) and histogram/summary labels. */
const TARGET_LABELS = new Set(['namespace', 'pod', 'container', 'job', 'instance', 'endpoint', 'service', 'node', '__name__']);

const PROMQL_WORDS = new Set([
  'sum',
  'avg',
  'max',
  'min',
  'count',
  'rate',
  'irate',
  'increase',
  'delta',
  'deriv',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'histogram_quantile',
  'le',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'time',
  'vector',
  'clamp_min',
  'clamp_max',
  'max_over_time',
  'min_over_time',
  'avg_over_time',
  'label_replace',
  'topk',
  'absent',
  'abs',
  'scalar',
  'sort',
  'stddev',
  'quantile',
  'count_over_time',
  'sum_over_time',
  'changes',
  'resets',
  'predict_linear',
]);

/** One vector selector of an expression: the metric name and the label names its matchers use. */
export interface SelectorUse {
  readonly name: string;
  readonly labels: readonly string[];
}

/**
 * The metric selectors of a PromQL expression (adapter templates `<<.X>>` removed first): every
 * identifier that is not a keyword, function, grouping label, duration or number, with the label
 * names of the matchers that follow it.
 */
export function selectorsIn(expr: string): SelectorUse[] {
  let e = expr.replace(/<<[^>]*>>/g, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, '[]');
  // Matchers with no metric name before them (`{__name__=...}`, a template's `<<.Series>>` removed) select nothing nameable.
  e = e.replace(/(^|[^\w:\s])(\s*)\{[^}]*\}/g, '$1$2');
  const out: SelectorUse[] = [];
  const re = /\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b\s*(\{([^}]*)\})?/g;
  for (let m = re.exec(e); m !== null; m = re.exec(e)) {
    const name = m[1]!;
    const after = e.slice(re.lastIndex).trimStart();
    if (PROMQL_WORDS.has(name) && !m[2]) continue;
    if (!m[2] && after.startsWith('(')) continue; // a function call
    if (/^[0-9]/.test(name) || /^(e|inf|nan)$/i.test(name) || /^[0-9]*[smhdwy]$/.test(name)) continue;
    const labels = (m[3] ?? '')
      .split(',')
      .map((x) =>
        x
          .trim()
          .split(/\s*(=~|!~|!=|=)/)[0]!
          .trim(),
      )
      .filter(Boolean);
    out.push({ name, labels });
  }
  return out;
}

/** One problem with a metric use. */
export interface MetricProblem {
  readonly metric: string;
  readonly problem: string;
}

/**
 * What is wrong with the metric selectors of some expressions for a Milvus release: a `milvus_*`
 * name (or histogram `_bucket`/`_sum`/`_count` series) missing from the release's catalog or
 * deprecated there, a label it does not carry, or a non-Milvus name not in `EXPORTER_METRICS`.
 */
export function metricProblems(milvusVersion: string, exprs: readonly string[]): MetricProblem[] {
  const catalog = milvusMetricCatalog(milvusVersion);
  const problems = new Map<string, MetricProblem>();
  const add = (metric: string, problem: string) => problems.set(`${metric} ${problem}`, { metric, problem });
  for (const expr of exprs) {
    for (const { name, labels } of selectorsIn(expr)) {
      const exporter = EXPORTER_METRICS[name];
      if (exporter) {
        if (exporter.labels !== '*') for (const l of labels) if (!TARGET_LABELS.has(l) && !exporter.labels.includes(l)) add(name, `has no label ${l}`);
        continue;
      }
      if (!name.startsWith('milvus_')) {
        add(name, 'is neither a Milvus metric nor in EXPORTER_METRICS');
        continue;
      }
      const base = catalog.metrics.get(name) ?? catalog.metrics.get(name.replace(/_(bucket|sum|count)$/, ''));
      if (!base || (base.name !== name && base.type !== 'histogram')) {
        add(name, `is not exported by Milvus ${catalog.version}`);
        continue;
      }
      if (base.deprecated) add(name, `is deprecated in Milvus ${catalog.version}: ${base.deprecated}`);
      const allowed = new Set([...base.labels, ...(name.endsWith('_bucket') ? ['le'] : [])]);
      for (const l of labels) if (!TARGET_LABELS.has(l) && !allowed.has(l)) add(name, `has no label ${l} in Milvus ${catalog.version}`);
    }
  }
  return [...problems.values()].sort((a, b) => (a.metric === b.metric ? (a.problem < b.problem ? -1 : 1) : a.metric < b.metric ? -1 : 1));
}

/** Throws, listing every problem, unless every metric the expressions use is exported (and not deprecated) by the release. */
export function assertKnownMetrics(milvusVersion: string, exprs: readonly string[]): void {
  const problems = metricProblems(milvusVersion, exprs);
  if (problems.length > 0) {
    throw new Error(`unknown or deprecated metrics for Milvus ${milvusVersion}:\n${problems.map((p) => `  ${p.metric} ${p.problem}`).join('\n')}`);
  }
}
