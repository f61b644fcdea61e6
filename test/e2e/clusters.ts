// The example clusters, discovered: every folder under clusters/ with a cluster.ts, loaded the way
// the CLI loads it. A cluster added to the repository is tested without editing any test; one the
// build has not compiled yet is transpiled here first.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listClusters, loadClusterSpec } from '@milvus-gitops/cli';
import type { ClusterSpec } from '@milvus-gitops/spec';
import { REPO } from './helpers.js';

const sources = await listClusters(join(REPO, 'clusters'));
for (const s of sources) {
  const built = join(s.dir, 'dist', 'cluster.js');
  if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(s.dir, 'cluster.ts')).mtimeMs) {
    execFileSync(process.execPath, [join(REPO, 'tools', 'tsconfig', 'transpile.mjs'), s.dir]);
  }
}

export const EXAMPLES: Readonly<Record<string, ClusterSpec>> = Object.fromEntries(
  await Promise.all(sources.map(async (s) => [s.folder, await loadClusterSpec(s)] as const)),
);

/** How many clusters the repository has. */
export const CLUSTER_COUNT = Object.keys(EXAMPLES).length;
