// `gitops publish` from the command line refuses a render that is not the render of the source it
// would name in Source-Commit: stale, hand-edited, or missing a cluster.
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitops, REPO } from './helpers.js';

const SCHEMAS = resolve(REPO, '..', 'shared', 'schemas');

describe('gitops publish', () => {
  it('refuses a hand-edited or partial render before anything is committed, and passes a fresh one on to the push', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'publish-')), 'rendered');
    expect((await gitops('render', '--out', out, '--schemas', SCHEMAS)).code).toBe(0);
    // A fresh render passes the checks; the push then fails on the remote that does not exist.
    const fresh = await gitops('publish', '--rendered-dir', out, '--allow-dirty', '--remote', 'no-such-remote', '--schemas', SCHEMAS);
    expect(fresh.code).not.toBe(0);
    expect(fresh.stderr).not.toMatch(/not the render of the source/);

    await appendFile(join(out, 'prod-us-east-1', 'milvus', 'namespace-milvus.yaml'), '# edited by hand\n');
    const edited = await gitops('publish', '--rendered-dir', out, '--allow-dirty', '--remote', 'no-such-remote', '--schemas', SCHEMAS);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/is not the render of the source \(1 file\); run gitops render, then publish/);
    expect(edited.stderr).toContain('prod-us-east-1/milvus/namespace-milvus.yaml differs from the render of the source');

    await rm(join(out, 'dev-us-west-2'), { recursive: true });
    const partial = await gitops('publish', '--rendered-dir', out, '--allow-dirty', '--remote', 'no-such-remote', '--schemas', SCHEMAS);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/dev-us-west-2\/\S+ is missing/);
  });
});
