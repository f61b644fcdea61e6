// Grafana dashboards generated from typed TypeScript, shipped as ConfigMaps the Grafana sidecar
// loads. Every query names metrics through metrics.ts, so a renamed metric breaks the build or a test.

import { kubeObject, standardLabels } from '@milvus-gitops/core';
import { pendingTaskMatchers } from '@milvus-gitops/milvus';
import { Construct } from 'constructs';
import { METRICS } from './metrics.js';
import { DASHBOARD_LABEL } from './stack.js';

/** A Prometheus query of a panel. */
export interface Target {
  refId: string;
  expr: string;
  legendFormat: string;
}

/** A Grafana panel (the subset this repository uses). */
export interface Panel {
  id: number;
  type: 'timeseries' | 'stat';
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: 'prometheus'; uid: string };
  fieldConfig: { defaults: { unit: string }; overrides: [] };
  targets: Target[];
}

/** A Grafana dashboard model. */
export interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  schemaVersion: number;
  editable: boolean;
  time: { from: string; to: string };
  refresh: string;
  templating: { list: { name: string; type: 'datasource'; query: 'prometheus'; label: string }[] };
  panels: Panel[];
}

/** `milvus_datacoord_task_count` matchers of index builds waiting or running (indexpb.JobState names). */
const PENDING_INDEX_BUILDS = pendingTaskMatchers(['JobTypeIndexJob']);

type PanelSpec = { title: string; unit: string; queries: [expr: string, legend: string][]; type?: 'timeseries' | 'stat' };

/** Lays panels out two per row and numbers them. */
function dashboard(uid: string, title: string, panels: PanelSpec[]): Dashboard {
  return {
    uid,
    title,
    tags: ['milvus', 'milvus-gitops'],
    schemaVersion: 39,
    editable: false,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' }] },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: p.type ?? 'timeseries',
      title: p.title,
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      datasource: { type: 'prometheus', uid: '${datasource}' },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.queries.map(([expr, legendFormat], j) => ({ refId: String.fromCharCode(65 + j), expr, legendFormat })),
    })),
  };
}

/** Input of dashboards: whose Milvus the queries select and how the dashboards are named. */
export interface DashboardsProps {
  /**
   * The cluster's name: the prefix of every uid and the suffix of every title.
   * @default - required, no default
   */
  readonly instance: string;
  /**
   * Namespace of the Milvus the queries select (`spec.milvus.namespace`).
   * @default - required, no default
   */
  readonly namespace: string;
}

/** The four dashboards of a cluster. */
export function dashboards(props: DashboardsProps): Dashboard[] {
  const m = METRICS;
  const ns = `namespace="${props.namespace}"`;
  const search = `${ns},query_type="search"`;
  const c = props.instance;
  return [
    dashboard(`${c}-milvus-query`, `Milvus query performance (${c})`, [
      {
        title: 'Search latency',
        unit: 'ms',
        queries: [0.5, 0.9, 0.99].map(
          (q) => [`histogram_quantile(${q}, sum by (le) (rate(${m.proxySearchLatency}_bucket{${search}}[2m])))`, `p${q * 100}`] as [string, string],
        ),
      },
      { title: 'Searches per second', unit: 'reqps', queries: [[`sum(rate(${m.proxySearchLatency}_count{${search}}[2m]))`, 'searches/s']] },
      { title: 'Query queue depth per query node', unit: 'short', queries: [[`sum by (pod) (${m.queryNodeReadTaskReadyLen}{${ns}})`, '{{pod}}']] },
      {
        title: 'Time in the query-node queue (p99)',
        unit: 'ms',
        queries: [[`histogram_quantile(0.99, sum by (le) (rate(${m.queryNodeQueueLatency}_bucket{${ns}}[2m])))`, 'p99']],
      },
      // No cache hit rate: the query node counts waits for its cache and disk-cache loads only for
      // lazily loaded segments (queryNode.lazyload.enabled, off by default and here), so it would read 100%.
    ]),
    dashboard(`${c}-milvus-cluster`, `Milvus cluster overview (${c})`, [
      {
        title: 'Nodes by pool and capacity type',
        unit: 'short',
        queries: [
          [
            `count by (label_karpenter_sh_nodepool, label_karpenter_sh_capacity_type) (${m.nodeLabels})`,
            '{{label_karpenter_sh_nodepool}} {{label_karpenter_sh_capacity_type}}',
          ],
        ],
      },
      { title: 'Milvus pods by phase', unit: 'short', queries: [[`sum by (phase) (${m.podStatusPhase}{${ns}})`, '{{phase}}']] },
      { title: 'CPU by container', unit: 'cores', queries: [[`sum by (container) (rate(${m.containerCpuUsage}{${ns},container!=""}[5m]))`, '{{container}}']] },
      {
        title: 'Memory working set by container',
        unit: 'bytes',
        queries: [[`sum by (container) (${m.containerMemoryWorkingSet}{${ns},container!=""})`, '{{container}}']],
      },
    ]),
    dashboard(`${c}-milvus-storage`, `Milvus storage health (${c})`, [
      // The gauge counts growing segments too, and in 2.6 the delegators' L0 (delete) segments.
      {
        title: 'Sealed segments loaded',
        unit: 'short',
        queries: [[`sum(${m.queryNodeSegmentNum}{${ns},segment_state="Sealed",segment_level!="L0"})`, 'segments']],
      },
      { title: 'Entities loaded', unit: 'short', queries: [[`sum(${m.queryNodeEntityNum}{${ns}})`, 'entities']] },
      {
        title: 'Buffer syncs to S3 per second by status',
        unit: 'ops',
        queries: [[`sum by (status) (rate(${m.dataNodeFlushBufferOpCount}{${ns}}[5m]))`, '{{status}}']],
      },
      {
        title: 'Compaction tasks by status',
        unit: 'short',
        queries: [[`sum by (status) (${m.compactionTaskNum}{${ns},status=~"pending|executing"})`, '{{status}}']],
      },
      {
        title: 'S3 operations per second by type and status',
        unit: 'ops',
        queries: [[`sum by (persistent_data_op_type, status) (rate(${m.storageOpCount}{${ns}}[5m]))`, '{{persistent_data_op_type}} {{status}}']],
      },
    ]),
    dashboard(`${c}-milvus-autoscaling`, `Milvus autoscaling (${c})`, [
      {
        title: 'Replicas: current and desired',
        unit: 'short',
        queries: [
          [`sum by (horizontalpodautoscaler) (${m.hpaCurrentReplicas}{${ns}})`, '{{horizontalpodautoscaler}} current'],
          [`sum by (horizontalpodautoscaler) (${m.hpaDesiredReplicas}{${ns}})`, '{{horizontalpodautoscaler}} desired'],
          [`sum by (horizontalpodautoscaler) (${m.hpaMaxReplicas}{${ns}})`, '{{horizontalpodautoscaler}} max'],
        ],
      },
      {
        title: 'Nodes by class',
        unit: 'short',
        queries: [[`count by (label_milvus_gitops_io_node_class) (${m.nodeLabels})`, '{{label_milvus_gitops_io_node_class}}']],
      },
      {
        title: 'Index builds waiting or running',
        unit: 'short',
        queries: [[`sum by (task_state) (${m.datacoordTaskCount}{${ns},${PENDING_INDEX_BUILDS}})`, '{{task_state}}']],
      },
      {
        title: 'P99 search latency against the HPA target',
        unit: 'ms',
        queries: [[`histogram_quantile(0.99, sum by (le) (rate(${m.proxySearchLatency}_bucket{${search}}[2m])))`, 'p99']],
      },
    ]),
  ];
}

/** Props of MilvusDashboards. */
export interface MilvusDashboardsProps {
  /** The dashboards (`dashboards({ instance, namespace })` for a cluster); each uid starts with the instance. */
  readonly dashboards: readonly Dashboard[];
  /** Namespace of the ConfigMaps: where the Grafana sidecar looks (the monitoring namespace). */
  readonly namespace: string;
  /** The cluster's name (`app.kubernetes.io/instance`). */
  readonly instance: string;
}

/** One ConfigMap per dashboard, labeled for the Grafana sidecar, in the monitoring namespace. */
export class MilvusDashboards extends Construct {
  constructor(scope: Construct, id: string, props: MilvusDashboardsProps) {
    super(scope, id);
    const { namespace, instance } = props;
    for (const d of props.dashboards) {
      const name = d.uid.replace(`${instance}-`, 'dashboard-');
      kubeObject<{ data: Record<string, string> }>(this, name, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name,
          namespace,
          labels: {
            ...standardLabels({ name: 'grafana-dashboards', instance, component: 'dashboards' }),
            [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value,
          },
        },
        data: { [`${d.uid}.json`]: `${JSON.stringify(d, null, 2)}\n` },
      });
    }
  }
}
