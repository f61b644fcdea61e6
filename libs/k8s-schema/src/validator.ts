// Strict validation of Kubernetes objects: the OpenAPI definitions of each Kubernetes version and
// the CRDs' openAPIV3Schema compiled with ajv (unknown fields rejected), then the CRDs'
// x-kubernetes-validations CEL rules evaluated on the object. Only the kinds an input holds are
// compiled, each once per machine: the generated code is kept in a compile cache keyed by the
// schema's content and this compiler's own code, so a warm run parses no schema at all.
// Pod templates and object metadata are compiled apart: a kind (Deployment, StatefulSet, CronJob,
// ConfigMap, a CRD's kind...) is compiled without them, and every pod template and every object
// metadata is checked by one PodTemplateSpec and one ObjectMeta validator per Kubernetes version,
// shared by all kinds: their code is loaded once, not once per kind.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { evaluateRules, rulesOnly, type CelRuleFailure } from './cel.js';
import { CompileCache, defaultCacheDir, hashOf } from './compile-cache.js';
import { FORMATS, goRegExp, QUANTITY_PATTERN, RUNTIME_MODULE } from './runtime.js';
import type { SchemaFile, SchemaSource } from './source.js';
type AjvModule = typeof import('ajv'); // eslint-disable-line @typescript-eslint/consistent-type-imports -- loaded on first need
type YamlModule = typeof import('yaml'); // eslint-disable-line @typescript-eslint/consistent-type-imports -- loaded on first need

// The compiler (ajv, its standalone code generator) and the YAML parser are only needed when a
// schema is not in the compile cache yet: required on first need, so a warm run never loads them.
const requireHere = createRequire(import.meta.url);
const ajvModule = () => requireHere('ajv') as AjvModule;
const standaloneCode = (ajv: Ajv, fn: ValidateFunction): string =>
  (requireHere('ajv/dist/standalone') as { default: (ajv: Ajv, fn: ValidateFunction) => string }).default(ajv, fn);
const parseYaml = (text: string): unknown => (requireHere('yaml') as YamlModule).parse(text);

/** One problem of one object. */
export interface Failure {
  /** JSON path inside the object (`spec.template.spec.containers[0].image`), or `(object)`. */
  readonly path: string;
  readonly message: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML/JSON of any shape, read field by field
type Schema = Record<string, any>;

/** The keys of a JSON pointer (`/spec/containers/0` -> `spec`, `containers`, `0`), `~1` and `~0` decoded. */
function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/spec/containers/0/name` -> `spec.containers[0].name`. */
export function jsonPath(pointer: string, extra?: string): string {
  const parts = pointerParts(pointer);
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) {
    if (/^[0-9]+$/.test(p)) out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out || '(object)';
}

/** Marks every object schema that lists its properties as closed, the way the API server prunes. */
function strictify(schema: unknown, inCrd: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => strictify(s, inCrd));
  if (!schema || typeof schema !== 'object') return schema;
  const s: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) {
    if (k === 'description' || k === 'x-kubernetes-validations') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      s.properties = Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, strictify(ps, inCrd)]));
    } else s[k] = typeof v === 'object' ? strictify(v, inCrd) : v;
  }
  if (s.properties && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) s.additionalProperties = false;
  if (s.pattern === QUANTITY_PATTERN) {
    // A message that says "quantity", not the regular expression.
    delete s.pattern;
    s.format = 'quantity';
  }
  if (s['x-kubernetes-int-or-string']) {
    delete s.type;
    s.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (inCrd && s.nullable === true) {
    delete s.nullable;
    return { anyOf: [s, { type: 'null' }] };
  }
  return s;
}

const QUANTITY_DEFINITION = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/**
 * The Kubernetes definitions made strict. The OpenAPI document types a resource.Quantity as any
 * string or number; the API server parses it, so `memory: lots` is refused there: refuse it here.
 */
function strictDefinitions(defs: Record<string, Schema>): Schema {
  const strict = strictify(defs, false) as Schema;
  if (strict[QUANTITY_DEFINITION]) strict[QUANTITY_DEFINITION] = { oneOf: [{ type: 'string', format: 'quantity' }, { type: 'number' }] };
  return strict;
}

const FORMAT_WORDS: Record<string, string> = { quantity: 'a Kubernetes quantity (such as 500m, 4Gi or 2)' };

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

/** Turns ajv's errors into one sentence per problem, without the noise of oneOf branches. */
function toFailures(errors: readonly ErrorObject[]): Failure[] {
  const alternatives = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath));
  const out = new Map<string, Failure>();
  for (const e of errors) {
    let f: Failure;
    if (alternatives.has(e.instancePath) && e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && (e.keyword === 'type' || e.keyword === 'format')) continue;
    switch (e.keyword) {
      case 'additionalProperties':
        f = { path: jsonPath(e.instancePath, String(e.params.additionalProperty)), message: 'unknown field' };
        break;
      case 'required':
        f = { path: jsonPath(e.instancePath, String(e.params.missingProperty)), message: 'required field is missing' };
        break;
      case 'type':
        f = {
          path: jsonPath(e.instancePath),
          message: `must be ${[e.params.type]
            .flat()
            .map((t: string) => TYPE_WORDS[t] ?? t)
            .join(' or ')}`,
        };
        break;
      case 'enum':
        f = { path: jsonPath(e.instancePath), message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
        break;
      case 'oneOf':
      case 'anyOf': {
        // The branches' own type errors say which shapes were allowed.
        const branch = `${e.schemaPath}/`;
        const types = [
          ...new Set(
            errors
              .filter((b) => b.keyword === 'type' && b.instancePath === e.instancePath && b.schemaPath.startsWith(branch))
              .flatMap((b) => [b.params.type as string | string[]].flat()),
          ),
        ];
        const format = errors.find((b) => b.keyword === 'format' && b.instancePath === e.instancePath && b.schemaPath.startsWith(branch));
        if (format) {
          const name = String(format.params.format);
          f = { path: jsonPath(e.instancePath), message: `must be ${FORMAT_WORDS[name] ?? `a valid ${name}`}` };
          break;
        }
        f = {
          path: jsonPath(e.instancePath),
          message: types.length ? `must be ${types.map((t: string) => TYPE_WORDS[t] ?? t).join(' or ')}` : 'matches none of the allowed shapes',
        };
        break;
      }
      case 'format':
        f = { path: jsonPath(e.instancePath), message: `must be ${FORMAT_WORDS[String(e.params.format)] ?? `a valid ${String(e.params.format)}`}` };
        break;
      default:
        f = { path: jsonPath(e.instancePath), message: e.message ?? e.keyword };
    }
    out.set(`${f.path}\u0000${f.message}`, f);
  }
  return [...out.values()];
}

/**
 * An ajv instance. `allErrors` false stops at the first problem: smaller, faster code that answers
 * whether an object passes; only an object that fails is run again to list all its problems.
 */
function newAjv(allErrors: boolean): Ajv {
  const { Ajv, _ } = ajvModule();
  // code.source/formats/regExp: the compiled code can be written out and loaded back (runtime.ts).
  const ajv = new Ajv({
    allErrors,
    strict: false,
    logger: false,
    validateSchema: false,
    code: { source: true, regExp: goRegExp, formats: _`require(${RUNTIME_MODULE}).FORMATS` },
  });
  for (const [name, def] of Object.entries(FORMATS)) ajv.addFormat(name, def as never);
  return ajv;
}

const AJV_VERSION = (requireHere('ajv/package.json') as { version: string }).version;

/**
 * Identifies this compiler: a change to this module or to runtime.ts (how schemas are made strict,
 * ajv's options, the formats, the RegExp engine), to ajv's version or to the formats gives every
 * cached validator a new key. The modules' own text, not their functions' `toString()`: a bundle
 * (tools/tsconfig/transpile.mjs) renames local variables, and the bundled command must share the
 * cache with the libraries as transpiled (render, tests); import.meta.url is this file in both.
 */
const here = fileURLToPath(import.meta.url);
const COMPILER_ID = hashOf(
  AJV_VERSION,
  readFileSync(here, 'utf8'),
  readFileSync(join(dirname(here), `runtime${extname(here)}`), 'utf8'),
  JSON.stringify(Object.entries(FORMATS).map(([k, v]) => [k, v instanceof RegExp ? String(v) : typeof v === 'object' ? v.type : v])),
);

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** One Kubernetes version's definitions: parsed and handed to ajv only when a kind must be compiled. */
interface KubernetesVersion {
  readonly minor: string;
  readonly hash: string;
  /** `apps/v1/Deployment` -> definition name. */
  readonly gvk: Record<string, string>;
  /** The definitions file, read only to compile a kind the cache lacks. */
  readonly file: SchemaFile;
  definitions?: Record<string, Schema>;
  strict?: Schema;
  /** ajv instances by `allErrors`. */
  readonly ajv: Map<boolean, Ajv>;
  readonly compiled: Map<string, Checker>;
}

/** A compiled schema: a quick pass/fail check, and the full report of an object that fails it. */
interface Compiled {
  readonly quick: ValidateFunction;
  /** Loaded (or compiled) on the first failure. */
  readonly full: () => ValidateFunction;
}

/** Every problem of one object by one schema: none when it passes. */
type Checker = (o: unknown) => Failure[];

/** A schema put together from compiled validators: whether a value passes, and ajv's errors of one that fails. */
interface Judge {
  readonly passes: (v: unknown) => boolean;
  /** ajv's errors (allErrors), in the order the schema compiled whole reports them; none when it passes. */
  readonly errors: (v: unknown) => ErrorObject[];
}

const POD_TEMPLATE = 'io.k8s.api.core.v1.PodTemplateSpec';

/**
 * The definitions that every validator of a version leaves to one shared validator: pod templates
 * (big, in every workload kind) and object metadata (in every kind, and again in pod templates,
 * volume claim templates...). Each is compiled once per version, not into each kind.
 */
const SHARED: readonly string[] = [POD_TEMPLATE, META];

/**
 * How a definition is compiled. One that holds shared definitions (SHARED) at fixed places
 * (`metadata`, `spec.template`, `spec.volumeClaimTemplates[*].metadata`...) is compiled with them
 * made placeholders (`outer`), and each place is checked by the version's validator of that
 * definition (itself laid out the same way: a pod template's metadata is checked by the ObjectMeta
 * validator); any other definition is compiled whole.
 */
interface Layout {
  /** Hash of the definitions the (outer) validator is compiled from. */
  readonly closure: string;
  /** The shared definitions it holds, when it is compiled without them. */
  readonly parts?: readonly LayoutPart[];
}

/** One shared definition inside a definition compiled without it (see Layout). */
interface LayoutPart {
  readonly name: string;
  /** How the shared definition itself is compiled. */
  readonly layout: Layout;
  /** Where it is: property names, `*` for every item of a list or value of a map. */
  readonly paths: readonly (readonly string[])[];
}

const IGNORED_IN_HASH = /^(description|x-kubernetes-list-.*|x-kubernetes-patch-.*|x-kubernetes-map-type)$/;

/**
 * The hash of a definition and every definition it refers to: two Kubernetes versions whose
 * closures hash alike validate that kind identically, so they share one compiled validator.
 */
function closureHash(defs: Record<string, Schema>, name: string): string {
  const seen = closureOf(defs, name);
  // Descriptions and the server-side list, map and patch hints change between versions without
  // changing the compiled code (ajv ignores them): leave them out of the hash.
  return hashOf(
    name,
    JSON.stringify(
      [...seen].sort().map((n) => [n, defs[n]]),
      (k, v: unknown) => (IGNORED_IN_HASH.test(k) ? undefined : v),
    ),
  );
}

const refTarget = (ref: string): string => ref.replace('#/definitions/', '');

/** The names of a definition and of every definition it refers to, directly or not. */
function closureOf(defs: Record<string, Schema>, name: string): Set<string> {
  const seen = new Set<string>();
  const stack = [name];
  const refs = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(refs);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') stack.push(refTarget(v));
        else if (k !== 'description') refs(v);
      }
    }
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    refs(defs[n]);
  }
  return seen;
}

/** What a shared definition becomes in the definitions an outer validator is compiled from (see Layout). */
const placeholder = (name: string): Schema => ({ 'x-milvus-gitops-placeholder': name });

/**
 * Where an outer validator of a shared definition starts (see ajvOf): under its own name the
 * outer definitions hold its placeholder.
 */
const sharedRoot = (name: string): string => `x-milvus-gitops-shared.${name}`;

/**
 * The places of the shared definitions (see Layout) in definition `name`, by shared definition, or
 * undefined when it holds none or holds one where a path cannot say (under anyOf, in a recursive
 * definition...): it is then compiled whole.
 */
function sharedPaths(defs: Record<string, Schema>, name: string): Map<string, string[][]> | undefined {
  const shared = new Set(SHARED.filter((s) => s !== name));
  const leads = new Map<string, boolean>();
  const defLeads = (n: string): boolean => {
    let known = leads.get(n);
    if (known === undefined) leads.set(n, (known = !shared.has(n) && [...closureOf(defs, n)].some((c) => shared.has(c))));
    return known;
  };
  /** Whether a schema node refers to a shared definition somewhere below it. */
  const nodeLeads = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(nodeLeads);
    if (!node || typeof node !== 'object') return false;
    return Object.entries(node as Schema).some(([k, v]) =>
      k === '$ref' && typeof v === 'string' ? shared.has(refTarget(v)) || defLeads(refTarget(v)) : k !== 'description' && nodeLeads(v),
    );
  };
  const out = new Map<string, string[][]>();
  const walk = (node: unknown, path: string[], via: readonly string[]): boolean => {
    if (!nodeLeads(node)) return true;
    if (Array.isArray(node)) return false;
    for (const [k, v] of Object.entries(node as Schema)) {
      if (!nodeLeads(v) && k !== '$ref') continue;
      if (k === '$ref' && typeof v === 'string') {
        const target = refTarget(v);
        if (shared.has(target)) out.set(target, [...(out.get(target) ?? []), path]);
        else if (!defLeads(target)) continue;
        else if (via.includes(target) || !walk(defs[target], path, [...via, target])) return false;
      } else if (k === 'properties' && !Array.isArray(v)) {
        for (const [p, ps] of Object.entries(v as Schema)) if (!walk(ps, [...path, p], via)) return false;
      } else if ((k === 'items' || k === 'additionalProperties') && !Array.isArray(v)) {
        if (!walk(v, [...path, '*'], via)) return false;
      } else return false;
    }
    return true;
  };
  return walk(defs[name], [], [name]) && out.size > 0 ? out : undefined;
}

/** How `name` is compiled (see Layout). */
function layoutOf(defs: Record<string, Schema>, name: string): Layout {
  const found = sharedPaths(defs, name);
  if (!found) return { closure: closureHash(defs, name) };
  const outer = { ...defs };
  for (const s of SHARED) if (s !== name) outer[s] = placeholder(s);
  return {
    closure: closureHash(outer, name),
    parts: SHARED.filter((s) => found.has(s)).map((s) => ({ name: s, layout: layoutOf(defs, s), paths: found.get(s)! })),
  };
}

/** The values at `path` (see Layout) in `value`: every value of a shared definition an object holds, or more. */
function valuesAt(value: unknown, path: readonly string[], i: number, out: unknown[]): void {
  if (i === path.length) {
    if (value !== undefined) out.push(value);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const step = path[i]!;
  if (step === '*') for (const v of Array.isArray(value) ? value : Object.values(value)) valuesAt(v, path, i + 1, out);
  else valuesAt((value as Schema)[step], path, i + 1, out);
}

/** The value at a JSON pointer of ajv (`/spec/template`). */
function atPointer(value: unknown, pointer: string): unknown {
  let v = value;
  for (const p of pointerParts(pointer)) v = (v as Schema)[p];
  return v;
}

/** One served version of a CRD. */
interface CrdVersion {
  /** Hash of the CRD file it came from. */
  readonly hash: string;
  /** The raw openAPIV3Schema, read when the kind must be compiled. */
  readonly schema: () => Schema;
  /** The part of it that holds CEL rules (see rulesOnly), cached per kind. */
  readonly rules: () => Schema;
  compiled?: Checker;
}

/** The judge of a schema compiled whole. */
function wholeJudge(c: Compiled): Judge {
  return {
    passes: (v) => c.quick(v),
    errors: (v) => {
      const full = c.full();
      return full(v) ? [] : (full.errors ?? []);
    },
  };
}

/** Whether the keys of an instance path are those of a place (see Layout), `*` taking any key. */
const isAt = (keys: readonly string[], path: readonly string[]): boolean => keys.length === path.length && path.every((p, i) => p === '*' || p === keys[i]);

/**
 * The judge of a definition compiled without its shared definitions (see Layout). Its quick check
 * takes anything at their places, its full report one error (`false schema`) at each: that error
 * is replaced by the shared definition's errors, prefixed with its place, so the report is the one
 * the whole definition's validator gives, in the same order.
 */
function splitJudge(outer: Compiled, parts: readonly { readonly paths: readonly (readonly string[])[]; readonly judge: Judge }[]): Judge {
  return {
    passes: (v) => {
      if (!outer.quick(v)) return false;
      for (const { paths, judge } of parts) {
        const values: unknown[] = [];
        for (const path of paths) valuesAt(v, path, 0, values);
        if (!values.every((x) => judge.passes(x))) return false;
      }
      return true;
    },
    errors: (v) => {
      const full = outer.full();
      if (full(v)) return [];
      const errors: ErrorObject[] = [];
      for (const e of full.errors ?? []) {
        const keys = e.keyword === 'false schema' ? pointerParts(e.instancePath) : undefined;
        const part = keys && parts.find((p) => p.paths.some((path) => isAt(keys, path)));
        if (!part) errors.push(e);
        else for (const t of part.judge.errors(atPointer(v, e.instancePath))) errors.push({ ...t, instancePath: e.instancePath + t.instancePath });
      }
      return errors;
    },
  };
}

/** The checker of a judge: its errors as failures. */
const checkerOf =
  (judge: Judge): Checker =>
  (o) =>
    judge.passes(o) ? [] : toFailures(judge.errors(o));

/** Options of loading a validator. */
export interface SchemaValidatorOptions {
  /**
   * Folder of compiled validators shared by runs; `false` compiles in memory only.
   * @default $GITOPS_CACHE_DIR, else $XDG_CACHE_HOME/milvus-gitops, else ~/.cache/milvus-gitops (its `validators/` folder)
   */
  readonly cacheDir?: string | false;
}

/**
 * Validates objects against the schemas of a source. A kind is compiled on first use (or loaded
 * from the compile cache) and reused for every object.
 */
export class SchemaValidator {
  private readonly byVersion = new Map<string, KubernetesVersion>();
  /** Compiled validators by cache key: kinds alike in two versions share one. */
  private readonly byCodeKey = new Map<string, Compiled>();
  /** Judges by their layouts: definitions alike in two versions share one. */
  private readonly judges = new Map<string, Judge>();
  /** Checkers by their judges: kinds alike in two versions share one. */
  private readonly checkers = new Map<Judge, Checker>();
  private readonly crds = new Map<string, CrdVersion>();
  /** The compile cache of this validator. */
  readonly cache: CompileCache;
  /** The source's Kubernetes versions, oldest first. */
  readonly versions: readonly string[];

  private constructor(
    readonly source: SchemaSource,
    versions: readonly string[],
    cache: CompileCache,
  ) {
    this.versions = versions;
    this.cache = cache;
  }

  /** Loads a source: its CRDs and the kinds of every Kubernetes version it holds. */
  static async load(source: SchemaSource, opts: SchemaValidatorOptions = {}): Promise<SchemaValidator> {
    const cacheDir = opts.cacheDir === false ? undefined : `${opts.cacheDir ?? defaultCacheDir()}/validators`;
    const num = (v: string) => Number(v.split('.')[1]);
    const versions = (await source.kubernetesVersions()).sort((a, b) => num(a) - num(b));
    const v = new SchemaValidator(source, versions, new CompileCache(cacheDir));
    if (v.versions.length === 0) throw new Error(`no Kubernetes schemas in ${source.describe}`);
    const files = await source.files(versions);
    // A file's content hash is remembered by its identity: a warm run reads no schema file.
    const contentHash = (f: SchemaFile, kind: string): string => v.cache.text(`file-${hashOf(kind, f.identity)}.txt`, () => hashOf(kind, f.read()));
    versions.forEach((minor, i) => {
      const file = files.kubernetes[i]!;
      const hash = contentHash(file, 'kubernetes-definitions');
      const gvk = v.cache.json(`gvk-${hash}.json`, () => {
        const out: Record<string, string> = {};
        for (const [name, def] of Object.entries((JSON.parse(file.read()) as { definitions: Record<string, Schema> }).definitions)) {
          for (const g of (def['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[]) {
            out[`${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`] = name;
          }
        }
        return out;
      });
      v.byVersion.set(minor, { minor, hash, gvk, file, ajv: new Map(), compiled: new Map() });
    });
    for (const file of files.crds) {
      const hash = contentHash(file, 'crd');
      // The served versions' schemas, parsed from the CRD once per machine and read per kind.
      const served = (): { key: string; schema: Schema }[] =>
        v.cache.json(`crd-${hash}.json`, () => {
          const crd = parseYaml(file.read()) as Schema;
          return (crd.spec.versions as Schema[])
            .filter((ver) => ver.served && ver.schema?.openAPIV3Schema)
            .map((ver) => ({ key: `${crd.spec.group}/${ver.name}/${crd.spec.names.kind}`, schema: ver.schema.openAPIV3Schema as Schema }));
        });
      const keys = v.cache.json(`crd-keys-${hash}.json`, () => served().map((s) => s.key));
      let schemas: Map<string, Schema> | undefined;
      for (const key of keys) {
        const schema = () => (schemas ??= new Map(served().map((s) => [s.key, s.schema]))).get(key)!;
        let rules: Schema | undefined;
        v.crds.set(key, { hash, schema, rules: () => (rules ??= v.cache.json(`crd-rules-${hashOf(hash, key)}.json`, () => rulesOnly(schema()))) });
      }
    }
    return v;
  }

  /** The oldest Kubernetes version of the source (the API floor, 1.29 for cdk8s-plus-29). */
  get floor(): string {
    return this.versions[0]!;
  }

  /**
   * The versions an object of a cluster at `minor` is checked against: the API floor and the
   * cluster's own minor (or, when the source lacks it, the nearest newer one it has).
   */
  versionsFor(minor: string): { versions: string[]; substitute?: string } {
    const num = (v: string) => Number(v.split('.')[1]);
    if (this.versions.includes(minor)) return { versions: [...new Set([this.floor, minor])] };
    const newer = this.versions.filter((v) => num(v) > num(minor));
    const pick = newer[0] ?? this.versions[this.versions.length - 1]!;
    return { versions: [...new Set([this.floor, pick])], substitute: pick };
  }

  /** The definitions of a version, parsed on first need. */
  private definitionsOf(k: KubernetesVersion): Record<string, Schema> {
    k.definitions ??= (JSON.parse(k.file.read()) as { definitions: Record<string, Schema> }).definitions;
    return k.definitions;
  }

  /**
   * The ajv instance of a version, with its definitions added (parsed on first need): as they are
   * (`k8s-1.33`), and with each shared definition a placeholder (`k8s-1.33-outer`, see Layout)
   * that takes anything in a quick check and fails with one `false schema` error in a full report;
   * there, a shared definition's own outer validator starts at sharedRoot.
   */
  private ajvOf(k: KubernetesVersion, allErrors: boolean): Ajv {
    let ajv = k.ajv.get(allErrors);
    if (!ajv) {
      ajv = newAjv(allErrors);
      k.strict ??= strictDefinitions(this.definitionsOf(k));
      ajv.addSchema({ $id: `k8s-${k.minor}`, definitions: k.strict });
      const outer: Schema = { ...k.strict };
      for (const s of SHARED) {
        outer[sharedRoot(s)] = k.strict[s];
        outer[s] = !allErrors;
      }
      ajv.addSchema({ $id: `k8s-${k.minor}-outer`, definitions: outer });
      k.ajv.set(allErrors, ajv);
    }
    return ajv;
  }

  /** Loads one mode of `key`'s compiled code from the cache, or compiles it and caches the code. */
  private loadOrCompile(key: string, allErrors: boolean, compile: (allErrors: boolean) => { ajv: Ajv; fn: ValidateFunction }): ValidateFunction {
    const file = `validate-${key}${allErrors ? '-all' : ''}.cjs`;
    const cached = this.cache.loadFunction(file);
    if (cached) return cached;
    const compiled = compile(allErrors);
    this.cache.write(file, standaloneCode(compiled.ajv, compiled.fn));
    return compiled.fn;
  }

  /** The validators of `key`: the quick check now, the full report when first needed. */
  private cachedOrCompiled(key: string, compile: (allErrors: boolean) => { ajv: Ajv; fn: ValidateFunction }): Compiled {
    const known = this.byCodeKey.get(key);
    if (known) return known;
    let full: ValidateFunction | undefined;
    const checker: Compiled = {
      quick: this.loadOrCompile(key, false, compile),
      full: () => (full ??= this.loadOrCompile(key, true, compile)),
    };
    this.byCodeKey.set(key, checker);
    return checker;
  }

  private compiledCrd(key: string): CrdVersion | undefined {
    const crd = this.crds.get(key);
    if (!crd || crd.compiled) return crd;
    const floor = this.byVersion.get(this.floor)!;
    const outer = this.cachedOrCompiled(hashOf(COMPILER_ID, 'crd', crd.hash, floor.hash, key), (allErrors) => {
      const ajv = this.ajvOf(floor, allErrors);
      const strict = strictify(crd.schema(), true) as Schema;
      // Object metadata in a CRD is the ordinary ObjectMeta, checked as strictly as built-in kinds
      // and by the same validator: the placeholder here, the floor's ObjectMeta validator below.
      strict.properties = { ...strict.properties, metadata: { $ref: `k8s-${this.floor}-outer#/definitions/${META}` } };
      return { ajv, fn: ajv.compile(strict) };
    });
    crd.compiled = checkerOf(splitJudge(outer, [{ paths: [['metadata']], judge: this.judgeOf(floor, META) }]));
    return crd;
  }

  /** The judge of definition `name` of version `k`, laid out by `layout` (see Layout). */
  private judgeOf(k: KubernetesVersion, name: string, layout?: Layout): Judge {
    // The layout is remembered per definitions file and compiler, so a warm run parses no definitions.
    const how = layout ?? this.cache.json<Layout>(`layout-${hashOf(COMPILER_ID, k.hash, name)}.json`, () => layoutOf(this.definitionsOf(k), name));
    // A layout names everything its judge is made of: definitions alike in two versions share one.
    const id = JSON.stringify(how);
    const known = this.judges.get(id);
    if (known) return known;
    const compiledOf = (closure: string, schema: string): Compiled =>
      this.cachedOrCompiled(hashOf(COMPILER_ID, 'kubernetes', closure), (allErrors) => {
        const ajv = this.ajvOf(k, allErrors);
        return { ajv, fn: ajv.compile({ $ref: schema }) };
      });
    const judge = how.parts
      ? splitJudge(
          compiledOf(hashOf('outer', how.closure), `k8s-${k.minor}-outer#/definitions/${SHARED.includes(name) ? sharedRoot(name) : name}`),
          how.parts.map((p) => ({ paths: p.paths, judge: this.judgeOf(k, p.name, p.layout) })),
        )
      : wholeJudge(compiledOf(how.closure, `k8s-${k.minor}#/definitions/${name}`));
    this.judges.set(id, judge);
    return judge;
  }

  private compiledBuiltin(key: string, minor: string): Checker | undefined {
    const k = this.byVersion.get(minor);
    if (!k) throw new Error(`no Kubernetes ${minor} schemas in ${this.source.describe}`);
    const cached = k.compiled.get(key);
    if (cached) return cached;
    const name = k.gvk[key];
    if (!name) return undefined;
    const judge = this.judgeOf(k, name);
    const checker = this.checkers.get(judge) ?? checkerOf(judge);
    this.checkers.set(judge, checker);
    k.compiled.set(key, checker);
    return checker;
  }

  /** Keeps V8's code cache of the validators this process loaded (see CompileCache.saveCodeCache). */
  saveCodeCache(): void {
    this.cache.saveCodeCache();
  }

  /** Every problem of one object, for a cluster at Kubernetes `minor`. */
  validate(obj: unknown, minor: string): Failure[] {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [{ path: '(object)', message: 'not a Kubernetes object' }];
    const o = obj as Schema;
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
      return [{ path: '(object)', message: 'apiVersion and kind are required' }];
    }
    const key = `${o.apiVersion}/${o.kind}`;
    const crd = this.compiledCrd(key);
    if (crd) {
      const failures = crd.compiled!(o);
      return [...failures, ...evaluateRules(crd.rules(), o).map((f: CelRuleFailure) => ({ path: f.path, message: f.message }))];
    }
    const { versions } = this.versionsFor(minor);
    const judged = new Map<Checker, Failure[]>();
    const perVersion = versions.map((ver) => {
      const fn = this.compiledBuiltin(key, ver);
      let failures = fn && judged.get(fn);
      if (fn && !failures) judged.set(fn, (failures = fn(o)));
      return { ver, fn, failures: failures ?? [] };
    });
    const known = perVersion.filter((p) => p.fn);
    if (known.length === 0) {
      return [
        { path: 'apiVersion', message: `no schema for ${o.apiVersion} ${o.kind} (Kubernetes ${versions.join(', ')} and the CRDs of ${this.source.describe})` },
      ];
    }
    const out: Failure[] = [];
    for (const p of perVersion) {
      if (!p.fn) {
        const other = known.map((k) => k.ver).join(', ');
        out.push({ path: 'apiVersion', message: `${o.apiVersion} ${o.kind} is served by Kubernetes ${other} but not by ${p.ver}` });
      }
    }
    const id = (f: Failure) => `${f.path}\u0000${f.message}`;
    const all = new Map<string, { f: Failure; in: string[] }>();
    for (const p of known) for (const f of p.failures) all.set(id(f), { f, in: [...(all.get(id(f))?.in ?? []), p.ver] });
    for (const { f, in: bad } of all.values()) {
      if (bad.length === known.length) out.push(f);
      else {
        const good = known.map((k) => k.ver).filter((v) => !bad.includes(v));
        out.push({ path: f.path, message: `${f.message} (invalid on Kubernetes ${bad.join(', ')}, valid on ${good.join(', ')})` });
      }
    }
    return out;
  }
}
