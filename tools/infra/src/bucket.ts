// A bucket that keeps what it holds: never destroyed by a plan, versioned, KMS-encrypted, no public
// access, TLS only. The Milvus bucket and the Terraform state bucket are both made this way.

import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';

/** Options of {@link keptBucket}. */
export interface KeptBucketOptions {
  /** Create the bucket with S3 Object Lock enabled (only possible at creation). @default false */
  readonly objectLock?: boolean;
  /** The provider (region) to create it with. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Customer-managed KMS key for default encryption. @default the AWS-managed key (aws/s3) */
  readonly kmsKeyArn?: string;
}

/**
 * Creates bucket `name` in `scope` with its versioning, encryption, public access block and
 * TLS-only policy, as resources named `<id>`, `<id>-versioning`, `<id>-sse`, `<id>-pab`,
 * `<id>-policy` (and the policy document `<id>-tls-only`).
 */
export function keptBucket(scope: Construct, id: string, name: string, opts: KeptBucketOptions = {}): S3Bucket {
  const provider = opts.provider ? { provider: opts.provider } : {};
  const bucket = new S3Bucket(scope, id, {
    bucket: name,
    forceDestroy: false,
    ...(opts.objectLock ? { objectLockEnabled: true } : {}),
    lifecycle: { preventDestroy: true },
    ...provider,
  });
  const arn = `arn:aws:s3:::${name}`;
  new S3BucketVersioningA(scope, `${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' }, ...provider });
  new S3BucketServerSideEncryptionConfigurationA(scope, `${id}-sse`, {
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', ...(opts.kmsKeyArn ? { kmsMasterKeyId: opts.kmsKeyArn } : {}) },
        bucketKeyEnabled: true,
      },
    ],
    ...provider,
  });
  new S3BucketPublicAccessBlock(scope, `${id}-pab`, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
    ...provider,
  });
  new S3BucketPolicy(scope, `${id}-policy`, {
    bucket: bucket.id,
    ...provider,
    policy: new DataAwsIamPolicyDocument(scope, `${id}-tls-only`, {
      ...provider,
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [arn, `${arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    }).json,
  });
  return bucket;
}
