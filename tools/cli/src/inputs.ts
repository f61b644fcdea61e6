// What `validate` reads: files and folders of any layout (recursively), `-` for standard input;
// every YAML document of every file (JSON too), `List` kinds expanded into their items. Each
// object is placed in a cluster when its path names one; unreadable input is a problem with the
// file, line and column, never a silent skip.

import { readdirSync, readFileSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import jsYaml from 'js-yaml';

/** One object found in the input. */
export interface InputObject {
  /** Where it is, for messages: the file's label, with `:<line>` when the file holds several documents. */
  readonly file: string;
  /** The parsed document (validation judges whether it is a Kubernetes object). */
  readonly object: unknown;
  /** The objects judged together: `<path>/<cluster>` for a known cluster, '' for none. */
  readonly group: string;
  /** The known cluster the object's path names, if any. */
  readonly cluster?: string;
  /** The folder below the cluster's folder (its app in a rendered tree), if any. */
  readonly app?: string;
}

/** Input that could not be read: a missing path, malformed YAML, a file with no object. */
export interface InputProblem {
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly column?: number;
  readonly message: string;
}

/** `<file>:<line>:<column>: <message>`. */
export function formatProblem(p: InputProblem): string {
  return `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}: ${p.message}`;
}

/** One file to read: its path on disk (or `-`) and its label in messages. */
export interface InputFile {
  readonly path: string;
  readonly label: string;
  readonly group: string;
  readonly cluster?: string;
  readonly app?: string;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * The group of a path: the path up to the first folder named like a known cluster, and that
 * cluster; '' when no folder names one.
 */
export function groupOf(path: string, cwd: string, knownClusters: ReadonlySet<string>): { group: string; cluster?: string; app?: string } {
  const rel = relative(cwd, path);
  const shown = rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  const parts = shown.split(sep);
  for (let i = 0; i < parts.length - 1; i++) {
    if (knownClusters.has(parts[i]!))
      return { group: parts.slice(0, i + 1).join('/'), cluster: parts[i]!, ...(i + 2 < parts.length ? { app: parts[i + 1]! } : {}) };
  }
  return { group: '' };
}

/** `stat` of a path (following links) with exact inode numbers, or the error's code. */
function statOrCode(p: string): BigIntStats | string {
  try {
    return statSync(p, { bigint: true });
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

/**
 * `groupOf` the file `name` in `dir` as written; when that names no cluster, as the folder's links
 * lead (a folder `current` linked to `rendered/prod-us-east-1` is that cluster's).
 */
function groupThrough(dir: string, name: string, cwd: string, knownClusters: ReadonlySet<string>): ReturnType<typeof groupOf> {
  const written = groupOf(join(dir, name), cwd, knownClusters);
  if (written.group !== '' || knownClusters.size === 0) return written;
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return written;
  }
  return real === dir ? written : groupOf(join(real, name), cwd, knownClusters);
}

/**
 * The files behind the given paths: a file as it is, a folder's `.yaml`, `.yml` and `.json` files
 * at any depth (hidden folders and node_modules left out; linked folders followed, each folder
 * and file taken once, given twice or reached again through a link, so a link back up the tree
 * is no loop), in a stable order. Missing paths, folders that cannot be read or looked into, and
 * folders with no manifest file are problems. Synchronous: a tree of a few hundred entries is
 * walked in a fraction of the time the promise API takes to hand each call to libuv's threads.
 */
export function listInputFiles(paths: readonly string[], cwd: string, knownClusters: ReadonlySet<string>): { files: InputFile[]; problems: InputProblem[] } {
  const files: InputFile[] = [];
  const problems: InputProblem[] = [];
  /**
   * Folders and given files read, by device, inode and group: one reached again (through a link,
   * or given twice) is not read twice, unless it is reached as another cluster's.
   */
  const read = new Set<string>();
  /** Files taken, by the path they were reached at (a file given and found in a folder given). */
  const taken = new Set<string>();
  const once = (id: BigIntStats, group: string): boolean => {
    const key = `${id.dev}:${id.ino}:${group}`;
    if (read.has(key)) return false;
    read.add(key);
    return true;
  };
  for (const given of paths) {
    if (given === '-') {
      files.push({ path: '-', label: '(stdin)', group: '' });
      continue;
    }
    const abs = isAbsolute(given) ? given : join(cwd, given);
    const info = statOrCode(abs);
    if (typeof info === 'string') {
      problems.push({ file: given, message: 'no such file or folder' });
      continue;
    }
    if (!info.isDirectory()) {
      const group = groupThrough(dirname(abs), basename(abs), cwd, knownClusters);
      if (!taken.has(abs) && once(info, group.group)) files.push({ path: abs, label: given, ...group });
      taken.add(abs);
      continue;
    }
    // A file's label and group follow from its folder: worked out once per folder, not per file.
    const found: { path: string; name: string; folder: { label: string; group: ReturnType<typeof groupOf> } }[] = [];
    let unreadable = 0;
    let repeated = false;
    const shown = (dir: string) => {
      const label = relative(abs, dir).split(sep).join('/');
      return label ? `${given.replace(/\/+$/, '')}/${label}` : given;
    };
    const cannotRead = (dir: string, code: string) => {
      unreadable++;
      problems.push({ file: shown(dir), message: `cannot read this folder (${code})` });
    };
    const walk = (dir: string, id: BigIntStats): void => {
      const group = groupThrough(dir, 'file', cwd, knownClusters);
      if (!once(id, group.group)) {
        if (dir === abs) repeated = true; // given again, or inside a folder given before
        return;
      }
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        cannotRead(dir, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
        return;
      }
      const label = relative(abs, dir).split(sep).join('/');
      const folder = { label: label ? `${label}/` : '', group };
      for (const e of entries) {
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        const p = join(dir, e.name);
        const sub = e.isDirectory() || e.isSymbolicLink() ? statOrCode(p) : undefined;
        if (typeof sub === 'object' && sub.isDirectory()) walk(p, sub);
        // A folder that cannot be looked at is unread input; a link to nothing is not a folder.
        else if (typeof sub === 'string' && (e.isDirectory() || sub !== 'ENOENT')) cannotRead(p, sub);
        else if (MANIFEST_FILE.test(e.name)) found.push({ path: p, name: e.name, folder });
      }
    };
    walk(abs, info);
    if (found.length === 0 && unreadable === 0 && !repeated)
      problems.push({ file: given, message: 'no .yaml, .yml or .json file in this folder (nothing to validate)' });
    found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const f of found) {
      if (taken.has(f.path)) continue;
      taken.add(f.path);
      files.push({ path: f.path, label: `${f.folder.label}${f.name}`, ...f.folder.group });
    }
  }
  return { files, problems };
}

/**
 * 1-based line where each document's content starts (its `---` marker's line when it has none),
 * for messages about one document of a multi-document file.
 */
function documentLines(text: string): number[] {
  const starts: number[] = [];
  let open = false; // inside a document whose first content line is not seen yet
  text.split('\n').forEach((l, i) => {
    if (/^---(\s|$)/.test(l)) {
      starts.push(i + 1);
      open = !/^---\s+[^\s#]/.test(l);
    } else if (/^\s*[^\s#]/.test(l) && !/^(%|\.\.\.)/.test(l)) {
      if (starts.length === 0) starts.push(i + 1);
      else if (open) starts[starts.length - 1] = i + 1;
      open = false;
    }
  });
  return starts;
}

const isListKind = (o: Record<string, unknown>): boolean =>
  typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items) && typeof o.apiVersion === 'string';

/** Files by group (a cluster's files are judged together), groups in order of first appearance. */
export function groupFiles(files: readonly InputFile[]): Map<string, InputFile[]> {
  const groups = new Map<string, InputFile[]>();
  for (const f of files) {
    const g = groups.get(f.group);
    if (g) g.push(f);
    else groups.set(f.group, [f]);
  }
  return groups;
}

/**
 * The booleans of YAML 1.1, which Kubernetes still reads (sigs.k8s.io/yaml's goyaml.v2,
 * resolve.go): `yes`, `on` and `y` are true, `no`, `off` and `n` false, in three spellings each.
 */
const YAML11_BOOLEANS: Readonly<Record<string, boolean>> = Object.fromEntries(
  (
    [
      [true, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']],
      [false, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']],
    ] as const
  ).flatMap(([value, words]) => words.map((w) => [w, value])),
);

// js-yaml 4 exports its built-in types as `types`; @types/js-yaml does not declare it.
const types = (jsYaml as unknown as { types: Record<'null' | 'int' | 'float' | 'merge' | 'binary' | 'omap' | 'pairs' | 'set', jsYaml.Type> }).types;

/**
 * YAML as Kubernetes reads it (sigs.k8s.io/yaml, go-yaml v2 underneath): nulls, ints, floats and
 * merge keys (`<<`) as YAML defines them, booleans as YAML 1.1 does (`enabled: yes` is true,
 * `flag: "yes"` is text), and a timestamp-like plain scalar (`since: 2024-01-01`) kept a string,
 * as go-yaml v2 keeps one when decoding into an interface{} (decode.go, "for backward
 * compatibility"), where js-yaml's default schema would make a Date.
 */
const KUBERNETES_YAML = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    types.null,
    new jsYaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (text: string | null) => text !== null && Object.hasOwn(YAML11_BOOLEANS, text),
      construct: (text: string) => YAML11_BOOLEANS[text],
      predicate: (value: unknown) => typeof value === 'boolean',
    }),
    types.int,
    types.float,
    types.merge,
  ],
  explicit: [
    types.binary,
    types.omap,
    types.pairs,
    types.set,
    new jsYaml.Type('tag:yaml.org,2002:timestamp', { kind: 'scalar', construct: (text: string) => text }),
  ],
});

/** Parses one file's text into its objects; a document stream with no object is a problem. */
export function parseInput(text: string, file: InputFile): { objects: InputObject[]; problems: InputProblem[] } {
  let docs: unknown[];
  try {
    docs = jsYaml.loadAll(text, undefined, { filename: file.label, schema: KUBERNETES_YAML }) as unknown[];
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number; column: number }; message: string };
    const line = err.mark ? err.mark.line + 1 : undefined;
    const column = err.mark ? err.mark.column + 1 : undefined;
    return { objects: [], problems: [{ file: file.label, line, column, message: `not valid YAML: ${err.reason ?? err.message.split('\n')[0]}` }] };
  }
  const nonEmpty = docs.filter((d) => d !== null && d !== undefined).length;
  const starts = nonEmpty > 1 ? documentLines(text) : [];
  const withLines = starts.length === docs.length;
  const objects: InputObject[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    const label = nonEmpty > 1 ? `${file.label}:${withLines ? starts[i] : `document ${i + 1}`}` : file.label;
    const at = { group: file.group, ...(file.cluster ? { cluster: file.cluster } : {}), ...(file.app ? { app: file.app } : {}) };
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && isListKind(doc as Record<string, unknown>)) {
      (doc as { items: unknown[] }).items.forEach((item, j) => objects.push({ file: `${label} items[${j}]`, object: item, ...at }));
    } else objects.push({ file: label, object: doc, ...at });
  });
  if (objects.length === 0) {
    return {
      objects,
      problems: [
        {
          file: file.label,
          message: docs.length === 0 ? 'empty: no YAML document (nothing to validate)' : 'no object: every document is empty or an empty List',
        },
      ],
    };
  }
  return { objects, problems: [] };
}

/** Reads every file (standard input through `readStdin`) and parses it. */
export async function readInputFiles(
  files: readonly InputFile[],
  readStdin: () => Promise<string>,
): Promise<{ objects: InputObject[]; problems: InputProblem[] }> {
  const objects: InputObject[] = [];
  const problems: InputProblem[] = [];
  for (const f of files) {
    let text: string;
    try {
      // Synchronous reads: many small files read in a fraction of the time the promise API takes.
      text = f.path === '-' ? await readStdin() : readFileSync(f.path, 'utf8');
    } catch (e) {
      problems.push({ file: f.label, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const r = parseInput(text, f);
    objects.push(...r.objects);
    problems.push(...r.problems);
  }
  return { objects, problems };
}

/** All of standard input as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
