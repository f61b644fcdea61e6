// Structural validation of a ClusterSpec, derived from its declaration (schema.ts) by ajv: unknown
// keys, wrong types, enum values, required fields, number bounds and formats. ajv's errors become
// the sentences validation has always written: a field path (`milvus.queryNode.maxReplicas`), the
// value, what it must be, and for an unknown key or value the nearest known one.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox/type';
import { ClusterSpec, type ErrorMessages } from './schema.js';

/** One problem: where (a field path such as `aws.availabilityZones[1]`, `` for the spec) and what. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

type Obj = Record<string, unknown>;
type JsonSchema = {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly errorMessage?: ErrorMessages;
};

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as messages quote it: strings in double quotes, the rest as JSON. */
export const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : (JSON.stringify(v) ?? String(v)));

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** The known names within two edits of `given` (case aside), in their declared order. */
export function nearest(given: string, known: readonly string[]): string[] {
  return known.filter((k) => editDistance(k.toLowerCase(), given.toLowerCase()) <= 2);
}

/** `milvus.queryNode` + `maxReplicas` -> `milvus.queryNode.maxReplicas`; an array index -> `[i]`. */
const join = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

// ajv is loaded on the first validation, not when the library is imported.
const requireHere = createRequire(import.meta.url);
let compiled: ValidateFunction | undefined;

/**
 * The declaration as ajv compiles it: a titled object schema the declaration repeats unchanged
 * (a role's sizing, its resources) becomes one definition that every use references, so that its
 * code is generated once. Unions are left whole (their errors are told apart by schema path).
 */
function forCompile(declaration: TSchema): Obj {
  const plain = JSON.parse(JSON.stringify(declaration)) as Obj;
  const uses = new Map<string, number>();
  const repeatable = (n: Obj) => typeof n.title === 'string' && n.type === 'object';
  const count = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(count);
    if (!isObj(n)) return;
    if (repeatable(n)) uses.set(JSON.stringify(n), (uses.get(JSON.stringify(n)) ?? 0) + 1);
    for (const [k, v] of Object.entries(n)) if (k !== 'anyOf') count(v);
  };
  count(plain);
  const definitions: Record<string, unknown> = {};
  const names = new Map<string, string>();
  const rewrite = (n: unknown, top = false): unknown => {
    if (Array.isArray(n)) return n.map((x) => rewrite(x));
    if (!isObj(n)) return n;
    const out = Object.fromEntries(Object.entries(n).map(([k, v]) => [k, k === 'anyOf' ? v : rewrite(v)]));
    const key = JSON.stringify(n);
    if (top || !repeatable(n) || (uses.get(key) ?? 0) < 2) return out;
    let name = names.get(key);
    if (name === undefined) {
      name = `${String(n.title)}${names.size}`;
      names.set(key, name);
      definitions[name] = out;
    }
    return { $ref: `#/definitions/${name}` };
  };
  const root = rewrite(plain, true) as Obj;
  return { ...root, definitions };
}

/** The ajv instance and compiled validator of the declaration: every error (allErrors), with the failing schema and data (verbose). */
function compile(schema: Obj, source: boolean): { ajv: Ajv; validate: ValidateFunction } {
  const { Ajv } = requireHere('ajv') as typeof import('ajv'); // eslint-disable-line @typescript-eslint/consistent-type-imports -- loaded on first need
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictNumbers: true, keywords: ['errorMessage'], code: { source } });
  return { ajv, validate: ajv.compile(schema) };
}

/**
 * Identifies what a precompiled validator was compiled from: ajv's version and the built text of
 * the declaration and of this module (which shapes it for ajv); reading two files is cheaper than
 * building the schema to hash it.
 */
function compiledFrom(): string {
  const h = createHash('sha256').update((requireHere('ajv/package.json') as { version: string }).version);
  for (const file of ['./schema.js', './structure.js']) h.update('\u0000').update(readFileSync(new URL(file, import.meta.url)));
  return h.digest('hex');
}

/** The file the build writes the precompiled validator to, beside this module in dist/. */
export const PRECOMPILED_VALIDATOR = 'cluster-spec.validate.cjs';

/**
 * The validator as standalone CommonJS code (ajv standalone), stamped with what it was compiled
 * from. The build writes it beside this module (scripts/write-validator.mjs), so that a process
 * validating a spec loads it instead of compiling the declaration (~0.1 s of a short command).
 */
export function precompiledValidatorCode(): string {
  const schema = forCompile(ClusterSpec);
  const { ajv, validate } = compile(schema, true);
  const { default: standaloneCode } = requireHere('ajv/dist/standalone') as { default: (ajv: unknown, fn: ValidateFunction) => string };
  return `${standaloneCode(ajv, validate)}\nmodule.exports.compiledFrom = ${JSON.stringify(compiledFrom())};\n`;
}

/**
 * The compiled ClusterSpec validator: the build's precompiled one when it was compiled from this
 * declaration with this ajv, else compiled now (tests running the sources, a build without it).
 */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  try {
    // Through the command's launcher when it runs one (tools/cli/bin/gitops.js: the same CommonJS
    // loading, with V8's code cache), else Node's own require.
    const load = (globalThis as { __gitopsLoadCommonJs?: (file: string) => unknown }).__gitopsLoadCommonJs;
    const file = fileURLToPath(new URL(`./${PRECOMPILED_VALIDATOR}`, import.meta.url));
    const pre = (load ? load(file) : requireHere(file)) as ValidateFunction & { compiledFrom?: string };
    if (typeof pre === 'function' && pre.compiledFrom === compiledFrom()) {
      origin = 'precompiled';
      return (compiled = pre);
    }
  } catch {
    // Not built (the sources run directly): compiled below.
  }
  origin = 'compiled';
  compiled = compile(forCompile(ClusterSpec), false).validate;
  return compiled;
}

let origin: 'precompiled' | 'compiled' | undefined;

/** Where this process's validator came from (for tests and benchmarks): undefined before the first validation. */
export function validatorOrigin(): 'precompiled' | 'compiled' | undefined {
  return origin;
}

/** The instance path of an ajv error (`/aws/availabilityZones/1`) as a field path, reading `root` to tell array indexes from keys. */
function fieldPath(pointer: string, root: unknown): string {
  if (pointer === '') return '';
  let path = '';
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) {
      path = join(path, Number(key));
      node = node[Number(key)];
    } else {
      path = join(path, key);
      node = isObj(node) ? node[key] : undefined;
    }
  }
  return path;
}

/** The values a union's branch takes in `type` (its discriminator), if every branch has one. */
function discriminatorValues(branch: JsonSchema): readonly unknown[] | undefined {
  const t = branch.properties?.type;
  if (!t) return undefined;
  return t.const !== undefined ? [t.const] : t.enum;
}

/**
 * Keeps, of the errors under each union (anyOf), only those of the branch the value's `type`
 * selects; when it selects none, one problem on `type` replaces them all. A union of objects
 * discriminated by `type` (the message queue, the vector index) then reads like any object.
 */
function resolveUnions(errors: ErrorObject[], root: unknown): { errors: ErrorObject[]; problems: Problem[] } {
  const problems: Problem[] = [];
  let kept = errors;
  for (const e of errors.filter((x) => x.keyword === 'anyOf')) {
    const branches = e.schema as readonly JsonSchema[];
    const values = branches.map(discriminatorValues);
    if (values.some((v) => v === undefined)) continue;
    const data: unknown = e.data;
    const chosen = isObj(data) ? values.findIndex((v) => v!.includes(data.type)) : -1;
    const under = `${e.schemaPath}/`;
    kept = kept.filter((x) => x !== e && (!x.schemaPath.startsWith(under) || (chosen >= 0 && x.schemaPath.startsWith(`${under}${chosen}/`))));
    if (chosen >= 0) continue;
    const path = fieldPath(e.instancePath, root);
    if (!isObj(data)) problems.push({ path, message: `must be an object, got ${show(data)}` });
    else if (data.type === undefined) problems.push({ path: join(path, 'type'), message: 'is required' });
    else {
      const allowed = values.flatMap((v) => v!);
      problems.push({ path: join(path, 'type'), message: `(${show(data.type)}) must be one of ${allowed.map(show).join(', ')}` });
    }
  }
  return { errors: kept, problems };
}

/** The range a number must lie in, from its schema's bounds: `>= 1`, `between 1 and 100`, `> 0`, `in (0, 1]`. */
function range(s: JsonSchema): string {
  const { minimum: min, maximum: max, exclusiveMinimum: xmin } = s;
  if (xmin !== undefined) return max !== undefined ? `in (${xmin}, ${max}]` : `> ${xmin}`;
  if (min !== undefined) return max !== undefined ? `between ${min} and ${max}` : `>= ${min}`;
  return `<= ${max}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'an object',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  string: 'a string',
  array: 'a list',
};

/** One ajv error as a problem, in the words of the spec's own messages. */
function describe(e: ErrorObject, root: unknown): Problem {
  const path = fieldPath(e.instancePath, root);
  const s = (e.parentSchema ?? {}) as JsonSchema;
  const said = s.errorMessage?.[e.keyword as keyof ErrorMessages];
  const value: unknown = e.data;
  switch (e.keyword) {
    case 'required':
      return { path: join(path, (e.params as { missingProperty: string }).missingProperty), message: 'is required' };
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const near = nearest(key, Object.keys(s.properties ?? {}));
      return { path: join(path, key), message: `is not a known field${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}` };
    }
    case 'type':
      if (path === '') return { path, message: 'must be an object' };
      return { path, message: `${said ?? `must be ${TYPE_NAMES[String(e.schema)] ?? `of type ${String(e.schema)}`}`}, got ${show(value)}` };
    case 'enum': {
      const allowed = s.enum ?? [];
      // A misspelt word gets a suggestion; a version or number near another is no misspelling.
      const near = typeof value === 'string' && /[a-z]/i.test(value) ? nearest(value, allowed.map(String)) : [];
      return {
        path,
        message: `(${show(value)}) must be one of ${allowed.map(show).join(', ')}${near.length ? ` (did you mean ${near.map(show).join(' or ')}?)` : ''}`,
      };
    }
    case 'const':
      return { path, message: `(${show(value)}) must be ${show(s.const)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
      return { path, message: `(${show(value)}) must be ${range(s)}` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'maxLength':
    case 'pattern':
      return { path, message: `(${show(value)}) ${said ?? e.message ?? 'is not valid'}` };
    case 'minItems':
      return { path, message: said ?? `must list at least ${String(e.schema)} item(s)` };
    default:
      return { path, message: e.message ?? `fails ${e.keyword}` };
  }
}

/**
 * Every structural problem of `spec` against the ClusterSpec declaration, one per field (the first
 * ajv reports: a wrong type before a bound, an empty string before a pattern), in ajv's order.
 */
export function structuralProblems(spec: unknown): Problem[] {
  const validate = validator();
  if (validate(spec)) return [];
  const { errors, problems } = resolveUnions([...(validate.errors ?? [])], spec);
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of [...errors.map((e) => describe(e, spec)), ...problems]) {
    if (seen.has(p.path)) continue;
    seen.add(p.path);
    out.push(p);
  }
  return out;
}

/**
 * A sort key for a field path: at each step the field's position in its declaration (an unknown
 * field before the known ones, as its parent's first problem) or the array index. Sorting problems
 * by it lists them in the order the spec declares its fields, whichever check found them.
 */
export function declarationOrder(path: string): number[] {
  const key: number[] = [];
  let s: JsonSchema | undefined = ClusterSpec as JsonSchema;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) {
      key.push(Number(m[2]));
      s = s?.items;
      continue;
    }
    const options: readonly JsonSchema[] = s?.anyOf ?? (s ? [s] : []);
    const names = [...new Set(options.flatMap((o) => Object.keys(o.properties ?? {})))];
    key.push(names.indexOf(m[1]!));
    s = options.find((o) => o.properties?.[m[1]!])?.properties?.[m[1]!];
  }
  return key;
}

/** Compares two declaration-order keys (a parent before its fields). */
export function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
