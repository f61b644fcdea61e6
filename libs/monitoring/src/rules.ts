// The alerts the operators of this system must get, as plain rule groups (what promtool reads)
// and as a PrometheusRule. Thresholds come from the input (the monitoring app reads them from the
// spec); metric names from metrics.ts.

import { kubeObject, standardLabels } from '@milvus-gitops/core';
import { ETCD_BACKUP_DEADLINE_SECONDS, ETCD_BACKUP_NAME, ETCD_BACKUP_STARTING_DEADLINE_SECONDS, roleWorkloadName } from '@milvus-gitops/milvus';
import { Construct } from 'constructs';
import { METRICS } from './metrics.js';

/** One alerting rule. */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'critical' | 'warning' };
  annotations: { summary: string; description: string; runbook_url: string };
}

/** A rule group. */
export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** Index builds not started yet: unissued (`JobStateInit`) or waiting to be retried (`JobStateRetry`). */
const INDEX_WAITING = 'task_type="JobTypeIndexJob",task_state=~"JobStateInit|JobStateRetry"';
/** Pending compaction tasks above which a growing queue is worth a look. */
const COMPACTION_BACKLOG = 50;

/** Where each alert's runbook section lives (README, "Runbooks"). */
const RUNBOOK = 'https://github.com/acme/milvus-eks-gitops/blob/main/README.md#runbook-';

function rule(alert: string, expr: string, forDuration: string, severity: 'critical' | 'warning', summary: string, description: string): AlertRule {
  return { alert, expr, for: forDuration, labels: { severity }, annotations: { summary, description, runbook_url: `${RUNBOOK}${alert.toLowerCase()}` } };
}

/** Input of alertGroups: the Milvus the alerts watch and their thresholds. */
export interface AlertGroupsProps {
  /**
   * Namespace of the Milvus the alerts select (`spec.milvus.namespace`).
   * @default - required, no default
   */
  readonly namespace: string;
  /**
   * P99 search latency (ms) above which MilvusSearchLatencyHigh fires (`spec.monitoring.searchLatencySloMs`).
   * @default - required, no default
   */
  readonly searchLatencySloMs: number;
  /**
   * Share of its memory limit (0-1) above which a query node raises MilvusQueryNodeMemoryNearLimit
   * (`spec.monitoring.queryNodeMemoryAlertRatio`).
   * @default - required, no default
   */
  readonly queryNodeMemoryAlertRatio: number;
  /**
   * Seconds between etcd snapshot runs (`milvus.etcd.snapshotSchedule` when it is a fixed
   * interval). When given, EtcdSnapshotFailed also fires when no snapshot has succeeded for that
   * long and a run's starting and running deadlines (runs no longer scheduled: a suspended CronJob,
   * missed starts).
   * @default undefined: only the latest scheduled run's outcome is checked
   */
  readonly etcdSnapshotIntervalSeconds?: number;
}

/** The alert groups of a cluster. */
export function alertGroups(props: AlertGroupsProps): RuleGroup[] {
  const ns = props.namespace;
  const m = METRICS;
  const slo = props.searchLatencySloMs;
  const memRatio = props.queryNodeMemoryAlertRatio;
  const queryHpa = roleWorkloadName('querynode');
  /** A time kube-state-metrics reports for the etcd snapshot CronJob, one series whatever the scrape labels. */
  const lastRun = (metric: 'cronJobLastScheduleTime' | 'cronJobLastSuccessfulTime') =>
    `max by (namespace, cronjob) (${m[metric]}{namespace="${ns}",cronjob="${ETCD_BACKUP_NAME}"})`;
  return [
    {
      name: 'milvus-serving',
      rules: [
        rule(
          'MilvusSearchLatencyHigh',
          `histogram_quantile(0.99, sum by (le) (rate(${m.proxySearchLatency}_bucket{namespace="${ns}",query_type="search"}[5m]))) > ${slo}`,
          '5m',
          'critical',
          `P99 search latency is above the ${slo} ms SLO`,
          `P99 search latency at the proxies has been above ${slo} ms for 5 minutes. Check query-node saturation and whether the query-node HPA is at its maximum.`,
        ),
        rule(
          'MilvusQueryNodeMemoryNearLimit',
          `max by (pod) (${m.containerMemoryWorkingSet}{namespace="${ns}",container="querynode"} / on (pod, container) ${m.podContainerResourceLimits}{namespace="${ns}",container="querynode",resource="memory"}) > ${memRatio}`,
          '5m',
          'warning',
          'A query node is close to its memory limit (OOM risk)',
          `{{ $labels.pod }} uses more than ${Math.round(memRatio * 100)}% of its memory limit. Add query nodes or release collections before the OOM killer does.`,
        ),
        rule(
          'MilvusQueryNodesAtMaxReplicas',
          `${m.hpaCurrentReplicas}{namespace="${ns}",horizontalpodautoscaler="${queryHpa}"} >= ${m.hpaMaxReplicas}{namespace="${ns}",horizontalpodautoscaler="${queryHpa}"}`,
          '15m',
          'warning',
          'Query nodes have been at the autoscaler maximum for 15 minutes',
          'The query-node HPA cannot add capacity: raise milvus.queryNode.maxReplicas (and nodes.limits.query) in the cluster spec.',
        ),
        rule(
          'MilvusPodRestarting',
          `increase(${m.podContainerRestarts}{namespace="${ns}"}[30m]) > 3`,
          '0m',
          'warning',
          'A Milvus pod keeps restarting',
          '{{ $labels.pod }} restarted more than 3 times in 30 minutes. Check its logs and last termination reason (OOMKilled, probe failures).',
        ),
      ],
    },
    {
      name: 'milvus-data',
      rules: [
        rule(
          'MilvusFlushFailures',
          // SyncTask.HandleError counts every failed write of a buffer to object storage (flush or
          // auto-flush, any segment level) in 2.5 and 2.6 alike.
          `sum(increase(${m.dataNodeFlushBufferOpCount}{namespace="${ns}",status="fail"}[15m])) > 0`,
          '0m',
          'critical',
          'Milvus failed to write segment data to S3',
          'Sync tasks that write growing segments to object storage failed in the last 15 minutes: data is not reaching S3. Check data-node (2.6: streaming-node) logs and S3 errors.',
        ),
        rule(
          'MilvusCompactionBacklogGrowing',
          // Milvus exports no compaction-failure metric (compaction_task_num has pending, executing and
          // done; a failed task is counted done). A queue of pending tasks that only grows is the
          // observable symptom of compaction failing or being starved.
          `sum(${m.compactionTaskNum}{namespace="${ns}",status="pending"}) > ${COMPACTION_BACKLOG} and deriv(sum(${m.compactionTaskNum}{namespace="${ns}",status="pending"})[1h:1m]) > 0`,
          '1h',
          'warning',
          'The compaction backlog keeps growing',
          `More than ${COMPACTION_BACKLOG} compaction tasks are pending and the queue has grown for an hour: deletes are not applied and small segments are not merged. Check data-node and coordinator logs for failing compactions and data-node capacity.`,
        ),
        rule(
          'MilvusIndexBacklogGrowing',
          `sum(${m.datacoordTaskCount}{namespace="${ns}",${INDEX_WAITING}}) > 10 and deriv(sum(${m.datacoordTaskCount}{namespace="${ns}",${INDEX_WAITING}})[30m:1m]) > 0`,
          '30m',
          'warning',
          'The index build backlog keeps growing',
          'More than 10 index tasks are waiting and the queue has grown for 30 minutes: index builders cannot keep up (spot capacity, maxReplicas).',
        ),
        rule(
          'MilvusS3Errors',
          `sum(rate(${m.storageOpCount}{namespace="${ns}",status="fail"}[5m])) / sum(rate(${m.storageOpCount}{namespace="${ns}",status="total"}[5m])) > 0.01`,
          '10m',
          'critical',
          'Milvus object storage requests are failing',
          'More than 1% of S3 operations have failed for 10 minutes. Check the IRSA role, the bucket policy and S3 availability.',
        ),
      ],
    },
    {
      name: 'milvus-metadata',
      rules: [
        rule(
          'EtcdNoLeader',
          `max by (pod) (${m.etcdHasLeader}{namespace="${ns}"}) == 0`,
          '1m',
          'critical',
          'An etcd member has no leader',
          '{{ $labels.pod }} reports no leader: Milvus metadata writes are failing. Check quorum (at least two members healthy).',
        ),
        // Compaction frees pages inside the file; only a defragmentation gives them back, and at the
        // quota etcd raises NOSPACE and refuses every write.
        rule(
          'EtcdDatabaseNearQuota',
          `max by (pod) (${m.etcdDbTotalSize}{namespace="${ns}"} / ${m.etcdQuotaBackendBytes}{namespace="${ns}"}) > 0.8`,
          '10m',
          'warning',
          "An etcd member's database is above 80% of its quota",
          '{{ $labels.pod }} uses over 80% of its backend quota; at 100% etcd refuses writes and Milvus stalls. Defragment the members one at a time.',
        ),
        // The latest scheduled snapshot has not succeeded (or none ever has) once a run's deadline
        // has passed, or no snapshot has succeeded for an interval and a run's deadlines (runs no
        // longer start): a pod that failed and was retried into success does not page, and the
        // alert clears with the next snapshot that succeeds (kube_job_status_failed counts failed
        // pods, and a failed Job stays in the history for hours).
        rule(
          'EtcdSnapshotFailed',
          [
            `${lastRun('cronJobLastScheduleTime')} > ${lastRun('cronJobLastSuccessfulTime')}`,
            `${lastRun('cronJobLastScheduleTime')} unless ${lastRun('cronJobLastSuccessfulTime')}`,
            ...(props.etcdSnapshotIntervalSeconds === undefined
              ? []
              : [
                  `time() - ${lastRun('cronJobLastSuccessfulTime')} > ${props.etcdSnapshotIntervalSeconds + ETCD_BACKUP_STARTING_DEADLINE_SECONDS + ETCD_BACKUP_DEADLINE_SECONDS}`,
                ]),
          ].join(' or '),
          `${Math.ceil(ETCD_BACKUP_DEADLINE_SECONDS / 60) + 5}m`,
          'critical',
          'The latest etcd snapshot to S3 did not succeed',
          'The latest scheduled snapshot has not completed: metadata is the one thing S3 alone does not keep. Check the job logs and the etcd-backup IRSA role.',
        ),
      ],
    },
  ];
}

/** Props of MilvusAlerts. */
export interface MilvusAlertsProps {
  /** The alert groups (`alertGroups(props)` for a cluster). */
  readonly groups: readonly RuleGroup[];
  /** Namespace of the PrometheusRule (Milvus'). */
  readonly namespace: string;
  /** The cluster's name (`app.kubernetes.io/instance`). */
  readonly instance: string;
}

/** The PrometheusRule carrying every alert group. */
export class MilvusAlerts extends Construct {
  constructor(scope: Construct, id: string, props: MilvusAlertsProps) {
    super(scope, id);
    kubeObject<{ spec: { groups: RuleGroup[] } }>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: 'milvus-alerts',
        namespace: props.namespace,
        labels: standardLabels({ name: 'milvus', instance: props.instance, component: 'alerts' }),
      },
      spec: { groups: [...props.groups] },
    });
  }
}
