// The `gitops` command line. Each subcommand returns an exit status; errors are printed as the
// sentences the libraries phrase (cluster, object, field), never as stack traces.

import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Manifest } from '@milvus-gitops/core';
import { pullPinnedFiles, type SchemaSource } from '@milvus-gitops/k8s-schema';
import { parse as parseYaml } from 'yaml';
import { Command, CommanderError, Option } from 'commander';
import { ClusterSpecError, resolveClusterSpec } from '@milvus-gitops/spec';
import { APPS } from './apps.js';
import { diffTrees, formatMarkdown, formatText, readRenderedTree, renderRef } from './diff.js';
import { publish, PublishError } from './publish.js';
import { RenderError, renderCluster, writeRendered, type RenderedCluster } from './render.js';
import { formatS3Report, s3Check, S3CheckError } from './s3-check.js';
import { findRepoRoot, listClusters, loadClusterSpec } from './workspace.js';
import { formatFailure, resolveSchemaSource, validateCluster, validateRenderedDir, validatorFor, type ValidationFailure } from './validation.js';

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Options of `gitops render`. */
export interface RenderOptions {
  /** Render only this cluster. @default every cluster under clusters/ */
  cluster?: string;
  /** Output folder. @default <repo>/rendered */
  out?: string;
  /** Folder holding the cluster packages. @default <repo>/clusters */
  clustersDir?: string;
  /** Schema folder or `upstream`. @default see resolveSchemaSource */
  schemas?: string;
  /** Validate before writing (false with --no-validate). @default true */
  validate?: boolean;
}

/**
 * Renders the clusters of a folder in memory and validates every object (schemas, CEL rules,
 * policies) unless `source` is undefined; returns what rendered and every problem.
 */
async function renderAll(
  clustersDir: string,
  only: string | undefined,
  source: SchemaSource | undefined,
): Promise<{ rendered: RenderedCluster[]; problems: string[]; unknown: boolean }> {
  let sources = await listClusters(clustersDir);
  if (only !== undefined) sources = sources.filter((s) => s.folder === only);
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
  if (source && problems.length === 0) {
    const validator = await validatorFor(source);
    for (const c of rendered) {
      const files = c.files.map((f) => ({ file: `${c.cluster}/${f.path}`, object: f.object }));
      problems.push(...validateCluster(validator, c.kubernetesVersion, files).map(formatFailure));
    }
  }
  return { rendered, problems, unknown: only !== undefined && sources.length === 0 };
}

/** Renders clusters; returns the exit status. */
export async function renderCommand(opts: RenderOptions, cwd = process.cwd()): Promise<number> {
  const started = process.hrtime.bigint();
  const root = findRepoRoot(cwd);
  const clustersDir = resolve(cwd, opts.clustersDir ?? resolve(root, 'clusters'));
  const outDir = resolve(cwd, opts.out ?? resolve(root, 'rendered'));
  const source = opts.validate === false ? undefined : resolveSchemaSource(root, opts.schemas);
  const { rendered, problems, unknown } = await renderAll(clustersDir, opts.cluster, source);
  if (unknown) {
    process.stderr.write(`error: no cluster named ${opts.cluster} under ${relative(cwd, clustersDir) || '.'}\n`);
    return 2;
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

/** Options of `gitops publish`. */
export interface PublishCommandOptions {
  remote: string;
  branch: string;
  renderedDir?: string;
  allowDirty?: boolean;
  schemas?: string;
}

/** Publishes rendered/ to the rendered branch; returns the exit status. */
export async function publishCommand(opts: PublishCommandOptions, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  try {
    const r = await publish({
      repo: root,
      renderedDir: resolve(cwd, opts.renderedDir ?? join(root, 'rendered')),
      remote: opts.remote,
      branch: opts.branch,
      allowDirty: opts.allowDirty ?? false,
      check: async (dir) => {
        const { failures } = await validateRenderedDir(dir, { root, source: resolveSchemaSource(root, opts.schemas) });
        return failures.map(formatFailure);
      },
    });
    const short = r.commit.slice(0, 12);
    process.stdout.write(
      r.status === 'published'
        ? `published ${short} to ${opts.remote}/${opts.branch} (source ${r.sourceCommit.slice(0, 12)}, ${plural(r.attempts, 'push')})\n`
        : `${opts.remote}/${opts.branch} already holds this render at ${short}; nothing to publish\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof PublishError) {
      process.stderr.write(`error: publish: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** Options of `gitops validate`. */
export interface ValidateOptions {
  /** Schema folder or `upstream`. */
  schemas?: string;
  /** Kubernetes minor for objects outside a known cluster. */
  kubeVersion?: string;
}

/** Validates rendered/ (or the given folders and files); exit 1 on any failure. */
export async function validateCommand(paths: readonly string[], opts: ValidateOptions, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  const started = process.hrtime.bigint();
  const source = resolveSchemaSource(root, opts.schemas);
  const targets = paths.length > 0 ? paths.map((p) => resolve(cwd, p)) : [join(root, 'rendered')];
  const failures: ValidationFailure[] = [];
  let objects = 0;
  let clusters = 0;
  for (const target of targets) {
    if (!existsSync(target)) {
      process.stderr.write(`error: ${relative(cwd, target) || target} does not exist${paths.length === 0 ? '; run gitops render first' : ''}\n`);
      return 2;
    }
    if ((await stat(target)).isDirectory()) {
      // A cluster folder holds app folders of .yaml files; anything else is a rendered root.
      const entries = await readdir(target, { withFileTypes: true });
      const isCluster = entries.some((e) => e.isDirectory() && readdirSync(join(target, e.name)).some((f) => f.endsWith('.yaml')));
      const r = await validateRenderedDir(isCluster ? dirname(target) : target, {
        root,
        source,
        kubeVersion: opts.kubeVersion,
        only: isCluster ? basename(target) : undefined,
      });
      failures.push(...r.failures);
      for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
      objects += r.objects;
      clusters += r.clusters;
    } else {
      const validator = await validatorFor(source);
      const object = parseYaml(await readFile(target, 'utf8')) as Manifest;
      failures.push(...validateCluster(validator, opts.kubeVersion ?? validator.floor, [{ file: relative(cwd, target), object }], false));
      objects += 1;
    }
  }
  for (const f of failures) process.stdout.write(`${formatFailure(f)}\n`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `validated ${plural(objects, 'object')} in ${plural(clusters, 'cluster')} against ${source.describe}: ${plural(failures.length, 'failure')} (${seconds.toFixed(2)}s)\n`,
  );
  return failures.length > 0 ? 1 : 0;
}

/** Options of `gitops s3-check`. */
export interface S3CheckCommandOptions {
  cluster: string;
  endpoint?: string;
  format: 'table' | 'json';
}

/** Checks a cluster's bucket: exit 0 all good, 1 a posture check failed, 2 the check could not run. */
export async function s3CheckCommand(opts: S3CheckCommandOptions, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  const source = (await listClusters(join(root, 'clusters'))).find((c) => c.folder === opts.cluster);
  if (!source) {
    process.stderr.write(`error: no cluster named ${opts.cluster} under clusters/\n`);
    return 2;
  }
  try {
    const spec = resolveClusterSpec(await loadClusterSpec(source));
    const report = await s3Check(spec, { endpoint: opts.endpoint });
    process.stdout.write(opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatS3Report(report));
    return report.posture.some((p) => p.status === 'fail') ? 1 : 0;
  } catch (e) {
    if (e instanceof S3CheckError || e instanceof ClusterSpecError) {
      process.stderr.write(`error: s3-check ${opts.cluster}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** Options of `gitops diff`. */
export interface DiffOptions {
  /** Git ref whose render is the base. */
  base?: string;
  /** A rendered folder to use as the base instead of rendering a ref. */
  baseDir?: string;
  /** A rendered folder to use as the head. @default a fresh render of the working tree */
  headDir?: string;
  /** Output format. */
  format: 'text' | 'markdown';
  /** Also write the report to this file (e.g. for a pull-request comment). @default none */
  output?: string;
}

/** Diffs base and head renders; exit 0 when nothing changed, 1 when something did, 2 on error. */
export async function diffCommand(opts: DiffOptions, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  if (!opts.base && !opts.baseDir) {
    process.stderr.write('error: diff needs --base <ref> or --base-dir <dir>\n');
    return 2;
  }
  const scratch = await mkdtemp(join(tmpdir(), 'gitops-diff-'));
  try {
    const baseDir = opts.baseDir ? resolve(cwd, opts.baseDir) : join(scratch, 'base');
    if (!opts.baseDir) await renderRef(root, opts.base!, baseDir);
    const headDir = opts.headDir ? resolve(cwd, opts.headDir) : join(scratch, 'head');
    if (!opts.headDir) {
      const { rendered, problems } = await renderAll(join(root, 'clusters'), undefined, undefined);
      if (problems.length > 0) {
        process.stderr.write(`${problems.map((p) => `error: ${p}`).join('\n')}\ndiff: the working tree does not render\n`);
        return 2;
      }
      await writeRendered(headDir, rendered, true);
    }
    const base = await readRenderedTree(baseDir);
    const head = await readRenderedTree(headDir);
    const clusters = new Set([...Object.keys(base), ...Object.keys(head)].map((p) => p.split('/')[0])).size;
    const diffs = diffTrees(base, head);
    const label = opts.base ?? relative(cwd, baseDir);
    const report = opts.format === 'markdown' ? formatMarkdown(diffs, clusters, label) : formatText(diffs, clusters);
    process.stdout.write(report);
    if (opts.output) await writeFile(resolve(cwd, opts.output), report);
    return diffs.length > 0 ? 1 : 0;
  } catch (e) {
    process.stderr.write(`error: diff: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Builds the command tree; actions store their exit status in `status.code`. */
export function buildProgram(status: { code: number }): Command {
  const program = new Command('gitops')
    .description('Render, diff and publish the Kubernetes manifests of every Milvus cluster')
    .exitOverride()
    .showHelpAfterError();
  program
    .command('render')
    .description('render every cluster (or one) into rendered/<cluster>/<app>/, one object a file')
    .option('-c, --cluster <name>', 'render only this cluster')
    .option('-o, --out <dir>', 'output folder (default: <repo>/rendered)')
    .option('--clusters-dir <dir>', 'folder of cluster packages (default: <repo>/clusters)')
    .option('--schemas <dir>', 'schema folder, or "upstream" (default: ../shared/schemas if present)')
    .option('--no-validate', 'write the output without validating it (not for CI)')
    .action(async (opts: RenderOptions) => {
      status.code = await renderCommand(opts);
    });
  program
    .command('validate')
    .description('validate rendered/ (or given folders and files): schemas, CEL rules and policies; exit 1 on any failure')
    .argument('[paths...]', 'rendered folders or files (default: <repo>/rendered)')
    .option('--schemas <dir>', 'schema folder laid out like the mirror, or "upstream" (default: ../shared/schemas if present)')
    .option('--kube-version <minor>', 'Kubernetes minor for objects outside a known cluster (default: 1.29)')
    .action(async (paths: string[], opts: ValidateOptions) => {
      status.code = await validateCommand(paths, opts);
    });
  program
    .command('s3-check')
    .description("report the posture of a cluster's bucket and what Milvus stores in it; exit 1 if a check fails")
    .requiredOption('-c, --cluster <name>', 'the cluster whose bucket to check')
    .option('--endpoint <url>', 'S3 endpoint (an S3-compatible server); credentials come from the AWS SDK chain')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts: S3CheckCommandOptions) => {
      status.code = await s3CheckCommand(opts);
    });
  program
    .command('schemas-pull')
    .description('download the pinned upstream schemas, verified by SHA-256, into a mirror folder')
    .argument('<dir>', 'folder to write (e.g. ../shared/schemas)')
    .action(async (dir: string) => {
      const n = await pullPinnedFiles(resolve(dir));
      process.stdout.write(`wrote ${plural(n, 'verified schema file')} to ${dir}\n`);
      status.code = 0;
    });
  program
    .command('diff')
    .description('compare the render of a base ref with the working tree; exit 1 when anything changed')
    .option('-b, --base <ref>', 'git ref to render as the base (in a temporary worktree)')
    .option('--base-dir <dir>', 'an already rendered folder to use as the base')
    .option('--head-dir <dir>', 'an already rendered folder to use as the head (default: render the working tree)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'markdown']).default('text'))
    .option('--output <file>', 'also write the report to this file')
    .action(async (opts: DiffOptions) => {
      status.code = await diffCommand(opts);
    });
  program
    .command('publish')
    .description('commit rendered/ as the tree of branch "rendered" and push it (no checkout)')
    .option('--remote <name>', 'remote to push to', 'origin')
    .option('--branch <name>', 'branch to commit to', 'rendered')
    .option('--rendered-dir <dir>', 'folder to publish (default: <repo>/rendered)')
    .option('--allow-dirty', 'publish although the source has uncommitted changes')
    .option('--schemas <dir>', 'schema folder, or "upstream" (default: ../shared/schemas if present)')
    .action(async (opts: PublishCommandOptions) => {
      status.code = await publishCommand(opts);
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
