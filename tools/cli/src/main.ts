// The `gitops` command line. Each subcommand returns an exit status; errors are printed as the
// sentences the libraries phrase (cluster, object, field), never as stack traces.

import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchemaSource } from '@milvus-gitops/k8s-schema';
import type { ClusterSpec, ResolvedClusterSpec } from '@milvus-gitops/spec';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { RenderedCluster } from './render.js';
import type { renderModules as RenderModulesValue } from './render-modules.js';
import { findRepoRoot, listClusters, loadClusterSpec } from './workspace.js';
import {
  formatFailure,
  PARALLEL_MIN_FILES,
  resolveSchemaLocation,
  resolveSchemaSource,
  schemaMinorFor,
  schemaSourceAt,
  validateCluster,
  validatePaths,
  validatorFor,
} from './validation.js';
import { formatProblem } from './inputs.js';
import { PROFILES } from './replay/profiles.js';

// Rendering, diffing, publishing and S3 load cdk8s, every app and the AWS SDK: each command
// imports what it needs when it runs, so that `validate` starts in a fraction of the time. What
// rendering needs is one module (render-modules.ts); run from the launcher (bin/gitops.js), its
// bundle is compiled with V8's code cache like the command's own, else it is imported file by file.
type RenderModules = typeof RenderModulesValue;
type CommonJsLoader = (file: string) => Record<string, unknown>;
const renderModules = async (): Promise<RenderModules> => {
  const load = (globalThis as { __gitopsLoadCommonJs?: CommonJsLoader }).__gitopsLoadCommonJs;
  const bundle = fileURLToPath(new URL('./render-modules.bundle.cjs', import.meta.url));
  if (load && existsSync(bundle)) return load(bundle).renderModules as RenderModules;
  return (await import('./render-modules.js')).renderModules;
};

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
  const { ClusterSpecError, RenderError, renderCluster, APPS, resolveClusterSpec, validateFleet } = await renderModules();
  const all = await listClusters(clustersDir);
  const sources = only === undefined ? all : all.filter((s) => s.folder === only);
  const rendered: RenderedCluster[] = [];
  const problems: string[] = [];
  // Rules across clusters (one bucket each, environments in their own accounts) hold for every
  // render, one cluster's too: the repository as a whole is wrong. A spec that does not resolve is
  // reported by its own render below.
  const fleet = [];
  for (const s of all) {
    try {
      fleet.push(resolveClusterSpec(await loadClusterSpec(s)));
    } catch {
      // reported below, where the cluster renders
    }
  }
  problems.push(...validateFleet(fleet));
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
      const chosen = schemaMinorFor(validator, c.cluster, { version: c.kubernetesVersion, schemaVersion: c.schemaVersion });
      if ('problem' in chosen) {
        problems.push(chosen.problem);
        continue;
      }
      const files = c.files.map((f) => ({ file: `${c.cluster}/${f.path}`, object: f.object }));
      problems.push(...validateCluster(validator, chosen.minor, files, c.facts).map(formatFailure));
    }
    validator.saveCodeCache();
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
  await (await renderModules()).writeRendered(outDir, rendered, opts.cluster === undefined);
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

/**
 * How `dir` differs from a fresh render of the source (which publish holds to be HEAD): a stale or
 * hand-edited render must not be published under a Source-Commit that did not produce it.
 */
async function staleness(root: string, dir: string): Promise<string[]> {
  const { readRenderedTree } = await import('./diff.js');
  const { rendered, problems } = await renderAll(join(root, 'clusters'), undefined, undefined);
  if (problems.length > 0) return problems.map((p) => `the source does not render: ${p}`);
  const scratch = await mkdtemp(join(tmpdir(), 'gitops-fresh-'));
  try {
    await (await renderModules()).writeRendered(join(scratch, 'r'), rendered, true);
    const [fresh, given] = await Promise.all([readRenderedTree(join(scratch, 'r')), readRenderedTree(dir)]);
    const files = [...new Set([...Object.keys(fresh), ...Object.keys(given)])].sort().filter((f) => fresh[f] !== given[f]);
    const what = (f: string) =>
      fresh[f] === undefined ? 'is not in the render of the source' : given[f] === undefined ? 'is missing' : 'differs from the render of the source';
    return files.length === 0
      ? []
      : [
          `${relative(root, dir) || dir} is not the render of the source (${files.length} file${files.length === 1 ? '' : 's'}); run gitops render, then publish:`,
          ...files.slice(0, 10).map((f) => `  ${f} ${what(f)}`),
          ...(files.length > 10 ? [`  and ${files.length - 10} more`] : []),
        ];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Publishes rendered/ to the rendered branch; returns the exit status. */
export async function publishCommand(opts: PublishCommandOptions, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  const { publish, PublishError } = await import('./publish.js');
  try {
    const r = await publish({
      repo: root,
      renderedDir: resolve(cwd, opts.renderedDir ?? join(root, 'rendered')),
      remote: opts.remote,
      branch: opts.branch,
      allowDirty: opts.allowDirty ?? false,
      check: async (dir) => {
        const stale = await staleness(root, dir);
        if (stale.length > 0) return stale;
        const { failures, problems } = await validatePaths([dir], { root, schemas: opts.schemas });
        return [...problems.map(formatProblem), ...failures.map(formatFailure)];
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
  /** Schema folder or `upstream`. @default the mirror beside the repository, else upstream */
  schemas?: string;
  /** Kubernetes minor for objects outside a known cluster. @default 1.29 (the schemas' floor) */
  kubeVersion?: string;
  /** Compile cache folder; false (`--no-cache`) compiles in memory. @default true: $GITOPS_CACHE_DIR or ~/.cache/milvus-gitops */
  cache?: string | boolean;
  /** Worker threads. @default the cores available for large inputs */
  workers?: number;
}

/**
 * Validates rendered/ (or the given files, folders and `-`): exit 0 when every object passed, 1 on
 * any failure, 2 when some input could not be read or nothing was found to validate.
 */
export async function validateCommand(paths: readonly string[], opts: ValidateOptions, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  const started = process.hrtime.bigint();
  const targets = paths.length > 0 ? paths : [join(root, 'rendered')];
  const r = await validatePaths(targets, {
    root,
    cwd,
    schemas: opts.schemas,
    kubeVersion: opts.kubeVersion,
    cacheDir: opts.cache === true ? undefined : opts.cache,
    workers: opts.workers,
  });
  for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
  for (const p of r.problems)
    process.stderr.write(`error: ${formatProblem(p)}${paths.length === 0 && /no such file/.test(p.message) ? '; run gitops render first' : ''}\n`);
  for (const f of r.failures) process.stdout.write(`${formatFailure(f)}\n`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const where = [
    r.clusters > 0 || r.outside === 0 ? `in ${plural(r.clusters, 'cluster')}` : '',
    r.outside > 0 ? `${r.clusters > 0 ? 'and ' : ''}${r.outside} outside any cluster (Kubernetes ${r.outsideVersion})` : '',
  ]
    .filter(Boolean)
    .join(' ');
  process.stdout.write(
    `validated ${plural(r.objects, 'object')} ${where} against ${r.source}: ${plural(r.failures.length, 'failure')}${r.problems.length ? `, ${plural(r.problems.length, 'unreadable input')}` : ''} (${seconds.toFixed(2)}s)\n`,
  );
  if (r.problems.length > 0) return 2;
  return r.failures.length > 0 ? 1 : 0;
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
  const [{ ClusterSpecError, resolveClusterSpec }, { formatS3Report, s3Check, S3CheckError }] = await Promise.all([
    import('@milvus-gitops/spec'),
    import('./s3-check.js'),
  ]);
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
  /** Synthesized infrastructure (`infra synth --out`) of the base, with --base-dir. @default synthesized from --base, else none */
  baseInfra?: string;
  /** Synthesized infrastructure of the head, with --head-dir. @default synthesized from the working tree, else none */
  headInfra?: string;
}

/**
 * Diffs base and head renders and their infrastructure, risky changes first; exit 0 when nothing
 * changed, 1 when something did, 2 on error, 3 when a risky change is an error (it would lose data
 * or fail as it stands).
 */
export async function diffCommand(opts: DiffOptions, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  if (!opts.base && !opts.baseDir) {
    process.stderr.write('error: diff needs --base <ref> or --base-dir <dir>\n');
    return 2;
  }
  const { diffTrees, formatMarkdown, formatText, readRenderedTree, renderRef, listKeysOf, DEFAULT_LIST_KEYS } = await import('./diff.js');
  const { diffStacks, formatRisksMarkdown, formatRisksText, readStacks, riskyChanges } = await import('./risk.js');
  // Keyed lists as the schema declares them; the built-in table where no schema folder is at hand.
  const listKeysFor = async (repo: string) => {
    const location = resolveSchemaLocation(repo);
    if (location === 'upstream') return DEFAULT_LIST_KEYS;
    const source = schemaSourceAt(location);
    const [floor] = await source.kubernetesVersions();
    return floor
      ? listKeysOf((JSON.parse(await source.kubernetesDefinitions(floor)) as { definitions: Parameters<typeof listKeysOf>[0] }).definitions)
      : DEFAULT_LIST_KEYS;
  };
  const scratch = await mkdtemp(join(tmpdir(), 'gitops-diff-'));
  try {
    const baseDir = opts.baseDir ? resolve(cwd, opts.baseDir) : join(scratch, 'base');
    let baseInfra = opts.baseInfra ? resolve(cwd, opts.baseInfra) : undefined;
    if (!opts.baseDir) {
      baseInfra ??= join(scratch, 'base-infra');
      await renderRef(root, opts.base!, baseDir, baseInfra);
    }
    let headInfra = opts.headInfra ? resolve(cwd, opts.headInfra) : undefined;
    if (!opts.headDir && !headInfra && existsSync(join(root, 'tools/infra/bin/infra.js'))) {
      headInfra = join(scratch, 'head-infra');
      const [{ execFile }, { promisify }] = await Promise.all([import('node:child_process'), import('node:util')]);
      await promisify(execFile)(process.execPath, [join(root, 'tools/infra/bin/infra.js'), 'synth', '--out', headInfra], { cwd: root, maxBuffer: 64 << 20 });
    }
    const headDir = opts.headDir ? resolve(cwd, opts.headDir) : join(scratch, 'head');
    if (!opts.headDir) {
      const { rendered, problems } = await renderAll(join(root, 'clusters'), undefined, undefined);
      if (problems.length > 0) {
        process.stderr.write(`${problems.map((p) => `error: ${p}`).join('\n')}\ndiff: the working tree does not render\n`);
        return 2;
      }
      await (await renderModules()).writeRendered(headDir, rendered, true);
    }
    const base = await readRenderedTree(baseDir);
    const head = await readRenderedTree(headDir);
    const clusters = new Set([...Object.keys(base), ...Object.keys(head)].map((p) => p.split('/')[0])).size;
    const diffs = diffTrees(base, head, await listKeysFor(root));
    const stacks = baseInfra && headInfra ? diffStacks(await readStacks(baseInfra), await readStacks(headInfra)) : [];
    // The head's specs say which cluster is production and which risky errors the change acknowledges.
    const heads = new Map<string, ClusterSpec>();
    for (const s of await listClusters(join(root, 'clusters')).catch(() => [])) {
      const spec = await loadClusterSpec(s).catch(() => undefined);
      if (spec) heads.set(s.folder, spec);
    }
    const risks = riskyChanges(
      base,
      head,
      stacks,
      (c) => heads.get(c)?.environment,
      (c) => heads.get(c)?.acknowledgedRisks ?? {},
    );
    // What the change does to capacity: the spike replay of base and head, under the head's spec.
    const { replayDeltas, formatReplayDeltasMarkdown, formatReplayDeltasText } = await import('./replay/diff.js');
    const { resolveClusterSpec } = await import('@milvus-gitops/spec');
    const resolved = new Map<string, ResolvedClusterSpec>();
    for (const [name, spec] of heads) {
      try {
        resolved.set(name, resolveClusterSpec(spec));
      } catch {
        // a spec that does not resolve has failed the render above
      }
    }
    const deltas = replayDeltas(diffs, base, head, resolved);
    const label = opts.base ?? relative(cwd, baseDir);
    const report =
      opts.format === 'markdown'
        ? formatMarkdown(diffs, clusters, label).replace(/\n/, `\n\n${formatRisksMarkdown(risks, stacks)}${formatReplayDeltasMarkdown(deltas)}`)
        : `${formatRisksText(risks, stacks)}${formatReplayDeltasText(deltas)}${formatText(diffs, clusters)}`;
    process.stdout.write(report);
    if (opts.output) await writeFile(resolve(cwd, opts.output), report);
    if (risks.some((r) => r.level === 'error')) return 3;
    return diffs.length > 0 || stacks.length > 0 ? 1 : 0;
  } catch (e) {
    process.stderr.write(`error: diff: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Options of `gitops replay`. */
export interface ReplayCommandOptions {
  /** The cluster to replay. */
  cluster: string;
  /** Traffic profile. @default 'spike10x' */
  profile: string;
  /** `text` (default) or `json`. */
  format: 'text' | 'json';
  /** Also write an SVG chart here. @default none */
  chart?: string;
  /** Replay parameters to change, `name=value`. @default none */
  param?: string[];
  /** Folder holding the cluster packages. @default <repo>/clusters */
  clustersDir?: string;
}

/**
 * Renders one cluster in memory and replays a traffic profile against its objects; exit 0 when
 * P99 stays within the spec's SLO, 1 when it does not (naming the minute and the bottleneck), 2 on
 * bad input.
 */
export async function replayCommand(opts: ReplayCommandOptions, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  const { ClusterSpecError, RenderError, renderCluster, APPS, resolveClusterSpec } = await renderModules();
  const replayLib = await import('./replay/index.js');
  if (!(replayLib.PROFILES as readonly string[]).includes(opts.profile)) {
    process.stderr.write(`error: replay: unknown profile ${opts.profile} (one of ${replayLib.PROFILES.join(', ')})\n`);
    return 2;
  }
  const params: Record<string, number> = {};
  for (const kv of opts.param ?? []) {
    const [k, v] = kv.split('=');
    // Every parameter is a duration or a rate: a number >= 0; the bandwidth and the cap must be > 0 and the slowdown >= 1.
    const n = v === undefined || v.trim() === '' ? NaN : Number(v);
    const floor = k === 'segmentLoadMBps' || k === 'latencyCapMs' || k === 'spikeRampSeconds' ? Number.MIN_VALUE : k === 'warmupSlowdown' ? 1 : 0;
    if (!k || !Object.hasOwn(replayLib.DEFAULT_PARAMETERS, k) || !Number.isFinite(n) || n < floor) {
      process.stderr.write(
        `error: replay: --param ${kv}: expected name=number (>= 0; > 0 for segmentLoadMBps, latencyCapMs and spikeRampSeconds; >= 1 for warmupSlowdown) with name one of ${Object.keys(replayLib.DEFAULT_PARAMETERS).join(', ')}\n`,
      );
      return 2;
    }
    params[k] = n;
  }
  const clustersDir = resolve(cwd, opts.clustersDir ?? join(root, 'clusters'));
  const source = (await listClusters(clustersDir)).find((s) => s.folder === opts.cluster);
  if (!source) {
    process.stderr.write(`error: no cluster named ${opts.cluster} under ${relative(cwd, clustersDir) || '.'}\n`);
    return 2;
  }
  try {
    const input = await loadClusterSpec(source);
    const spec = resolveClusterSpec(input);
    const rendered = renderCluster(input, APPS);
    const objects = rendered.files.map((f) => f.object);
    const result = replayLib.replayCluster(spec, objects, opts.profile as Parameters<typeof replayLib.replayCluster>[2], params);
    process.stdout.write(opts.format === 'json' ? replayLib.formatReplayJson(result) : replayLib.formatReplayText(result));
    if (opts.chart) {
      const { writeFileAtomic } = await import('./atomic.js');
      await writeFileAtomic(resolve(cwd, opts.chart), replayLib.formatReplaySvg(result));
    }
    return result.met ? 0 : 1;
  } catch (e) {
    if (e instanceof ClusterSpecError || e instanceof RenderError) {
      process.stderr.write(`${e.problems.map((p) => `error: ${p}`).join('\n')}\n`);
      return 2;
    }
    if (e instanceof replayLib.ReplayInputError || (e instanceof Error && e.name === 'PriceError')) {
      process.stderr.write(`error: replay: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** Prints the seed's claims next to each cluster's replay figures (the README's table); returns the exit status. */
export async function claimsCommand(opts: { format: 'markdown' | 'json'; clustersDir?: string }, cwd = process.cwd()): Promise<number> {
  const root = findRepoRoot(cwd);
  const { ClusterSpecError, RenderError, renderCluster, APPS, resolveClusterSpec } = await renderModules();
  const { claimRow, formatClaimsMarkdown } = await import('./replay/index.js');
  const rows = [];
  try {
    for (const source of await listClusters(resolve(cwd, opts.clustersDir ?? join(root, 'clusters')))) {
      const input = await loadClusterSpec(source);
      rows.push(
        claimRow(
          resolveClusterSpec(input),
          renderCluster(input, APPS).files.map((f) => f.object),
        ),
      );
    }
  } catch (e) {
    if (e instanceof ClusterSpecError || e instanceof RenderError) {
      process.stderr.write(`${e.problems.map((p) => `error: ${p}`).join('\n')}\n`);
      return 2;
    }
    throw e;
  }
  process.stdout.write(
    opts.format === 'json'
      ? `${JSON.stringify(
          rows.map((r) => ({
            cluster: r.cluster,
            spike: { ...r.spike, timeline: undefined },
            restartToServingSeconds: r.restart.restartToServingSeconds,
            costs: r.costs,
          })),
          null,
          2,
        )}\n`
      : formatClaimsMarkdown(rows),
  );
  return 0;
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
    .description(
      'validate rendered/ (or files and folders of any layout, "-" for standard input): schemas, CEL rules and policies; exit 1 on any failure, 2 on unreadable input',
    )
    .argument('[paths...]', 'files, folders (searched recursively for .yaml, .yml, .json) or "-" (default: <repo>/rendered)')
    .option('--schemas <dir>', 'schema folder laid out like the mirror, or "upstream" (default: ../shared/schemas if present)')
    .option('--kube-version <minor>', 'Kubernetes minor for objects outside a known cluster (default: 1.29)')
    .option('--cache <dir>', 'compile cache folder (default: $GITOPS_CACHE_DIR, else $XDG_CACHE_HOME/milvus-gitops, else ~/.cache/milvus-gitops)')
    .option('--no-cache', 'compile every schema in memory, reading and writing no cache')
    .option(
      '--workers <n>',
      `worker threads for the per-object checks (default: the cores, at most 4, for ${PARALLEL_MIN_FILES} files or more in two or more clusters)`,
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number');
        return n;
      },
    )
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
    .command('replay')
    .description(
      "replay a traffic profile against one cluster's rendered HPA, pods and node pools, second by second: P99 against the spec's SLO, replicas, nodes and cost; exit 1 when the SLO breaks",
    )
    .requiredOption('-c, --cluster <name>', 'the cluster to replay')
    .addOption(new Option('-p, --profile <profile>', 'traffic profile').choices(PROFILES).default('spike10x'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--chart <file.svg>', 'also write an SVG chart of load, replicas, nodes and P99')
    .option('--param <name=value...>', 'change a replay parameter (see README: Capacity replay)')
    .option('--clusters-dir <dir>', 'folder of cluster packages (default: <repo>/clusters)')
    .action(async (opts: ReplayCommandOptions) => {
      status.code = await replayCommand(opts);
    });
  program
    .command('claims')
    .description(
      "the seed's claims (P99 in a 10x spike, 2 -> 20 query nodes, restart to serving, compute and storage savings) next to each cluster's replay figures",
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .option('--clusters-dir <dir>', 'folder of cluster packages (default: <repo>/clusters)')
    .action(async (opts: { format: 'markdown' | 'json'; clustersDir?: string }) => {
      status.code = await claimsCommand(opts);
    });
  program
    .command('schemas-pull')
    .description('download the pinned upstream schemas, verified by SHA-256, into a mirror folder')
    .argument('<dir>', 'folder to write (e.g. ../shared/schemas)')
    .action(async (dir: string) => {
      const { pullPinnedFiles } = await import('@milvus-gitops/k8s-schema');
      const n = await pullPinnedFiles(resolve(dir));
      process.stdout.write(`wrote ${plural(n, 'verified schema file')} to ${dir}\n`);
      status.code = 0;
    });
  program
    .command('diff')
    .description(
      'compare the render and infrastructure of a base ref with the working tree, risky changes first; exit 1 when anything changed, 3 when a risky change is an error',
    )
    .option('-b, --base <ref>', 'git ref to render as the base (in a temporary worktree)')
    .option('--base-dir <dir>', 'an already rendered folder to use as the base')
    .option('--head-dir <dir>', 'an already rendered folder to use as the head (default: render the working tree)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'markdown']).default('text'))
    .option('--output <file>', 'also write the report to this file')
    .option('--base-infra <dir>', 'synthesized infrastructure (infra synth --out) of the base, with --base-dir')
    .option('--head-infra <dir>', 'synthesized infrastructure of the head, with --head-dir')
    .action(async (opts: DiffOptions) => {
      status.code = await diffCommand(opts);
    });
  program
    .command('new-cluster')
    .description('write clusters/<name>/ from an existing cluster: its cluster.ts with the name replaced, and the package files')
    .argument('<name>', 'the new cluster (a lowercase DNS label; also its folder name)')
    .requiredOption('--from <cluster>', 'the existing cluster to start from')
    .option('--clusters-dir <dir>', 'folder of cluster packages (default: <repo>/clusters)')
    .action(async (name: string, opts: { from: string; clustersDir?: string }) => {
      const { newCluster } = await import('./new-cluster.js');
      const root = findRepoRoot(process.cwd());
      const clustersDir = resolve(process.cwd(), opts.clustersDir ?? join(root, 'clusters'));
      const written = await newCluster({ clustersDir, name, from: opts.from });
      const rel = (p: string) => relative(process.cwd(), p) || '.';
      process.stdout.write(
        [
          ...written.map((p) => `wrote ${rel(p)}`),
          `next: edit ${rel(join(clustersDir, name, 'cluster.ts'))} (environment, aws.accountId, region and zones, aws.vpcCidr, storage.bucket),`,
          '      then `pnpm install --offline` (links the new package, updates pnpm-lock.yaml) and `pnpm render`',
          '',
        ].join('\n'),
      );
      status.code = 0;
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

/**
 * Runs the command line; returns the exit status once the command's work is done. Every action
 * awaits all it starts (writes, child processes, workers, SDK calls): the launcher exits as soon as
 * this resolves, so work left running in the background would be cut off.
 */
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
