import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publish, PublishError } from '../src/index.js';

const sh = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A bare remote and a source repository whose origin is that remote. */
async function setup(): Promise<{ root: string; remote: string; src: string }> {
  const root = await mkdtemp(join(tmpdir(), 'gitops-publish-'));
  const remote = join(root, 'remote.git');
  const src = join(root, 'src');
  sh(root, 'init', '-q', '--bare', '-b', 'main', remote);
  sh(root, 'init', '-q', '-b', 'main', src);
  sh(src, 'config', 'user.name', 'Test');
  sh(src, 'config', 'user.email', 'test@example.invalid');
  await writeFile(join(src, 'cluster.ts'), 'export const cluster = {};\n');
  sh(src, 'add', '.');
  sh(src, 'commit', '-q', '-m', 'Add cluster');
  sh(src, 'remote', 'add', 'origin', remote);
  sh(src, 'push', '-q', 'origin', 'main');
  return { root, remote, src };
}

/** A rendered tree with one object whose content varies with `n`. */
async function rendered(dir: string, n: number): Promise<string> {
  await mkdir(join(dir, 'prod', 'milvus'), { recursive: true });
  await writeFile(
    join(dir, 'prod', 'milvus', 'configmap-milvus-c.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: milvus\ndata:\n  n: "${n}"\n`,
  );
  await mkdir(join(dir, 'dev', 'flux-system'), { recursive: true });
  await writeFile(join(dir, 'dev', 'flux-system', 'namespace-flux-system.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
  return dir;
}

/** Every file of the branch's tree, path -> bytes. */
function branchTree(remote: string, branch = 'rendered'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const path of sh(remote, 'ls-tree', '-r', '--name-only', branch).split('\n')) out[path] = sh(remote, 'show', `${branch}:${path}`) + '\n';
  return out;
}

async function dirTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length + 1)] = await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('publish', () => {
  it('commits rendered/ as the exact tree of branch rendered, with the source commit in the message', async () => {
    const { root, remote, src } = await setup();
    const dir = await rendered(join(root, 'out'), 1);
    const r = await publish({ repo: src, renderedDir: dir });
    expect(r.status).toBe('published');
    expect(branchTree(remote)).toEqual(await dirTree(dir));
    const head = sh(src, 'rev-parse', 'HEAD');
    expect(sh(remote, 'log', '-1', '--format=%B', 'rendered')).toBe(`Render ${head.slice(0, 7)}: Add cluster\n\nSource-Commit: ${head}`);
    // No checkout, no churn: the source's branch, index and working tree are as they were.
    expect(sh(src, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(sh(src, 'status', '--porcelain')).toBe('');
  });

  it('makes no commit when nothing changed, and one commit on top when something did', async () => {
    const { root, remote, src } = await setup();
    const dir = await rendered(join(root, 'out'), 1);
    const first = await publish({ repo: src, renderedDir: dir });
    const again = await publish({ repo: src, renderedDir: dir });
    expect(again).toMatchObject({ status: 'unchanged', commit: first.commit });
    expect(sh(remote, 'rev-list', '--count', 'rendered')).toBe('1');
    await rendered(dir, 2);
    const second = await publish({ repo: src, renderedDir: dir });
    expect(second.status).toBe('published');
    expect(sh(remote, 'rev-parse', 'rendered^')).toBe(first.commit);
    expect(branchTree(remote)['prod/milvus/configmap-milvus-c.yaml']).toContain('n: "2"');
  });

  it('lands two concurrent publishes from two clones, the loser rebuilt on the winner', async () => {
    const { root, remote, src } = await setup();
    await publish({ repo: src, renderedDir: await rendered(join(root, 'out0'), 0) });
    const clones = await Promise.all(
      [1, 2].map(async (n) => {
        const clone = join(root, `clone${n}`);
        sh(root, 'clone', '-q', remote, clone);
        sh(clone, 'config', 'user.name', `Clone ${n}`);
        sh(clone, 'config', 'user.email', `clone${n}@example.invalid`);
        await writeFile(join(clone, 'cluster.ts'), `export const cluster = { n: ${n} };\n`);
        sh(clone, 'commit', '-q', '-am', `Change ${n}`);
        return { clone, dir: await rendered(join(root, `out${n}`), n) };
      }),
    );
    // Both pass their checks together, so both read the same tip and race for the push.
    let arrived = 0;
    let release: () => void = () => undefined;
    const barrier = new Promise<void>((r) => (release = r));
    const check = async () => {
      if (++arrived === 2) release();
      await barrier;
      return [];
    };
    const results = await Promise.all(clones.map((c) => publish({ repo: c.clone, renderedDir: c.dir, check })));
    expect(results.map((r) => r.status)).toEqual(['published', 'published']);
    // With the barrier the loser's first push is rejected and it rebuilds on the winner's commit.
    expect(Math.max(...results.map((r) => r.attempts))).toBeLessThanOrEqual(2);
    const log = sh(remote, 'log', '--format=%s', 'rendered');
    expect(log).toMatch(/Render [0-9a-f]+: Change 1/);
    expect(log).toMatch(/Render [0-9a-f]+: Change 2/);
    expect(sh(remote, 'rev-list', '--count', 'rendered')).toBe('3');
    // History is linear: every publish is a fast-forward of the one before.
    expect(sh(remote, 'rev-list', '--merges', 'rendered')).toBe('');
  });

  it('refuses output that does not parse, leaving the branch as it was', async () => {
    const { root, remote, src } = await setup();
    const dir = await rendered(join(root, 'out'), 1);
    const first = await publish({ repo: src, renderedDir: dir });
    await writeFile(join(dir, 'prod', 'milvus', 'broken.yaml'), 'kind: [unclosed\n');
    await expect(publish({ repo: src, renderedDir: dir })).rejects.toThrow(
      /refusing to publish output that fails validation:\n {2}prod\/milvus\/broken\.yaml: not valid YAML/,
    );
    expect(sh(remote, 'rev-parse', 'rendered')).toBe(first.commit);
  });

  it('refuses a source with uncommitted changes, whose render would not match Source-Commit', async () => {
    const { root, src } = await setup();
    await writeFile(join(src, 'cluster.ts'), 'export const cluster = { changed: true };\n');
    await expect(publish({ repo: src, renderedDir: await rendered(join(root, 'out'), 1) })).rejects.toThrow(/uncommitted changes/);
  });

  it('names the remote when it cannot be reached', async () => {
    const { root, src } = await setup();
    sh(src, 'remote', 'set-url', 'origin', join(root, 'does-not-exist.git'));
    const err = await publish({ repo: src, renderedDir: await rendered(join(root, 'out'), 1) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect((err as Error).message).toMatch(/^cannot read branch rendered from remote origin: /);
  });
});
