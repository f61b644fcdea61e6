// The example clusters of clusters/, their synthesized stacks and their renders, for the
// cross-layer tests.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APPS, listClusters, loadClusterSpec, renderCluster } from '@milvus-gitops/cli';
import type { ClusterSpec } from '@milvus-gitops/spec';
import { readStack, synthStacks } from '../src/index.js';

type Obj = Record<string, any>;
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every cluster under clusters/, with its synthesized stack. */
export async function loadExamples(): Promise<{ specs: Record<string, ClusterSpec>; stacks: Record<string, Obj> }> {
  const specs: Record<string, ClusterSpec> = {};
  const stacks: Record<string, Obj> = {};
  for (const source of await listClusters(join(REPO, 'clusters'))) specs[source.folder] = await loadClusterSpec(source);
  const files = synthStacks(Object.values(specs), await mkdtemp(join(tmpdir(), 'cdktf-')));
  for (const [name, file] of Object.entries(files)) stacks[name] = await readStack(file);
  return { specs, stacks };
}

/** The objects `gitops render` writes for a cluster, as plain data. */
export const renderedObjects = <T>(spec: ClusterSpec): T[] => renderCluster(spec, APPS).files.map((f) => structuredClone(f.object) as unknown as T);
