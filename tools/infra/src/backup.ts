// Where the etcd snapshots live: a bucket of their own (Milvus' role cannot list or read it), with
// S3 Object Lock so that neither a bad job nor a stolen credential can destroy the history, and,
// when the spec names a second region, a replica there. etcd holds the one state of Milvus that S3
// alone does not: losing the snapshots with the cluster loses the collections.

import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration/index.js';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration/index.js';
import { clusterNames, snapshotWindowSeconds, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';
import { keptBucket } from './bucket.js';

/**
 * Days Object Lock holds each snapshot (governance mode): as long as the snapshots kept reach back
 * (snapshotsRetained times the schedule's interval), at least one day; seven days when the
 * schedule has no fixed interval.
 */
export function etcdBackupLockDays(spec: ResolvedClusterSpec): number {
  const window = snapshotWindowSeconds(spec);
  return window === undefined ? 7 : Math.max(1, Math.ceil(window / 86400));
}

/**
 * The snapshot bucket: Object Lock by default retention, and a lifecycle that removes a pruned
 * snapshot's version a day after its lock ends. Its replica (if any) keeps what it receives for
 * the lock period plus a week, since prunes (delete markers) are not replicated.
 */
export function etcdBackupStorage(scope: Construct, spec: ResolvedClusterSpec): void {
  const n = clusterNames(spec);
  const days = etcdBackupLockDays(spec);
  const lock = (id: string, bucket: string, provider?: AwsProvider) =>
    new S3BucketObjectLockConfigurationA(scope, id, {
      bucket,
      // Governance, not compliance: an operator holding s3:BypassGovernanceRetention can still
      // remove a snapshot (say, one taken from a corrupted etcd); nobody else can.
      rule: { defaultRetention: { mode: 'GOVERNANCE', days } },
      ...(provider ? { provider } : {}),
    });
  const source = keptBucket(scope, 'etcd-backup-bucket', n.etcdBackupBucket, { objectLock: true });
  lock('etcd-backup-bucket-lock', source.id);
  new S3BucketLifecycleConfiguration(scope, 'etcd-backup-bucket-lifecycle', {
    bucket: source.id,
    rule: [
      { id: 'abort-incomplete-multipart-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }] },
      { id: 'expire-pruned-snapshots', status: 'Enabled', filter: [{ prefix: '' }], noncurrentVersionExpiration: [{ noncurrentDays: days + 1 }] },
      { id: 'remove-expired-delete-markers', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ expiredObjectDeleteMarker: true }] },
    ],
  });

  const replica = n.etcdBackupReplica;
  if (!replica) return;
  const provider = new AwsProvider(scope, 'aws-backup-replica', {
    alias: 'backup-replica',
    region: replica.region,
    allowedAccountIds: [spec.aws.accountId],
    defaultTags: [{ tags: { ...n.tags } }],
  });
  // A key of the replica's region: S3 re-encrypts replicas with a key of the destination region.
  const key = new KmsKey(scope, 'etcd-backup-replica-key', {
    description: `etcd snapshot replica of ${spec.name}`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    provider,
  });
  const target = keptBucket(scope, 'etcd-backup-replica', replica.bucket, { objectLock: true, provider, kmsKeyArn: key.arn });
  lock('etcd-backup-replica-lock', target.id, provider);
  new S3BucketLifecycleConfiguration(scope, 'etcd-backup-replica-lifecycle', {
    bucket: target.id,
    provider,
    rule: [
      { id: 'expire-snapshots', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: days + 7 }] },
      { id: 'expire-noncurrent-versions', status: 'Enabled', filter: [{ prefix: '' }], noncurrentVersionExpiration: [{ noncurrentDays: 1 }] },
    ],
  });

  // The replication role, after the S3 User Guide's "Setting up permissions" for live replication
  // (source reads incl. Object Lock retention and legal hold, destination replicate actions) and
  // "Replicating encrypted objects" (kms:Decrypt through S3 of the source region, kms:Encrypt with
  // the destination key). Both buckets use S3 Bucket Keys (keptBucket), and with a Bucket Key the
  // KMS encryption context is the bucket's ARN, not the object's (same page, "Using S3 Bucket Keys
  // with replication"): the conditions take both, or every replica's encryption would be denied.
  const role = new IamRole(scope, 'etcd-backup-replication-role', {
    name: `${spec.name}-etcd-backup-replication`,
    assumeRolePolicy: new DataAwsIamPolicyDocument(scope, 'etcd-backup-replication-trust', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }] }],
    }).json,
  });
  new IamRolePolicy(scope, 'etcd-backup-replication-policy', {
    role: role.id,
    name: 'replicate-etcd-snapshots',
    policy: new DataAwsIamPolicyDocument(scope, 'etcd-backup-replication-permissions', {
      statement: [
        { sid: 'SourceBucket', actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [n.etcdBackupBucketArn] },
        {
          sid: 'SourceObjects',
          actions: [
            's3:GetObjectVersionForReplication',
            's3:GetObjectVersionAcl',
            's3:GetObjectVersionTagging',
            's3:GetObjectRetention',
            's3:GetObjectLegalHold',
          ],
          resources: [`${n.etcdBackupBucketArn}/*`],
        },
        { sid: 'Destination', actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], resources: [`${replica.bucketArn}/*`] },
        {
          sid: 'DecryptSource',
          actions: ['kms:Decrypt'],
          resources: ['*'],
          condition: [
            { test: 'StringLike', variable: 'kms:ViaService', values: [`s3.${spec.aws.region}.amazonaws.com`] },
            { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: [n.etcdBackupBucketArn, `${n.etcdBackupBucketArn}/*`] },
          ],
        },
        {
          sid: 'EncryptReplica',
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [key.arn],
          condition: [
            { test: 'StringLike', variable: 'kms:ViaService', values: [`s3.${replica.region}.amazonaws.com`] },
            { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: [replica.bucketArn, `${replica.bucketArn}/*`] },
          ],
        },
      ],
    }).json,
  });
  new S3BucketReplicationConfigurationA(scope, 'etcd-backup-replication', {
    bucket: source.id,
    role: role.arn,
    rule: [
      {
        id: 'etcd-snapshots',
        status: 'Enabled',
        filter: { prefix: `${n.etcdBackupPrefix}/` },
        // A prune is not a loss to replicate: the replica keeps its copy until its lifecycle ends it.
        deleteMarkerReplication: { status: 'Disabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: { bucket: target.arn, storageClass: 'STANDARD_IA', encryptionConfiguration: { replicaKmsKeyId: key.arn } },
      },
    ],
  });
}
