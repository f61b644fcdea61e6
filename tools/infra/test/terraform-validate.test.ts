// The synthesized stacks pass the real `terraform init -backend=false` and `terraform validate`,
// offline, with the AWS provider from a local mirror. Skipped (with a note) without terraform or a
// mirror.
import { hasTerraform, testSpec } from './fixtures.js';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMirror, mirroredAwsVersions, synthStacks, validateStacks } from '../src/index.js';

const TEST = 'tools/infra/test/terraform-validate.test.ts';
const mirror = defaultMirror();
const skip = !hasTerraform
  ? `${TEST} skipped: no \`terraform\` on PATH. Install Terraform (https://developer.hashicorp.com/terraform/install) and put the hashicorp/aws provider in a filesystem mirror (TF_PROVIDER_MIRROR) to run it.`
  : !mirror
    ? `${TEST} skipped: no provider mirror. Set TF_PROVIDER_MIRROR to a folder holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/ (e.g. \`terraform providers mirror DIR\` on a connected machine).`
    : undefined;
if (skip) console.warn(skip);

const spec = testSpec;

describe.skipIf(skip !== undefined)('terraform validate', () => {
  it('accepts the stack of a Karpenter and of a Cluster Autoscaler cluster, and rejects a broken one', async () => {
    // The Karpenter cluster also replicates its etcd snapshots: a second provider (region) in the stack.
    const kp = { ...spec('kp-us-east-1', 'karpenter'), storage: { bucket: 'acme-kp-us-east-1', etcdBackupReplicaRegion: 'us-west-2' } };
    const files = synthStacks([kp, spec('ca-us-east-1', 'cluster-autoscaler')], await mkdtemp(join(tmpdir(), 'cdktf-')));
    const pinned = JSON.parse(await readFile(files['kp-us-east-1']!, 'utf8')).terraform.required_providers.aws.version as string;
    const mirrored = mirroredAwsVersions(mirror!);
    // What is validated is what would be applied: the bindings are generated for the mirrored
    // provider (@cdktf/provider-aws 20.1.0 is built for hashicorp/aws 5.100.0), no override.
    expect(pinned).toBe('5.100.0');
    expect(mirrored, `the mirror ${mirror} must hold the pinned hashicorp/aws ${pinned}`).toContain(pinned);
    const broken = JSON.parse(await readFile(files['ca-us-east-1']!, 'utf8'));
    broken.resource.aws_eks_addon['addon-aws-ebs-csi-driver'].service_account_role_arn = '${aws_iam_role.no-such-role.arn}';
    const brokenFile = join(await mkdtemp(join(tmpdir(), 'cdktf-broken-')), 'cdk.tf.json');
    await writeFile(brokenFile, JSON.stringify(broken));
    const results = await validateStacks({ ...files, broken: brokenFile }, { mirror: mirror! });
    const byCluster = Object.fromEntries(results.map((r) => [r.cluster, r]));
    expect(results.map((r) => r.providerVersion)).toEqual([pinned, pinned, pinned]);
    expect(byCluster['kp-us-east-1'], byCluster['kp-us-east-1']!.output).toMatchObject({ ok: true });
    expect(byCluster['ca-us-east-1'], byCluster['ca-us-east-1']!.output).toMatchObject({ ok: true });
    expect(byCluster.broken!.ok).toBe(false);
    expect(byCluster.broken!.output).toContain('no-such-role');
  }, 180_000);
});
