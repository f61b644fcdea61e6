// Validation of rendered objects: strict schemas and CEL rules (libs/k8s-schema) per object, then
// the policy pack (policies/) over each cluster. Used by `validate`, by `render` before it swaps
// its output in, and by `publish` before it commits.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { listClusters, loadClusterSpec } from './workspace.js';
import { describeObject, type Manifest } from '@milvus-gitops/core';
import { folderSource, SchemaValidator, upstreamSource, type SchemaSource } from '@milvus-gitops/k8s-schema';
import { runPolicies } from '@milvus-gitops/policies';

/** One failure, ready to print. */
export interface ValidationFailure {
  /** `<cluster>/<app>/<file>`. */
  readonly file: string;
  /** `Kind ns/name` (or `Kind name`). */
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

/** `<cluster>/<app>/<file>: <Kind> <ns>/<name>: <json path>: <message>`. */
export function formatFailure(f: ValidationFailure): string {
  return `${f.file}: ${f.object}: ${f.path}: ${f.message}`;
}

/**
 * The schema source: `--schemas` (a folder, or `upstream`), else $GITOPS_SCHEMAS, else the mirror
 * beside the repository (`../shared/schemas`, what CI reads), else the pinned upstream files.
 */
export function resolveSchemaSource(root: string, option?: string): SchemaSource {
  const chosen = option ?? process.env.GITOPS_SCHEMAS;
  if (chosen === 'upstream') return upstreamSource();
  if (chosen) {
    const dir = resolve(chosen);
    if (!existsSync(dir)) throw new Error(`schema folder ${dir} does not exist`);
    return folderSource(dir);
  }
  const mirror = resolve(root, '..', 'shared', 'schemas');
  return existsSync(join(mirror, 'kubernetes')) ? folderSource(mirror) : upstreamSource();
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

/** `Kind ns/name`, tolerating the half-formed objects validation exists to catch. */
const describe = (o: Manifest): string => (o?.kind && o.metadata?.name ? describeObject(o) : `${o?.kind ?? '?'} ${o?.metadata?.name ?? '?'}`);

/** Validates the objects of one cluster (`files` relative to the rendered root) at Kubernetes `minor`. */
export function validateCluster(
  validator: SchemaValidator,
  minor: string,
  files: readonly { file: string; object: Manifest }[],
  wholeCluster = true,
): ValidationFailure[] {
  const out: ValidationFailure[] = [];
  for (const { file, object } of files) {
    for (const f of validator.validate(object, minor)) out.push({ file, object: describe(object), path: f.path, message: f.message });
  }
  const fileOf = new Map(files.map((f) => [f.object, f.file]));
  for (const v of runPolicies(files.map((f) => f.object), undefined, wholeCluster)) {
    out.push({ file: fileOf.get(v.object) ?? '?', object: describe(v.object), path: v.path, message: v.message });
  }
  return out;
}

/** Options of validating a rendered folder. */
export interface ValidateDirOptions {
  /** The repository root (cluster specs give each cluster's Kubernetes version). */
  readonly root: string;
  /** The schema source. */
  readonly source: SchemaSource;
  /** Kubernetes minor for clusters without a spec under clusters/. @default the source's floor (1.29) */
  readonly kubeVersion?: string;
  /** Validate only this cluster folder of the root. @default every cluster folder */
  readonly only?: string;
}

/** Reads and validates every cluster folder under a rendered root. */
export async function validateRenderedDir(
  dir: string,
  opts: ValidateDirOptions,
): Promise<{ objects: number; clusters: number; failures: ValidationFailure[]; notes: string[] }> {
  const validator = await validatorFor(opts.source);
  const failures: ValidationFailure[] = [];
  const notes: string[] = [];
  let objects = 0;
  const clusters = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && (!opts.only || e.name === opts.only)).map((e) => e.name).sort();
  const specs = new Map((await listClusters(join(opts.root, 'clusters')).catch(() => [])).map((s) => [s.folder, s]));
  for (const cluster of clusters) {
    const source = specs.get(cluster);
    const minor = source ? (await loadClusterSpec(source)).kubernetes.version : (opts.kubeVersion ?? validator.floor);
    const { versions, substitute } = validator.versionsFor(minor);
    if (substitute) notes.push(`${cluster}: no Kubernetes ${minor} schemas in ${opts.source.describe}; checked against ${versions.join(' and ')}`);
    const files: { file: string; object: Manifest }[] = [];
    for (const e of await readdir(join(dir, cluster), { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const path = join(e.parentPath, e.name);
      const file = relative(dir, path);
      try {
        files.push({ file, object: parseYaml(await readFile(path, 'utf8')) as Manifest });
      } catch (err) {
        failures.push({ file, object: '(unparsed)', path: '(file)', message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
      }
    }
    objects += files.length;
    failures.push(...validateCluster(validator, minor, files));
  }
  return { objects, clusters: clusters.length, failures, notes };
}
