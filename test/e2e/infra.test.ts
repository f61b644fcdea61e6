// The cross-layer contract on the example clusters: rendered IRSA ServiceAccounts and synthesized
// IAM roles agree, and the check notices when a name drifts.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APPS, renderCluster } from '@milvus-gitops/cli';
import { crossCheck, readStack, synthStacks, type RenderedServiceAccount } from '@milvus-gitops/infra';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { CLUSTER_COUNT, EXAMPLES } from './clusters.js';
import { REPO, run } from './helpers.js';

type Obj = Record<string, any>;
const stacks: Record<string, Obj> = {};
beforeAll(async () => {
  const files = synthStacks(Object.values(EXAMPLES), await mkdtemp(join(tmpdir(), 'cdktf-')));
  for (const [name, file] of Object.entries(files)) stacks[name] = await readStack(file);
});
const rendered = (name: string) => renderCluster(EXAMPLES[name]!, APPS).files.map((f) => structuredClone(f.object) as unknown as RenderedServiceAccount);

describe.each(Object.keys(EXAMPLES))('IRSA across layers for %s', (name) => {
  const spec = resolveClusterSpec(EXAMPLES[name]!);

  it('has a role for every annotated ServiceAccount, trusting exactly it, on this bucket only, and no unused role', () => {
    const objects = rendered(name);
    expect(objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.annotations?.['eks.amazonaws.com/role-arn']).length).toBeGreaterThanOrEqual(2);
    expect(crossCheck(spec, stacks[name]!, objects)).toEqual([]);
  });

  it('fails when a ServiceAccount points at a role name that drifted', () => {
    const objects = rendered(name);
    const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'milvus')!;
    sa.metadata.annotations!['eks.amazonaws.com/role-arn'] = `arn:aws:iam::${spec.aws.accountId}:role/${name}-milvus-old`;
    expect(crossCheck(spec, stacks[name]!, objects)).toEqual([
      `${name}: ServiceAccount milvus/milvus: role ${name}-milvus-old is not in the Terraform of ${name}`,
      `${name}: IRSA role ${name}-milvus in the Terraform is used by no rendered ServiceAccount`,
    ]);
  });

  it('fails when a trust policy admits another ServiceAccount or a policy reaches another bucket', () => {
    const stack = structuredClone(stacks[name]!);
    stack.data.aws_iam_policy_document['irsa-milvus-trust'].statement[0].condition[0].values = ['system:serviceaccount:milvus:default'];
    stack.data.aws_iam_policy_document['irsa-milvus-permissions'].statement[1].resources = ['arn:aws:s3:::someone-elses-bucket/*'];
    expect(crossCheck(spec, stack, rendered(name))).toEqual([
      `${name}: ServiceAccount milvus/milvus: role ${name}-milvus admits system:serviceaccount:milvus:default, not exactly system:serviceaccount:milvus:milvus`,
      `${name}: ServiceAccount milvus/milvus: role ${name}-milvus grants S3 on arn:aws:s3:::someone-elses-bucket/*, outside bucket ${spec.storage.bucket}`,
    ]);
  });
});

describe('pnpm infra synth', () => {
  it('writes one stack per example cluster', async () => {
    const out = await mkdtemp(join(tmpdir(), 'cdktf-'));
    const r = await run(process.execPath, [join(REPO, 'tools/infra/bin/infra.js'), 'synth', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(new RegExp(`^synthesized ${CLUSTER_COUNT} stack\\(s\\) in [0-9.]+s -> `));
  });
});
