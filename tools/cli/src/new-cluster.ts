// `gitops new-cluster NAME --from EXISTING`: writes clusters/NAME/ from an existing cluster, so that
// adding a cluster is one command and one file to edit. The package files are derived from the
// name alone; cluster.ts is the source cluster's with its name replaced, for the author to adjust.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DNS_LABEL } from '@milvus-gitops/spec';

/** Options of {@link newCluster}. */
export interface NewClusterOptions {
  /** Folder of cluster packages (the repository's `clusters/`). */
  readonly clustersDir: string;
  /** Name of the new cluster; also its folder name. */
  readonly name: string;
  /** Existing cluster whose cluster.ts is the starting point. */
  readonly from: string;
}

/** The files of a cluster package, keyed by name: everything but cluster.ts follows from the name. */
export function clusterPackageFiles(name: string, clusterTs: string): Record<string, string> {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'cluster.ts': clusterTs,
    'package.json': json({
      name: `@milvus-gitops/cluster-${name}`,
      version: '0.0.0',
      private: true,
      description: `ClusterSpec of ${name}`,
      type: 'module',
      exports: { '.': { types: './cluster.ts', default: './dist/cluster.js' } },
      scripts: {
        build: 'node ../../tools/tsconfig/transpile.mjs',
        typecheck: 'tsc -p tsconfig.json --noEmit',
        // Type-checked on every render (turbo caches it): a type error names file, line and column.
        // Incremental (its own build info, which nothing else writes): an edit of cluster.ts
        // re-checks that file, not the spec's sources it imports.
        render: `tsc -p tsconfig.json --noEmit --incremental --tsBuildInfoFile node_modules/.cache/tsc/render.tsbuildinfo && node ../../tools/tsconfig/transpile.mjs && gitops render --cluster ${name}`,
      },
      // Workspace packages only: `pnpm install --offline` links a new cluster without the registry.
      devDependencies: {
        '@milvus-gitops/cli': 'workspace:*',
        '@milvus-gitops/spec': 'workspace:*',
        '@milvus-gitops/tsconfig': 'workspace:*',
      },
    }),
    // No Node types: cluster.ts is data, and imports the ClusterSpec type from
    // `@milvus-gitops/spec/cluster-spec` (the declaration alone, not the library), so its type
    // check reads the fewest files (about a second less per render of the cluster).
    'tsconfig.json': json({ extends: '../../tools/tsconfig/base.json', compilerOptions: { noEmit: true, types: [] }, include: ['cluster.ts'] }),
    'turbo.json': json({
      $schema: 'https://turbo.build/schema.json',
      extends: ['//'],
      tasks: {
        build: { dependsOn: [], inputs: ['cluster.ts', 'tsconfig.json', 'package.json'], outputs: ['dist/**'] },
        render: { outputs: ['dist/**', `$TURBO_ROOT$/rendered/${name}/**`] },
      },
    }),
  };
}

/**
 * Writes clusters/NAME/ from clusters/FROM/ (the folder appears whole or not at all) and returns the
 * paths written. Refuses a bad name, an existing folder and an unknown source.
 */
export async function newCluster(opts: NewClusterOptions): Promise<string[]> {
  const { clustersDir, name, from } = opts;
  if (!DNS_LABEL.test(name)) {
    throw new Error(`new-cluster: "${name}" is not a cluster name: a lowercase DNS label (a-z, 0-9, "-"), starting with a letter`);
  }
  const target = join(clustersDir, name);
  if (existsSync(target)) throw new Error(`new-cluster: ${target} already exists`);
  const source = join(clustersDir, from, 'cluster.ts');
  if (!existsSync(source)) throw new Error(`new-cluster: no cluster named ${from} (no ${source})`);
  const text = (await readFile(source, 'utf8')).split(from).join(name);
  const files = clusterPackageFiles(name, text);
  const staging = join(clustersDir, `.${name}.new-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    await mkdir(staging, { recursive: true });
    for (const [file, content] of Object.entries(files)) await writeFile(join(staging, file), content);
    await rename(staging, target);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  return Object.keys(files).map((f) => join(target, f));
}
