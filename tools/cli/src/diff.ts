// `gitops diff`: what a change does to the rendered output, per cluster and app, object by object
// and field by field; as Markdown for a pull-request comment or as plain text.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import microdiff from 'microdiff';
import { parse } from 'yaml';
import { git } from './git.js';

/** One changed field of an object. */
export interface FieldChange {
  /** Path such as `spec.maxReplicas` or `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly type: 'added' | 'removed' | 'changed';
  readonly base?: unknown;
  readonly head?: unknown;
}

/** One object that differs. */
export interface ObjectDiff {
  /** File path under the cluster's folder (`<app>/<kind-namespace-name>.yaml`). */
  readonly file: string;
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly status: 'added' | 'removed' | 'changed';
  /** Field changes (changed objects only). */
  readonly fields: readonly FieldChange[];
}

/** The differences of one cluster, grouped by app. */
export interface ClusterDiff {
  readonly cluster: string;
  readonly apps: ReadonlyArray<{ readonly app: string; readonly objects: readonly ObjectDiff[] }>;
}

type Tree = Record<string, string>;

/** Every .yaml file under `dir`, by path relative to it. */
export async function readRenderedTree(dir: string): Promise<Tree> {
  const out: Tree = {};
  if (!existsSync(dir)) return out;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.yaml')) continue;
    const p = join(e.parentPath, e.name);
    out[p.slice(dir.length + 1)] = await readFile(p, 'utf8');
  }
  return out;
}

/**
 * Lists Kubernetes merges by key rather than by position (strategic merge patch): the key fields
 * of each list, by property name, as the schema declares them (`x-kubernetes-patch-merge-key`,
 * `x-kubernetes-list-map-keys`). Several candidates where kinds differ (`ports`: `containerPort` in
 * a container, `port` in a Service): the first whose fields every item has, uniquely, is used.
 */
export type ListKeys = ReadonlyMap<string, readonly (readonly string[])[]>;

/** The list keys of a Kubernetes OpenAPI `definitions` document. */
export function listKeysOf(definitions: Record<string, { properties?: Record<string, Record<string, unknown>> }>): ListKeys {
  const keys = new Map<string, string[][]>();
  for (const def of Object.values(definitions)) {
    for (const [prop, schema] of Object.entries(def.properties ?? {})) {
      if (prop.startsWith('x-')) continue;
      const candidates = [
        schema['x-kubernetes-list-map-keys'] as string[] | undefined,
        schema['x-kubernetes-patch-merge-key'] ? [String(schema['x-kubernetes-patch-merge-key'])] : undefined,
      ];
      for (const c of candidates) {
        if (!c?.length) continue;
        const known = keys.get(prop) ?? [];
        if (!known.some((k) => k.join() === c.join())) known.push([...c]);
        keys.set(prop, known);
      }
    }
  }
  // Fewer fields first: `containerPort` identifies a container port even where the schema also allows `containerPort,protocol`.
  for (const list of keys.values()) list.sort((a, b) => a.length - b.length || a.join().localeCompare(b.join()));
  return keys;
}

/** The lists every Kubernetes version keys (from the 1.29 schema), for when no schema is at hand. */
export const DEFAULT_LIST_KEYS: ListKeys = new Map(
  Object.entries({
    containers: [['name']],
    initContainers: [['name']],
    ephemeralContainers: [['name']],
    env: [['name']],
    volumes: [['name']],
    volumeMounts: [['mountPath']],
    volumeDevices: [['devicePath']],
    imagePullSecrets: [['name']],
    ports: [['containerPort'], ['port'], ['containerPort', 'protocol'], ['port', 'protocol']],
    topologySpreadConstraints: [['topologyKey'], ['topologyKey', 'whenUnsatisfiable']],
    hostAliases: [['ip']],
    ownerReferences: [['uid']],
    resourceClaims: [['name']],
    schedulingGates: [['name']],
  }),
);

/** Marks an object key that stands for a list item (`[name=x]` in a path). */
const ITEM = '\u0000';

/** Turns keyed lists into objects keyed `name=x`, so a diff matches items by key, not position. */
function keyLists(value: unknown, keys: ListKeys, prop?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => keyLists(v, keys));
    for (const fields of (prop && keys.get(prop)) || []) {
      const ids = items.map((it) =>
        it && typeof it === 'object' && fields.every((f) => ['string', 'number'].includes(typeof (it as Record<string, unknown>)[f]))
          ? fields.map((f) => `${f}=${String((it as Record<string, unknown>)[f])}`).join(',')
          : undefined,
      );
      if (ids.every((id) => id !== undefined) && new Set(ids).size === ids.length) return Object.fromEntries(ids.map((id, i) => [`${ITEM}${id}`, items[i]]));
    }
    return items;
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keyLists(v, keys, k)]));
  return value;
}

function fieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (part.startsWith(ITEM)) out += `[${part.slice(1)}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML/JSON of any shape, read field by field
type Doc = Record<string, any>;

function describe(doc: Doc | undefined, file: string): string {
  const m = doc?.metadata as { name?: string; namespace?: string } | undefined;
  if (!doc || !m?.name) return file;
  return m.namespace ? `${doc.kind} ${m.namespace}/${m.name}` : `${doc.kind} ${m.name}`;
}

/**
 * Compares two rendered trees (`<cluster>/<app>/<file>` -> YAML); lists Kubernetes keys (`keys`)
 * are compared item by item by key, so adding one env var is one added item, not a shifted list.
 */
export function diffTrees(base: Tree, head: Tree, keys: ListKeys = DEFAULT_LIST_KEYS): ClusterDiff[] {
  const paths = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  const byCluster = new Map<string, Map<string, ObjectDiff[]>>();
  for (const path of paths) {
    const [cluster, app, ...rest] = path.split('/');
    if (!cluster || !app || rest.length === 0) continue;
    const file = `${app}/${rest.join('/')}`;
    const b = base[path];
    const h = head[path];
    if (b === h) continue;
    const bDoc = b === undefined ? undefined : (parse(b) as Doc);
    const hDoc = h === undefined ? undefined : (parse(h) as Doc);
    let diff: ObjectDiff;
    if (bDoc === undefined) diff = { file, object: describe(hDoc, file), status: 'added', fields: [] };
    else if (hDoc === undefined) diff = { file, object: describe(bDoc, file), status: 'removed', fields: [] };
    else {
      const unkey = (v: unknown): unknown =>
        v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith(ITEM))
          ? Object.values(v as Record<string, unknown>).map(unkey)
          : v && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unkey(x)]))
            : v;
      const fields = microdiff(keyLists(bDoc, keys) as Record<string, unknown>, keyLists(hDoc, keys) as Record<string, unknown>).map((d): FieldChange => {
        const path = fieldPath(d.path);
        if (d.type === 'CREATE') return { path, type: 'added', head: unkey(d.value) };
        if (d.type === 'REMOVE') return { path, type: 'removed', base: unkey(d.oldValue) };
        return { path, type: 'changed', base: unkey(d.oldValue), head: unkey(d.value) };
      });
      if (fields.length === 0) continue; // same object, different formatting: nothing to review
      diff = { file, object: describe(hDoc, file), status: 'changed', fields };
    }
    const apps = byCluster.get(cluster) ?? new Map<string, ObjectDiff[]>();
    byCluster.set(cluster, apps);
    apps.set(app, [...(apps.get(app) ?? []), diff]);
  }
  return [...byCluster.entries()].map(([cluster, apps]) => ({
    cluster,
    apps: [...apps.entries()].map(([app, objects]) => ({ app, objects })),
  }));
}

function count(diffs: readonly ClusterDiff[], status: ObjectDiff['status']): number {
  return diffs.reduce((n, c) => n + c.apps.reduce((m, a) => m + a.objects.filter((o) => o.status === status).length, 0), 0);
}

function clusterCounts(c: ClusterDiff): string {
  const n = (s: ObjectDiff['status']) => c.apps.reduce((m, a) => m + a.objects.filter((o) => o.status === s).length, 0);
  return `${n('added')} added, ${n('removed')} removed, ${n('changed')} changed`;
}

function inline(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const isMultiline = (f: FieldChange) => typeof f.base === 'string' && typeof f.head === 'string' && (f.base.includes('\n') || f.head.includes('\n'));

function textPatch(f: FieldChange): string {
  return createTwoFilesPatch('base', 'head', String(f.base), String(f.head), undefined, undefined, { context: 2 }).split('\n').slice(4).join('\n').trimEnd();
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

/** A one-line summary: `2 objects changed, 1 added, 0 removed in 1 of 3 clusters`. */
export function summarize(diffs: readonly ClusterDiff[], clusters: number): string {
  if (diffs.length === 0) return `no changes to the rendered output of ${clusters} cluster${clusters === 1 ? '' : 's'}`;
  return `objects: ${count(diffs, 'changed')} changed, ${count(diffs, 'added')} added, ${count(diffs, 'removed')} removed, in ${diffs.length} of ${clusters} clusters`;
}

/** Plain text, for a terminal. */
export function formatText(diffs: readonly ClusterDiff[], clusters: number): string {
  const lines = [summarize(diffs, clusters)];
  for (const c of diffs) {
    lines.push('', `${c.cluster} (${clusterCounts(c)})`);
    for (const a of c.apps) {
      lines.push(`  ${a.app}`);
      for (const o of a.objects) {
        lines.push(`    ${SIGN[o.status]} ${o.object}`);
        for (const f of o.fields) {
          if (isMultiline(f))
            lines.push(
              `        ${f.path}:`,
              ...textPatch(f)
                .split('\n')
                .map((l) => `          ${l}`),
            );
          else if (f.type === 'changed') lines.push(`        ${f.path}: ${inline(f.base)} -> ${inline(f.head)}`);
          else lines.push(`        ${f.path}: ${f.type} ${inline(f.type === 'added' ? f.head : f.base)}`);
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

const cell = (v: unknown): string => (v === undefined ? '' : `\`${inline(v).replace(/`/g, "'").replace(/\|/g, '\\|')}\``);

/** Markdown for a pull-request comment: one collapsible section per cluster. */
export function formatMarkdown(diffs: readonly ClusterDiff[], clusters: number, baseLabel: string): string {
  const out = [`### Rendered changes against \`${baseLabel}\``, '', `**${summarize(diffs, clusters)}**`];
  for (const c of diffs) {
    out.push('', '<details>', `<summary><b>${c.cluster}</b>: ${clusterCounts(c)}</summary>`, '');
    for (const a of c.apps) {
      out.push(`#### ${a.app}`, '');
      for (const o of a.objects) {
        out.push(`- **${SIGN[o.status]} ${o.object}** (\`${o.file}\`)`);
        const simple = o.fields.filter((f) => !isMultiline(f));
        if (simple.length > 0) {
          out.push('', '  | field | base | head |', '  |---|---|---|');
          for (const f of simple) out.push(`  | \`${f.path}\` | ${cell(f.base)} | ${cell(f.head)} |`);
        }
        for (const f of o.fields.filter(isMultiline))
          out.push(
            '',
            `  \`${f.path}\`:`,
            '',
            '  ```diff',
            ...textPatch(f)
              .split('\n')
              .map((l) => `  ${l}`),
            '  ```',
          );
        out.push('');
      }
    }
    out.push('</details>');
  }
  return `${out.join('\n')}\n`;
}

/**
 * Renders `ref` of `repo` into `outDir` with that ref's own code: a detached temporary worktree,
 * an offline pnpm install from the local store, a turbo build sharing the repo's cache, and its
 * own `gitops render`. The worktree is removed afterwards, whatever happens.
 */
export async function renderRef(repo: string, ref: string, outDir: string, infraDir?: string): Promise<void> {
  const run = promisify(execFile);
  const scratch = await mkdtemp(join(tmpdir(), 'gitops-base-'));
  const wt = join(scratch, 'src');
  await git(['worktree', 'add', '--detach', '--quiet', wt, ref], { cwd: repo });
  try {
    // The worktree sits in a temporary folder, away from the schema mirror beside this checkout:
    // point its render (which validates) at the same schemas this process uses.
    const mirror = resolve(repo, '..', 'shared', 'schemas');
    const schemas = process.env.GITOPS_SCHEMAS ?? (existsSync(join(mirror, 'kubernetes')) ? mirror : undefined);
    const opts = { cwd: wt, maxBuffer: 64 << 20, env: { ...process.env, CI: 'true', ...(schemas ? { GITOPS_SCHEMAS: schemas } : {}) } };
    try {
      await run('pnpm', ['install', '--frozen-lockfile', '--offline', '--reporter=silent'], opts);
    } catch {
      await run('pnpm', ['install', '--frozen-lockfile', '--reporter=silent'], opts);
    }
    await run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', `--cache-dir=${join(repo, '.turbo', 'cache')}`], opts);
    await run(process.execPath, [join(wt, 'tools/cli/bin/gitops.js'), 'render', '--out', outDir], opts);
    // The base's infrastructure, synthesized by its own code (a ref from before tools/infra has none).
    if (infraDir && existsSync(join(wt, 'tools/infra/bin/infra.js')))
      await run(process.execPath, [join(wt, 'tools/infra/bin/infra.js'), 'synth', '--out', infraDir], opts);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`cannot render ${ref}: ${(err.stderr || err.message).trim()}`, { cause: e });
  } finally {
    await git(['worktree', 'remove', '--force', wt], { cwd: repo }).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}
