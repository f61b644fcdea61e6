// Finding the repository and its clusters: every folder under clusters/ is a workspace package
// whose compiled cluster.js exports `cluster: ClusterSpec`.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClusterSpec } from '@milvus-gitops/spec';

/** The nearest folder at or above `start` holding pnpm-workspace.yaml. */
export function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no pnpm-workspace.yaml at or above ${start}: run gitops inside the repository`);
    dir = up;
  }
}

/** A cluster package found on disk. */
export interface ClusterSource {
  /** Folder name under clusters/ (must equal the spec's name). */
  readonly folder: string;
  readonly dir: string;
}

/** Cluster folders under `clustersDir`, sorted by name (read synchronously: a handful of entries). */
export async function listClusters(clustersDir: string): Promise<ClusterSource[]> {
  const entries = readdirSync(clustersDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(join(clustersDir, e.name, 'cluster.ts')))
    .map((e) => ({ folder: e.name, dir: join(clustersDir, e.name) }))
    .sort((a, b) => (a.folder < b.folder ? -1 : 1));
}

/** Loads the compiled spec of a cluster package; fails if it is missing or older than cluster.ts. */
export async function loadClusterSpec(source: ClusterSource): Promise<ClusterSpec> {
  const compiled = join(source.dir, 'dist', 'cluster.js');
  const sourceFile = join(source.dir, 'cluster.ts');
  if (!existsSync(compiled)) {
    throw new Error(`${source.folder}: ${compiled} does not exist; build first (pnpm build, or pnpm gitops which builds)`);
  }
  const built = statSync(compiled).mtimeMs;
  if (built < statSync(sourceFile).mtimeMs) {
    throw new Error(`${source.folder}: dist/cluster.js is older than cluster.ts; rebuild (pnpm build)`);
  }
  // The query keys the module cache on the build, so a long-lived process sees a rebuilt spec.
  const mod = (await import(`${pathToFileURL(compiled).href}?built=${built}`)) as { cluster?: ClusterSpec };
  if (mod.cluster === undefined) throw new Error(`${source.folder}: cluster.ts must export \`cluster: ClusterSpec\``);
  if (mod.cluster.name !== source.folder) {
    throw new Error(`${source.folder}: name ("${String(mod.cluster.name)}") must equal the folder name clusters/${source.folder}`);
  }
  return mod.cluster;
}
