// The once-per-account stack that holds every cluster stack's Terraform state: the bucket
// `<account>-terraform-state`. Its own state stays local (terraform.tfstate next to cdk.tf.json):
// the bucket cannot keep the state of its own creation. Locking needs no DynamoDB table: the
// cluster stacks lock with S3 lock files (use_lockfile, Terraform 1.10+).

import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { MANAGED_BY, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import { keptBucket } from './bucket.js';

/** The state bucket of an account. */
export const stateBucketName = (account: string) => `${account}-terraform-state`;

/** Props of BootstrapStack. */
export interface BootstrapStackProps {
  readonly accountId: string;
  /** The bucket's region: that of the account's clusters (their backends name it). */
  readonly region: string;
}

/** The stack id of an account's bootstrap stack. */
export const bootstrapStackId = (account: string) => `bootstrap-${account}`;

/**
 * One bootstrap per account of `specs`, in the region of its clusters. The cluster stacks' S3
 * backend names the bucket with the cluster's region, so an account whose clusters span regions
 * has no single right place for it: refused.
 */
export function bootstrapTargets(specs: readonly ResolvedClusterSpec[]): BootstrapStackProps[] {
  const regions = new Map<string, Set<string>>();
  for (const s of specs) regions.set(s.aws.accountId, (regions.get(s.aws.accountId) ?? new Set()).add(s.aws.region));
  return [...regions]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([accountId, rs]) => {
      if (rs.size > 1)
        throw new Error(
          `account ${accountId} has clusters in ${[...rs].sort().join(', ')}: its state bucket ${stateBucketName(accountId)} can live in one region only`,
        );
      return { accountId, region: [...rs][0]! };
    });
}

/** The state bucket of one account: versioned, encrypted, private, TLS only, never destroyed by a plan. */
export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { accountId, region } = props;
    new LocalBackend(this, { path: 'terraform.tfstate' });
    new AwsProvider(this, 'aws', {
      region,
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: { 'managed-by': MANAGED_BY, 'milvus-gitops/purpose': 'terraform-state' } }],
    });
    const name = stateBucketName(accountId);
    // Every cluster's state: a plan that would destroy or replace it fails.
    // Versioning is what lets a corrupted or overwritten state be restored (developer.hashicorp.com/
    // terraform/language/backend/s3: "enabling Bucket Versioning on the S3 bucket to allow for state recovery").
    const bucket = keptBucket(this, 'state-bucket', name);
    // Old state versions are the recovery path; keep them 90 days, and clean up what they leave.
    new S3BucketLifecycleConfiguration(this, 'state-bucket-lifecycle', {
      bucket: bucket.id,
      rule: [
        { id: 'expire-noncurrent-versions', status: 'Enabled', filter: [{ prefix: '' }], noncurrentVersionExpiration: [{ noncurrentDays: 90 }] },
        { id: 'remove-expired-delete-markers', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ expiredObjectDeleteMarker: true }] },
        { id: 'abort-incomplete-multipart-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
      ],
    });
    new TerraformOutput(this, 'state_bucket', { value: bucket.bucket });
  }
}
