// The `gitops` command line. Each subcommand returns an exit status; errors are printed as the
// sentences the libraries phrase (cluster, object, field), never as stack traces.

import { relative, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ClusterSpecError } from '@milvus-gitops/spec';
import { APPS } from './apps.js';
import { RenderError, renderCluster, writeRendered, type RenderedCluster } from './render.js';
import { findRepoRoot, listClusters, loadClusterSpec } from './workspace.js';

/** Options of `gitops render`. */
export interface RenderOptions {
  /** Render only this cluster. @default every cluster under clusters/ */
  cluster?: string;
  /** Output folder. @default <repo>/rendered */
  out?: string;
  /** Folder holding the cluster packages. @default <repo>/clusters */
  clustersDir?: string;
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Renders clusters; returns the exit status. */
export async function renderCommand(opts: RenderOptions, cwd = process.cwd()): Promise<number> {
  const started = process.hrtime.bigint();
  const root = findRepoRoot(cwd);
  const clustersDir = resolve(cwd, opts.clustersDir ?? resolve(root, 'clusters'));
  const outDir = resolve(cwd, opts.out ?? resolve(root, 'rendered'));
  let sources = await listClusters(clustersDir);
  if (opts.cluster !== undefined) {
    sources = sources.filter((s) => s.folder === opts.cluster);
    if (sources.length === 0) {
      process.stderr.write(`error: no cluster named ${opts.cluster} under ${relative(cwd, clustersDir) || '.'}\n`);
      return 2;
    }
  }
  const rendered: RenderedCluster[] = [];
  const problems: string[] = [];
  for (const source of sources) {
    try {
      rendered.push(renderCluster(await loadClusterSpec(source), APPS));
    } catch (e) {
      if (e instanceof ClusterSpecError || e instanceof RenderError) problems.push(...e.problems);
      else problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.map((p) => `error: ${p}`).join('\n')}\n`);
    process.stderr.write(`render failed: ${problems.length} problem(s); previous output in ${relative(cwd, outDir) || '.'} left untouched\n`);
    return 1;
  }
  await writeRendered(outDir, rendered, opts.cluster === undefined);
  const objects = rendered.reduce((n, c) => n + c.files.length, 0);
  const apps = new Set(rendered.flatMap((c) => c.apps)).size;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `rendered ${plural(rendered.length, 'cluster')}, ${plural(apps, 'app')}, ${plural(objects, 'object')} in ${seconds.toFixed(2)}s -> ${relative(cwd, outDir) || '.'}\n`,
  );
  return 0;
}

/** Builds the command tree; actions store their exit status in `status.code`. */
export function buildProgram(status: { code: number }): Command {
  const program = new Command('gitops')
    .description('Render, validate and publish the Kubernetes manifests of every Milvus cluster')
    .exitOverride()
    .showHelpAfterError();
  program
    .command('render')
    .description('render every cluster (or one) into rendered/<cluster>/<app>/, one object a file')
    .option('-c, --cluster <name>', 'render only this cluster')
    .option('-o, --out <dir>', 'output folder (default: <repo>/rendered)')
    .option('--clusters-dir <dir>', 'folder of cluster packages (default: <repo>/clusters)')
    .action(async (opts: RenderOptions) => {
      status.code = await renderCommand(opts);
    });
  return program;
}

/** Runs the command line; returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const status = { code: 0 };
  try {
    await buildProgram(status).parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
  return status.code;
}
