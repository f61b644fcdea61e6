// Finding the repository and loading its cluster packages, as tools/cli and tools/infra both do.
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot, listClusters, loadClusterSpec } from '../src/index.js';

async function repo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'workspace-'));
  await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages: []\n');
  return root;
}

async function clusterPackage(clusters: string, folder: string, js: string): Promise<string> {
  const dir = join(clusters, folder);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'cluster.ts'), '// source\n');
  await writeFile(join(dir, 'dist', 'cluster.js'), js);
  return dir;
}

describe('findRepoRoot', () => {
  it('finds pnpm-workspace.yaml from a folder below it', async () => {
    const root = await repo();
    await mkdir(join(root, 'a', 'b'), { recursive: true });
    expect(findRepoRoot(join(root, 'a', 'b'))).toBe(root);
  });

  it('says where it looked when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'no-repo-'));
    expect(() => findRepoRoot(dir)).toThrow(`no pnpm-workspace.yaml at or above ${dir}: run gitops inside the repository`);
  });
});

describe('cluster packages', () => {
  it('lists folders with a cluster.ts, sorted, and leaves other folders out', async () => {
    const clusters = join(await repo(), 'clusters');
    await clusterPackage(clusters, 'b-cluster', 'export const cluster = { name: "b-cluster" };\n');
    await clusterPackage(clusters, 'a-cluster', 'export const cluster = { name: "a-cluster" };\n');
    await mkdir(join(clusters, 'notes'), { recursive: true });
    expect((await listClusters(clusters)).map((s) => s.folder)).toEqual(['a-cluster', 'b-cluster']);
  });

  it('loads the compiled spec', async () => {
    const clusters = join(await repo(), 'clusters');
    await clusterPackage(clusters, 'one', 'export const cluster = { name: "one", environment: "dev" };\n');
    const [source] = await listClusters(clusters);
    expect(await loadClusterSpec(source!)).toEqual({ name: 'one', environment: 'dev' });
  });

  it('refuses a package whose name differs from its folder, a missing build and a stale one', async () => {
    const clusters = join(await repo(), 'clusters');
    await clusterPackage(clusters, 'folder', 'export const cluster = { name: "other" };\n');
    const [renamed] = await listClusters(clusters);
    await expect(loadClusterSpec(renamed!)).rejects.toThrow('folder: name ("other") must equal the folder name clusters/folder');

    const dir = join(clusters, 'unbuilt');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'cluster.ts'), '// source\n');
    await expect(loadClusterSpec({ folder: 'unbuilt', dir })).rejects.toThrow(/unbuilt: .*dist\/cluster\.js does not exist; build first/);

    const stale = await clusterPackage(clusters, 'stale', 'export const cluster = { name: "stale" };\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(join(stale, 'dist', 'cluster.js'), old, old);
    await expect(loadClusterSpec({ folder: 'stale', dir: stale })).rejects.toThrow('stale: dist/cluster.js is older than cluster.ts; rebuild (pnpm build)');

    const empty = await clusterPackage(clusters, 'empty', 'export const other = 1;\n');
    await expect(loadClusterSpec({ folder: 'empty', dir: empty })).rejects.toThrow('empty: cluster.ts must export `cluster: ClusterSpec`');
  });
});
