// A bucket that keeps what it holds: never destroyed by a plan, versioned, KMS-encrypted, no public
// access, TLS only. The Milvus bucket and the Terraform state bucket are both made this way.

import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import type { Construct } from 'constructs';

/**
 * Creates bucket `name` in `scope` with its versioning, encryption, public access block and
 * TLS-only policy, as resources named `<id>`, `<id>-versioning`, `<id>-sse`, `<id>-pab`,
 * `<id>-policy` (and the policy document `<id>-tls-only`).
 */
export function keptBucket(scope: Construct, id: string, name: string): S3Bucket {
  const bucket = new S3Bucket(scope, id, { bucket: name, forceDestroy: false, lifecycle: { preventDestroy: true } });
  const arn = `arn:aws:s3:::${name}`;
  new S3BucketVersioningA(scope, `${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketServerSideEncryptionConfigurationA(scope, `${id}-sse`, { bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }] });
  new S3BucketPublicAccessBlock(scope, `${id}-pab`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  new S3BucketPolicy(scope, `${id}-policy`, {
    bucket: bucket.id,
    policy: new DataAwsIamPolicyDocument(scope, `${id}-tls-only`, {
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
