// Snapshots etcd to the cluster's snapshot bucket on a schedule and keeps a bounded number of snapshots:
// Milvus metadata is the one state that S3 alone does not hold.

import type { V1CronJob } from '@kubernetes/client-node';
import { IrsaServiceAccount, kubeObject, placeOn, restrictedContainerSecurityContext, restrictedPodSecurityContext, standardLabels } from '@milvus-gitops/core';
import { ETCD_NODE_CLASS, S3_ACCESS_LABEL, type IrsaBinding } from '@milvus-gitops/spec';
import { Construct } from 'constructs';
import { ETCD_IMAGE, type EtcdCluster } from './etcd.js';

/** The AWS CLI image that uploads and prunes snapshots, pinned. */
export const AWS_CLI_IMAGE = 'amazon/aws-cli:2.22.0';
/** Name of the CronJob. */
export const ETCD_BACKUP_NAME = 'milvus-etcd-backup';
/** How long one snapshot run may take, retries included (the Job's activeDeadlineSeconds). */
export const ETCD_BACKUP_DEADLINE_SECONDS = 1800;
/** How late a run may start before the CronJob skips it (startingDeadlineSeconds). */
export const ETCD_BACKUP_STARTING_DEADLINE_SECONDS = 600;
/** Object key prefix of each snapshot under the backup prefix; keys sort by time. */
export const ETCD_SNAPSHOT_PREFIX = 'etcd-snapshot-';

/** Props of EtcdBackup. */
export interface EtcdBackupProps {
  /** The etcd it snapshots: the job connects to its client endpoint. */
  readonly etcd: EtcdCluster;
  /** The IRSA binding of the job's ServiceAccount (`clusterNames(spec).irsa['etcd-backup']`); its namespace is the job's. */
  readonly binding: IrsaBinding;
  /** The snapshot bucket (`storage.etcdBackupBucket`). */
  readonly bucket: string;
  /** Key prefix of the snapshots (`storage.etcdBackupPrefix`). */
  readonly prefix: string;
  /** Cron schedule, UTC (`milvus.etcd.snapshotSchedule`). */
  readonly schedule: string;
  /** Snapshots kept; older ones are deleted (`milvus.etcd.snapshotsRetained`). */
  readonly retain: number;
  /** The bucket's region (`aws.region`). */
  readonly region: string;
  /** `app.kubernetes.io/instance` of the etcd objects (`<cluster>-milvus`). */
  readonly instance: string;
}

/**
 * Upload the snapshot under a UTC timestamp, then delete all but the newest RETAIN snapshots.
 * Keys are `<prefix>/etcd-snapshot-<YYYYmmddTHHMMSSZ>.db`, so lexical order is time order.
 * The bucket has Object Lock, and S3 refuses an upload into a bucket with a default retention
 * unless it carries Content-MD5 or a checksum header (S3 User Guide, "Managing Object Lock"; the
 * error users meet without one: kopia/kopia#711);
 * CLI 2.22 sends none by default (default checksums came with 2.23), so the upload names one. Deleting an old snapshot only adds a delete marker; the locked version
 * stays until its retention ends and the bucket's lifecycle removes it.
 */
const UPLOAD_AND_PRUNE = `set -euo pipefail
key="\${BACKUP_PREFIX}/${ETCD_SNAPSHOT_PREFIX}$(date -u +%Y%m%dT%H%M%SZ).db"
aws s3 cp /backup/snapshot.db "s3://\${BUCKET}/\${key}" --checksum-algorithm CRC32 --only-show-errors
echo "uploaded s3://\${BUCKET}/\${key}"
aws s3api list-objects-v2 --bucket "\${BUCKET}" --prefix "\${BACKUP_PREFIX}/${ETCD_SNAPSHOT_PREFIX}" \\
  --query 'Contents[].Key' --output text | tr '\\t' '\\n' | grep -v '^None$' | sort -r \\
  | tail -n +"$((RETAIN + 1))" | while read -r old; do
      aws s3 rm "s3://\${BUCKET}/\${old}" --only-show-errors
      echo "pruned s3://\${BUCKET}/\${old}"
    done
`;

/** The snapshot CronJob and the IRSA ServiceAccount it runs under. */
export class EtcdBackup extends Construct {
  constructor(scope: Construct, id: string, props: EtcdBackupProps) {
    super(scope, id);
    const { binding } = props;
    const labels = standardLabels({ name: 'etcd', instance: props.instance, component: 'backup' });
    new IrsaServiceAccount(this, 'ServiceAccount', { binding, labels });
    const placement = placeOn(ETCD_NODE_CLASS);

    kubeObject<V1CronJob>(this, 'CronJob', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: ETCD_BACKUP_NAME, namespace: binding.namespace, labels },
      spec: {
        schedule: props.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: ETCD_BACKUP_STARTING_DEADLINE_SECONDS,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: ETCD_BACKUP_DEADLINE_SECONDS,
            ttlSecondsAfterFinished: 86400,
            template: {
              metadata: { labels: { ...labels, [S3_ACCESS_LABEL]: 'true' } },
              spec: {
                serviceAccountName: binding.serviceAccount,
                automountServiceAccountToken: false,
                restartPolicy: 'Never',
                securityContext: restrictedPodSecurityContext(),
                affinity: placement.affinity,
                tolerations: placement.tolerations,
                initContainers: [
                  {
                    name: 'snapshot',
                    image: ETCD_IMAGE,
                    command: ['etcdctl', `--endpoints=http://${props.etcd.clientEndpoint}`, 'snapshot', 'save', '/backup/snapshot.db'],
                    env: [{ name: 'ETCDCTL_API', value: '3' }],
                    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                    securityContext: restrictedContainerSecurityContext(),
                    volumeMounts: [{ name: 'backup', mountPath: '/backup' }],
                  },
                ],
                containers: [
                  {
                    name: 'upload',
                    image: AWS_CLI_IMAGE,
                    command: ['/bin/bash', '-c', UPLOAD_AND_PRUNE],
                    env: [
                      { name: 'BUCKET', value: props.bucket },
                      { name: 'BACKUP_PREFIX', value: props.prefix },
                      { name: 'RETAIN', value: String(props.retain) },
                      { name: 'AWS_REGION', value: props.region },
                      // The CLI caches credentials under $HOME; the root filesystem is read-only.
                      { name: 'HOME', value: '/tmp' },
                    ],
                    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                    securityContext: restrictedContainerSecurityContext(),
                    volumeMounts: [
                      { name: 'backup', mountPath: '/backup', readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'backup', emptyDir: { sizeLimit: '8Gi' } },
                  { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
                ],
              },
            },
          },
        },
      },
    });
  }
}
