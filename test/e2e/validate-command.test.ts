import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitops, REPO } from './helpers.js';

const SCHEMAS = resolve(REPO, '..', 'shared', 'schemas');

describe('gitops validate', () => {
  it('validates every rendered cluster clean, then reports a broken file in the documented format with exit 1', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'validate-')), 'rendered');
    expect((await gitops('render', '--out', out, '--schemas', SCHEMAS)).code).toBe(0);
    const clean = await gitops('validate', out, '--schemas', SCHEMAS);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^validated [0-9]+ objects in 3 clusters against .*: 0 failures \([0-9.]+s\)\n$/);

    const file = join(out, 'prod-us-east-1', 'milvus', 'deployment-milvus-milvus-proxy.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: IfNotPresent\n          tty: "yes"'));
    const broken = await gitops('validate', out, '--schemas', SCHEMAS);
    expect(broken.code).toBe(1);
    expect(broken.stdout.split('\n')[0]).toBe(
      'prod-us-east-1/milvus/deployment-milvus-milvus-proxy.yaml: Deployment milvus/milvus-proxy: spec.template.spec.containers[0].tty: must be true or false',
    );
    expect(broken.stdout).toMatch(/: 1 failure \(/);
  });

  it('render validates before it swaps: output that fails is never written and the previous render stays', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'validate-')), 'rendered');
    expect((await gitops('render', '--out', out, '--schemas', SCHEMAS)).code).toBe(0);
    const before = await readFile(join(out, 'prod-us-east-1', 'node-pools', 'nodepool-query.yaml'), 'utf8');
    // A schema source without Karpenter's CRDs: every NodePool is now an object without a schema.
    const partial = await mkdtemp(join(tmpdir(), 'schemas-'));
    await cp(SCHEMAS, partial, { recursive: true });
    await rm(join(partial, 'crds', 'karpenter'), { recursive: true });
    const r = await gitops('render', '--out', out, '--schemas', partial);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: prod-us-east-1/node-pools/nodepool-query.yaml: NodePool query: apiVersion: no schema for karpenter.sh/v1 NodePool');
    expect(r.stderr).toMatch(/previous output in .* left untouched/);
    expect(await readFile(join(out, 'prod-us-east-1', 'node-pools', 'nodepool-query.yaml'), 'utf8')).toBe(before);
  });

  it('exits 2 when there is nothing to validate', async () => {
    const r = await gitops('validate', join(tmpdir(), 'no-such-rendered-folder'), '--schemas', SCHEMAS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${join(tmpdir(), 'no-such-rendered-folder')}: no such file or folder`);
  });
});
