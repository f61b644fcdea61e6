import { describe, expect, it } from 'vitest';
import { alertGroups, type AlertRule } from '../src/index.js';
import { promtool } from './promtool.js';

const groups = alertGroups({ namespace: 'milvus', searchLatencySloMs: 200, queryNodeMemoryAlertRatio: 0.85, etcdSnapshotIntervalSeconds: 3600 });
const rules = new Map<string, AlertRule>(groups.flatMap((g) => g.rules.map((r) => [r.alert, r] as const)));
const NS = 'namespace="milvus"';

/** What promtool should see for a firing alert: its labels and its annotations with $labels expanded. */
function firing(alert: string, labels: Record<string, string> = {}) {
  const r = rules.get(alert)!;
  const expand = (s: string) => s.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k] ?? '');
  return {
    exp_labels: { ...labels, severity: r.labels.severity },
    exp_annotations: Object.fromEntries(Object.entries(r.annotations).map(([k, v]) => [k, expand(v)])),
  };
}

interface Scenario {
  alert: string;
  at: string;
  /** Series that make the alert fire, and the labels it fires with. */
  bad: { series: [string, string][]; labels?: Record<string, string> };
  /** Other series that make it fire, with the same labels (at `at` unless they say). */
  alsoBad?: { series: [string, string][]; at?: string }[];
  /** Healthy series under which it must stay silent. */
  good: [string, string][];
}

/** The etcd snapshot CronJob's last schedule and last success times (absent when `success` is undefined). */
const cronJob = (scheduled: string, success?: string): [string, string][] => [
  [`kube_cronjob_status_last_schedule_time{${NS},cronjob="milvus-etcd-backup"}`, scheduled],
  ...(success === undefined ? [] : [[`kube_cronjob_status_last_successful_time{${NS},cronjob="milvus-etcd-backup"}`, success] as [string, string]]),
];
const bucket = (le: string) => `milvus_proxy_sq_latency_bucket{${NS},query_type="search",le="${le}"}`;
const SCENARIOS: Scenario[] = [
  {
    alert: 'MilvusSearchLatencyHigh',
    at: '15m',
    bad: {
      series: [
        [bucket('100'), '0x30'],
        [bucket('200'), '0x30'],
        [bucket('500'), '0+100x30'],
        [bucket('+Inf'), '0+100x30'],
      ],
    },
    good: [
      [bucket('100'), '0+100x30'],
      [bucket('200'), '0+100x30'],
      [bucket('500'), '0+100x30'],
      [bucket('+Inf'), '0+100x30'],
    ],
  },
  {
    alert: 'MilvusQueryNodeMemoryNearLimit',
    at: '10m',
    bad: {
      series: [
        [`container_memory_working_set_bytes{${NS},container="querynode",pod="milvus-querynode-0"}`, '900x20'],
        [`kube_pod_container_resource_limits{${NS},container="querynode",pod="milvus-querynode-0",resource="memory"}`, '1000x20'],
      ],
      labels: { pod: 'milvus-querynode-0' },
    },
    good: [
      [`container_memory_working_set_bytes{${NS},container="querynode",pod="milvus-querynode-0"}`, '500x20'],
      [`kube_pod_container_resource_limits{${NS},container="querynode",pod="milvus-querynode-0",resource="memory"}`, '1000x20'],
    ],
  },
  {
    alert: 'MilvusQueryNodesAtMaxReplicas',
    at: '20m',
    bad: {
      series: [
        [`kube_horizontalpodautoscaler_status_current_replicas{${NS},horizontalpodautoscaler="milvus-querynode"}`, '20x30'],
        [`kube_horizontalpodautoscaler_spec_max_replicas{${NS},horizontalpodautoscaler="milvus-querynode"}`, '20x30'],
      ],
      labels: { namespace: 'milvus', horizontalpodautoscaler: 'milvus-querynode' },
    },
    good: [
      [`kube_horizontalpodautoscaler_status_current_replicas{${NS},horizontalpodautoscaler="milvus-querynode"}`, '12x30'],
      [`kube_horizontalpodautoscaler_spec_max_replicas{${NS},horizontalpodautoscaler="milvus-querynode"}`, '20x30'],
    ],
  },
  {
    alert: 'MilvusPodRestarting',
    at: '30m',
    bad: {
      series: [[`kube_pod_container_status_restarts_total{${NS},pod="milvus-proxy-0",container="proxy"}`, '0+1x40']],
      labels: { namespace: 'milvus', pod: 'milvus-proxy-0', container: 'proxy' },
    },
    good: [[`kube_pod_container_status_restarts_total{${NS},pod="milvus-proxy-0",container="proxy"}`, '2x40']],
  },
  {
    alert: 'MilvusFlushFailures',
    at: '10m',
    bad: { series: [[`milvus_datanode_flush_buffer_op_count{${NS},status="fail",segment_level="L1"}`, '0+1x20']] },
    good: [
      [`milvus_datanode_flush_buffer_op_count{${NS},status="fail",segment_level="L1"}`, '0x20'],
      [`milvus_datanode_flush_buffer_op_count{${NS},status="success",segment_level="L1"}`, '0+10x20'],
    ],
  },
  {
    alert: 'MilvusCompactionBacklogGrowing',
    at: '150m',
    bad: { series: [[`milvus_datacoord_compaction_task_num{${NS},compaction_type="MixCompaction",status="pending"}`, '0+1x160']] },
    // A large but draining (or steady) queue, and many finished tasks, stay silent.
    good: [
      [`milvus_datacoord_compaction_task_num{${NS},compaction_type="MixCompaction",status="pending"}`, '200-1x160'],
      [`milvus_datacoord_compaction_task_num{${NS},compaction_type="MixCompaction",status="done"}`, '0+10x160'],
    ],
  },
  {
    alert: 'MilvusIndexBacklogGrowing',
    at: '70m',
    bad: {
      series: [
        [`milvus_datacoord_task_count{${NS},task_type="JobTypeIndexJob",task_state="JobStateInit"}`, '0+1x80'],
        [`milvus_datacoord_task_count{${NS},task_type="JobTypeIndexJob",task_state="JobStateFinished"}`, '1000x80'],
      ],
    },
    good: [
      [`milvus_datacoord_task_count{${NS},task_type="JobTypeIndexJob",task_state="JobStateInit"}`, '50x80'],
      // Stats jobs and finished index jobs are not the index backlog.
      [`milvus_datacoord_task_count{${NS},task_type="JobTypeStatsJob",task_state="JobStateInit"}`, '0+1x80'],
      [`milvus_datacoord_task_count{${NS},task_type="JobTypeIndexJob",task_state="JobStateFinished"}`, '0+10x80'],
    ],
  },
  {
    alert: 'MilvusS3Errors',
    at: '20m',
    bad: {
      series: [
        [`milvus_storage_op_count{${NS},status="total"}`, '0+100x30'],
        [`milvus_storage_op_count{${NS},status="fail"}`, '0+5x30'],
      ],
    },
    good: [
      [`milvus_storage_op_count{${NS},status="total"}`, '0+100x30'],
      [`milvus_storage_op_count{${NS},status="fail"}`, '0x30'],
    ],
  },
  {
    alert: 'EtcdNoLeader',
    at: '5m',
    bad: { series: [[`etcd_server_has_leader{${NS},pod="milvus-etcd-1"}`, '0x10']], labels: { pod: 'milvus-etcd-1' } },
    good: [[`etcd_server_has_leader{${NS},pod="milvus-etcd-1"}`, '1x10']],
  },
  {
    alert: 'EtcdDatabaseNearQuota',
    at: '15m',
    bad: {
      series: [
        [`etcd_mvcc_db_total_size_in_bytes{${NS},pod="milvus-etcd-2"}`, '3600000000x20'],
        [`etcd_server_quota_backend_bytes{${NS},pod="milvus-etcd-2"}`, '4294967296x20'],
      ],
      labels: { pod: 'milvus-etcd-2' },
    },
    good: [
      [`etcd_mvcc_db_total_size_in_bytes{${NS},pod="milvus-etcd-2"}`, '2000000000x20'],
      [`etcd_server_quota_backend_bytes{${NS},pod="milvus-etcd-2"}`, '4294967296x20'],
    ],
  },
  {
    alert: 'EtcdSnapshotFailed',
    at: '40m',
    // The run scheduled at 7200 s failed; the one before succeeded (35m: the run's deadline and 5m).
    bad: { series: cronJob('7200x45', '3700x45'), labels: { namespace: 'milvus', cronjob: 'milvus-etcd-backup' } },
    // No snapshot has ever succeeded; no run scheduled for hours after the last success (a
    // suspended CronJob): 3600 + 600 + 1800 s since it, at 0 s, plus the rule's 35 minutes.
    alsoBad: [{ series: cronJob('7200x45') }, { series: cronJob('0x200', '0x200'), at: '140m' }],
    // A run in progress for 10 minutes, then its success: silent (also before the deadline).
    good: cronJob('7200x45', '3700x10 7500x35'),
  },
];

const series = (s: [string, string][]) => s.map(([name, values]) => ({ series: name, values }));

describe('alert rules', () => {
  it('cover every condition the operators must know about', () => {
    expect([...rules.keys()].sort()).toEqual(SCENARIOS.map((s) => s.alert).sort());
    for (const r of rules.values()) {
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(r.annotations.runbook_url).toMatch(/README\.md#runbook-/);
    }
  });

  it('pass promtool check rules', async () => {
    const r = await promtool(['check', 'rules', 'rules.yaml'], { 'rules.yaml': { groups } });
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('fire on their condition and stay silent on healthy series (promtool test rules)', async () => {
    const tests = SCENARIOS.flatMap((s) => [
      {
        name: `${s.alert} fires`,
        interval: '1m',
        input_series: series(s.bad.series),
        alert_rule_test: [{ eval_time: s.at, alertname: s.alert, exp_alerts: [firing(s.alert, s.bad.labels)] }],
      },
      ...(s.alsoBad ?? []).map((bad, i) => ({
        name: `${s.alert} fires (${i + 2})`,
        interval: '1m',
        input_series: series(bad.series),
        alert_rule_test: [{ eval_time: bad.at ?? s.at, alertname: s.alert, exp_alerts: [firing(s.alert, s.bad.labels)] }],
      })),
      {
        name: `${s.alert} stays silent`,
        interval: '1m',
        input_series: series(s.good),
        alert_rule_test: [{ eval_time: s.at, alertname: s.alert, exp_alerts: [] }],
      },
    ]);
    const r = await promtool(['test', 'rules', 'tests.yaml'], {
      'rules.yaml': { groups },
      'tests.yaml': { rule_files: ['rules.yaml'], evaluation_interval: '1m', tests },
    });
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});
