// Rendering: a ClusterSpec in, the files of rendered/<cluster>/ out. Pure up to `writeRendered`,
// which swaps the new output in atomically and leaves the previous render untouched on failure.

import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { appsFor, describeObject, synthCluster, type AppDefinition, type Manifest } from '@milvus-gitops/core';
import { clusterProvisions, resolveClusterSpec, type ClusterSpec, type Provision } from '@milvus-gitops/spec';
import { fileNameOf, toYaml } from './serialize.js';

/** One rendered file. */
export interface RenderedFile {
  /** Path relative to rendered/<cluster>/, e.g. `milvus/configmap-milvus-milvus-config.yaml`. */
  readonly path: string;
  readonly content: string;
  readonly object: Manifest;
}

/** Everything rendered for one cluster. */
export interface RenderedCluster {
  readonly cluster: string;
  /** Kubernetes minor of the cluster (what its objects are validated against). */
  readonly kubernetesVersion: string;
  /** The schemas accepted in place of the cluster's own where the source lacks them (kubernetes.schemaVersion). */
  readonly schemaVersion?: string;
  readonly apps: readonly string[];
  readonly files: readonly RenderedFile[];
  /** What the readiness rules judge the files with: what the cluster has from outside its render, its Milvus release. */
  readonly facts: { readonly provided: readonly Provision[]; readonly milvusVersion: string; readonly provisioner: 'karpenter' | 'cluster-autoscaler' };
}

/** A problem that stops a render, already phrased for the person running it. */
export class RenderError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'RenderError';
  }
}

/** Validates a spec and synthesizes every app for it; throws RenderError listing what is wrong. */
export function renderCluster(input: ClusterSpec, apps: readonly AppDefinition[]): RenderedCluster {
  const spec = resolveClusterSpec(input);
  const files: RenderedFile[] = [];
  const problems: string[] = [];
  const selected = appsFor(apps, spec);
  // One cdk8s App for the cluster, one Chart per app: each app's objects go to its own folder.
  for (const result of synthCluster(selected, spec)) {
    if ('errors' in result) {
      problems.push(`${spec.name}: app ${result.app}: ${result.errors.join('; ')}`);
      continue;
    }
    const seen = new Map<string, Manifest>();
    for (const object of result.objects) {
      const path = `${result.app}/${fileNameOf(object)}`;
      const clash = seen.get(path);
      if (clash) {
        problems.push(`${spec.name}: app ${result.app}: ${describeObject(object)} and ${describeObject(clash)} both render to ${path}`);
        continue;
      }
      seen.set(path, object);
      files.push({ path, content: toYaml(object), object });
    }
  }
  if (problems.length > 0) throw new RenderError(problems);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    cluster: spec.name,
    kubernetesVersion: spec.kubernetes.version,
    ...(spec.kubernetes.schemaVersion ? { schemaVersion: spec.kubernetes.schemaVersion } : {}),
    apps: selected.map((a) => a.name),
    files,
    facts: { provided: clusterProvisions(spec), milvusVersion: spec.milvus.version, provisioner: spec.nodes.provisioner },
  };
}

async function writeTree(dir: string, rendered: RenderedCluster): Promise<void> {
  for (const app of rendered.apps) await mkdir(join(dir, app), { recursive: true });
  await Promise.all(rendered.files.map((f) => writeFile(join(dir, f.path), f.content)));
}

/** Moves `staged` to `target`, keeping the previous `target` until the new one is in place. */
async function swapIn(staged: string, target: string): Promise<void> {
  const old = `${staged}.old`;
  let hadOld = true;
  try {
    await rename(target, old);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    hadOld = false;
  }
  try {
    await rename(staged, target);
  } catch (e) {
    if (hadOld) await rename(old, target);
    throw e;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/**
 * Writes rendered clusters under `outDir`. With `replaceAll`, `outDir` as a whole is replaced (a
 * removed cluster disappears); otherwise only `outDir/<cluster>` of each given cluster is.
 * Everything is staged beside the target first, so a failure never leaves a half-written tree.
 */
export async function writeRendered(outDir: string, clusters: readonly RenderedCluster[], replaceAll: boolean): Promise<void> {
  const parent = replaceAll ? dirname(outDir) : outDir;
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(outDir)}-staging-`));
  try {
    if (replaceAll) {
      const root = join(staging, 'tree');
      await mkdir(root);
      for (const c of clusters) await writeTree(join(root, c.cluster), c);
      await swapIn(root, outDir);
    } else {
      for (const c of clusters) {
        await writeTree(join(staging, c.cluster), c);
        await swapIn(join(staging, c.cluster), join(outDir, c.cluster));
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
