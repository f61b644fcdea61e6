// The repository's example clusters (every folder under clusters/ with a cluster.ts), imported
// from their sources, by folder name.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterSpec } from '../src/index.js';

const clustersDir = new URL('../../../clusters/', import.meta.url).pathname;

export const EXAMPLES: readonly (readonly [string, ClusterSpec])[] = await Promise.all(
  readdirSync(clustersDir)
    .filter((d) => existsSync(join(clustersDir, d, 'cluster.ts')))
    .sort()
    .map(async (d) => [d, ((await import(join(clustersDir, d, 'cluster.ts'))) as { cluster: ClusterSpec }).cluster] as const),
);
