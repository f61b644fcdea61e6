// Validation of rendered objects: strict schemas and CEL rules (libs/k8s-schema) per object, then
// the policy pack (policies/) over each cluster's objects as one set. Used by `validate` (any
// files and folders), by `render` before it swaps its output in, and by `publish` before it commits.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Manifest } from '@milvus-gitops/core/manifest';
import { folderSource, SchemaValidator, upstreamSource, type SchemaSource } from '@milvus-gitops/k8s-schema';
import {
  checkFiles,
  checkObjects,
  fileRanks,
  policyFailures,
  type CheckedFiles,
  type ClusterFacts,
  type ValidationFailure,
  type VersionPlan,
} from './check.js';
import { groupFiles, listInputFiles, readStdin, type InputFile, type InputProblem } from './inputs.js';
import type { WorkerInput } from './validate-worker.js';
import { listClusters, loadClusterSpec } from './workspace.js';
import { clusterProvisions, resolveClusterSpec } from '@milvus-gitops/spec';

export type { ClusterFacts, ValidationFailure } from './check.js';

/** `<file>: <Kind> <ns>/<name>: <json path>: <message>`. */
export function formatFailure(f: ValidationFailure): string {
  return `${f.file}: ${f.object}: ${f.path}: ${f.message}`;
}

/**
 * Where schemas come from: `--schemas` (a folder, or `upstream`), else $GITOPS_SCHEMAS, else the
 * mirror beside the repository (`../shared/schemas`, what CI reads), else the pinned upstream
 * files. Returns a folder path or `upstream`.
 */
export function resolveSchemaLocation(root: string, option?: string): string {
  const chosen = option ?? process.env.GITOPS_SCHEMAS;
  if (chosen === 'upstream') return chosen;
  if (chosen) {
    const dir = resolve(chosen);
    if (!existsSync(dir)) throw new Error(`schema folder ${dir} does not exist (run \`gitops schemas-pull ${chosen}\` to download the pinned schemas)`);
    return dir;
  }
  const mirror = resolve(root, '..', 'shared', 'schemas');
  return existsSync(join(mirror, 'kubernetes')) ? mirror : 'upstream';
}

/** The schema source at a location from `resolveSchemaLocation`. */
export function schemaSourceAt(location: string): SchemaSource {
  return location === 'upstream' ? upstreamSource() : folderSource(location);
}

/** The schema source chosen as `resolveSchemaLocation` says. */
export function resolveSchemaSource(root: string, option?: string): SchemaSource {
  return schemaSourceAt(resolveSchemaLocation(root, option));
}

const validators = new Map<string, Promise<SchemaValidator>>();

/** The validator of a source, loaded once per process: every schema is compiled at most once. */
export function validatorFor(source: SchemaSource): Promise<SchemaValidator> {
  let v = validators.get(source.describe);
  if (!v) {
    v = SchemaValidator.load(source);
    validators.set(source.describe, v);
  }
  return v;
}

/**
 * Validates the objects of one cluster at Kubernetes `minor`: `files` are labelled
 * `<cluster>/<app>/<file>`; with `facts` (what the cluster has from outside the render, its Milvus
 * release) the readiness rules run too.
 */
export function validateCluster(
  validator: SchemaValidator,
  minor: string,
  files: readonly { file: string; object: Manifest }[],
  facts?: ClusterFacts,
): ValidationFailure[] {
  const objects = files.map((f) => ({ file: f.file, object: f.object, group: '', app: f.file.split('/')[1] }));
  return [...checkObjects(validator, objects, { byCluster: {}, outside: minor }), ...policyFailures(objects, facts)];
}

/**
 * The Kubernetes minor a cluster's objects are checked at: its own when the schema source has it,
 * else the `kubernetes.schemaVersion` its spec accepts in its place; with neither, a problem.
 */
export function schemaMinorFor(
  validator: SchemaValidator,
  cluster: string,
  kubernetes: { version: string; schemaVersion?: string },
): { minor: string; note?: string } | { problem: string } {
  if (validator.versions.includes(kubernetes.version)) return { minor: kubernetes.version };
  const have = validator.versions.join(', ');
  if (kubernetes.schemaVersion && validator.versions.includes(kubernetes.schemaVersion)) {
    return {
      minor: kubernetes.schemaVersion,
      note: `${cluster}: no Kubernetes ${kubernetes.version} schemas in ${validator.source.describe}; checked against ${kubernetes.schemaVersion}, as kubernetes.schemaVersion accepts`,
    };
  }
  return {
    problem: `${cluster}: no Kubernetes ${kubernetes.version} schemas in ${validator.source.describe} (it has ${have}): add them to the schema folder, or accept checking against one of those by setting kubernetes.schemaVersion`,
  };
}

/** Options of validating files and folders. */
export interface ValidatePathsOptions {
  /** The repository root: clusters/ names the known clusters and their Kubernetes versions. */
  readonly root: string;
  /** Schema folder or `upstream`, as `resolveSchemaLocation` takes it. @default the mirror, else upstream */
  readonly schemas?: string;
  /** Kubernetes minor for objects outside a known cluster. @default the schema source's floor (1.29) */
  readonly kubeVersion?: string;
  /** Compile cache folder, or false for none. @default see SchemaValidator.load */
  readonly cacheDir?: string | false;
  /** Threads that check files (this one and n - 1 workers). @default the cores available (at most 4) for PARALLEL_MIN_FILES files or more in two or more clusters, else 1 */
  readonly workers?: number;
  /** Folder that relative paths start from. @default process.cwd() */
  readonly cwd?: string;
}

/** What validating files and folders found. */
export interface ValidatePathsResult {
  /** Objects judged. */
  readonly objects: number;
  /** Known clusters among them. */
  readonly clusters: number;
  /** Objects outside any known cluster. */
  readonly outside: number;
  /** The Kubernetes minor objects outside a cluster were judged at. */
  readonly outsideVersion: string;
  readonly failures: ValidationFailure[];
  /** Input that could not be read (exit 2). */
  readonly problems: InputProblem[];
  readonly notes: string[];
  /** Where schemas came from. */
  readonly source: string;
}

/**
 * Below this many files a worker thread costs more than it saves: each thread pays for its own
 * start and JIT warm-up (measured on 2 cores: 7,000 objects 1.5 s on one thread, no faster on two;
 * 28,000 objects 5.6 s on one, 4.1 s on two).
 */
export const PARALLEL_MIN_FILES = 10_000;

/**
 * Checks files on `n` threads, this one and n - 1 workers: whole groups (a cluster's objects are
 * judged together) dealt largest first, each to the least loaded thread.
 */
async function checkInThreads(validator: SchemaValidator, files: readonly InputFile[], n: number, base: Omit<WorkerInput, 'files'>): Promise<CheckedFiles> {
  const groups = groupFiles(files);
  const shares: InputFile[][] = Array.from({ length: n }, () => []);
  for (const g of [...groups.values()].sort((a, b) => b.length - a.length)) shares.reduce((min, s) => (s.length < min.length ? s : min)).push(...g);
  const url = new URL('./validate-worker.js', import.meta.url);
  const { Worker } = await import('node:worker_threads'); // only large inputs need it: not loaded at start
  const [own, ...others] = shares.filter((s) => s.length > 0);
  const fromWorkers = Promise.all(
    others.map(
      (share) =>
        new Promise<CheckedFiles>((done, fail) => {
          const w = new Worker(url, { workerData: { ...base, files: share } satisfies WorkerInput });
          w.once('message', done);
          w.once('error', fail);
          w.once('exit', (code) => code !== 0 && fail(new Error(`validation worker exited with ${code}`)));
        }),
    ),
  );
  // This thread checks its own share while the workers check theirs.
  const results = [await checkFiles(validator, own ?? [], base.plan, readStdin), ...(await fromWorkers)];
  const rank = fileRanks(files);
  return {
    failures: results.flatMap((r) => r.failures).sort((a, b) => rank(a.file) - rank(b.file)),
    problems: results.flatMap((r) => r.problems),
    objects: results.reduce((sum, r) => sum + r.objects, 0),
    clusterGroups: results.flatMap((r) => r.clusterGroups),
    outside: results.reduce((sum, r) => sum + r.outside, 0),
  };
}

/** Validates files and folders of any layout, and `-` (standard input). */
export async function validatePaths(paths: readonly string[], opts: ValidatePathsOptions): Promise<ValidatePathsResult> {
  const cwd = opts.cwd ?? process.cwd();
  const location = resolveSchemaLocation(opts.root, opts.schemas);
  const source = schemaSourceAt(location);
  const specs = await listClusters(join(opts.root, 'clusters')).catch(() => []);
  const listed = listInputFiles(paths, cwd, new Set(specs.map((s) => s.folder)));
  const problems = listed.problems;
  const validator = await SchemaValidator.load(source, opts.cacheDir === undefined ? {} : { cacheDir: opts.cacheDir });

  const byCluster: Record<string, string> = {};
  const notes: string[] = [];
  const facts: Record<string, ClusterFacts> = {};
  const unjudged = new Set<string>();
  for (const s of specs.filter((s) => listed.files.some((f) => f.cluster === s.folder))) {
    const raw = await loadClusterSpec(s);
    const chosen = schemaMinorFor(validator, s.folder, raw.kubernetes);
    if ('problem' in chosen) {
      // Not judged at all, rather than at a version nobody chose.
      problems.push({ file: s.folder, message: chosen.problem.slice(s.folder.length + 2) });
      unjudged.add(s.folder);
      continue;
    }
    if (chosen.note) notes.push(chosen.note);
    byCluster[s.folder] = chosen.minor;
    try {
      const resolved = resolveClusterSpec(raw);
      facts[s.folder] = { provided: clusterProvisions(resolved), milvusVersion: resolved.milvus.version, provisioner: resolved.nodes.provisioner };
    } catch (e) {
      notes.push(`${s.folder}: the spec does not resolve, so the readiness rules are skipped (${(e as Error).message.split('\n')[0]})`);
    }
  }
  const files = listed.files.filter((f) => !f.cluster || !unjudged.has(f.cluster));
  const plan: VersionPlan = { byCluster, outside: opts.kubeVersion ?? validator.floor, facts };
  if (!validator.versions.includes(plan.outside)) {
    throw new Error(`no Kubernetes ${plan.outside} schemas in ${source.describe} (it has ${validator.versions.join(', ')})`);
  }

  // Standard input joins the objects outside any cluster, so it is read here, not in a worker.
  const parallel = files.length >= PARALLEL_MIN_FILES && !files.some((f) => f.path === '-') && new Set(files.map((f) => f.group)).size > 1;
  const workers = opts.workers ?? (parallel && existsSync(new URL('./validate-worker.js', import.meta.url)) ? Math.min(availableParallelism(), 4) : 0);
  const checked =
    workers > 1 && parallel
      ? await checkInThreads(validator, files, workers, { schemas: location, cacheDir: opts.cacheDir, plan })
      : await checkFiles(validator, files, plan, readStdin);
  validator.saveCodeCache();
  const allProblems = [...problems, ...checked.problems];
  if (checked.objects === 0 && allProblems.length === 0) {
    allProblems.push({ file: paths.join(' ') || '(no input)', message: 'no Kubernetes object found: nothing was validated' });
  }
  return {
    objects: checked.objects,
    clusters: new Set(checked.clusterGroups).size,
    outside: checked.outside,
    outsideVersion: plan.outside,
    failures: checked.failures,
    problems: allProblems,
    notes,
    source: source.describe,
  };
}
