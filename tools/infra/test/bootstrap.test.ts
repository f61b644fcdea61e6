// The once-per-account state bucket, and the cluster stacks' backend that uses it with S3 lock files.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { bootstrapTargets, defaultMirror, mirroredAwsVersions, readStack, synthBootstrapStacks, synthStacks, validateStacks } from '../src/index.js';
import { hasTerraform, testSpec } from './fixtures.js';

type Obj = Record<string, any>;
const first = (stack: Obj, type: string): Obj => Object.values(stack.resource?.[type] ?? {})[0] as Obj;

describe('state backend and bootstrap stack', () => {
  it('locks each cluster state with an S3 lock file, not a DynamoDB table', async () => {
    const files = synthStacks([testSpec('kp-us-east-1', 'karpenter')], await mkdtemp(join(tmpdir(), 'cdktf-')));
    const backend = ((await readStack(files['kp-us-east-1']!)) as Obj).terraform.backend.s3;
    expect(backend).toEqual({
      bucket: '111122223333-terraform-state',
      key: 'milvus-eks-gitops/kp-us-east-1/terraform.tfstate',
      region: 'us-east-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('creates one state bucket per account: versioned, KMS-encrypted, private, TLS only, never destroyed by a plan', async () => {
    const files = synthBootstrapStacks(
      [testSpec('kp-us-east-1', 'karpenter'), testSpec('ca-us-east-1', 'cluster-autoscaler')],
      await mkdtemp(join(tmpdir(), 'cdktf-')),
    );
    expect(Object.keys(files)).toEqual(['bootstrap-111122223333']);
    const stack = (await readStack(files['bootstrap-111122223333']!)) as Obj;
    expect(stack.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    expect(stack.provider.aws[0]).toMatchObject({ region: 'us-east-1', allowed_account_ids: ['111122223333'] });
    expect(first(stack, 'aws_s3_bucket')).toMatchObject({ bucket: '111122223333-terraform-state', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(first(stack, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    expect(first(stack, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(first(stack, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(stack.data.aws_iam_policy_document['state-bucket-tls-only'].statement[0]).toMatchObject({
      effect: 'Deny',
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
    expect(stack.resource.aws_dynamodb_table).toBeUndefined();
  });

  it('refuses an account whose clusters span regions (one bucket, one region)', () => {
    const eu = testSpec('eu-a', 'karpenter');
    eu.aws = { ...eu.aws, region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] };
    expect(() => bootstrapTargets([resolveClusterSpec(testSpec('us-a', 'karpenter')), resolveClusterSpec(eu)])).toThrow(
      'account 111122223333 has clusters in eu-west-1, us-east-1: its state bucket 111122223333-terraform-state can live in one region only',
    );
  });

  const mirror = defaultMirror();
  it.skipIf(!hasTerraform || !mirror)(
    'passes terraform validate (skipped without terraform or a provider mirror)',
    async () => {
      const files = synthBootstrapStacks([testSpec('kp-us-east-1', 'karpenter')], await mkdtemp(join(tmpdir(), 'cdktf-')));
      const pinned = ((await readStack(files['bootstrap-111122223333']!)) as Obj).terraform.required_providers.aws.version as string;
      const mirrored = mirroredAwsVersions(mirror!);
      expect(mirrored).toContain(pinned);
      const [result] = await validateStacks(files, { mirror: mirror! });
      expect(result!.ok, result!.output).toBe(true);
    },
    120_000,
  );
});
