// Strict validation of Kubernetes objects: the OpenAPI definitions of each Kubernetes version and
// the CRDs' openAPIV3Schema compiled once with ajv (unknown fields rejected), then the CRDs'
// x-kubernetes-validations CEL rules evaluated on the object.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { evaluateRules, type CelRuleFailure } from './cel.js';
import type { SchemaSource } from './source.js';

// ajv-formats is published as CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** One problem of one object. */
export interface Failure {
  /** JSON path inside the object (`spec.template.spec.containers[0].image`), or `(object)`. */
  readonly path: string;
  readonly message: string;
}

type Schema = Record<string, any>;

/** `/spec/containers/0/name` -> `spec.containers[0].name`. */
export function jsonPath(pointer: string, extra?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
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

const TYPE_WORDS: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'an object', array: 'a list', null: 'null' };

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
        f = { path: jsonPath(e.instancePath), message: `must be ${[e.params.type].flat().map((t: string) => TYPE_WORDS[t] ?? t).join(' or ')}` };
        break;
      case 'enum':
        f = { path: jsonPath(e.instancePath), message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
        break;
      case 'oneOf':
      case 'anyOf': {
        const types = ((e.schema as Schema[]) ?? []).map((b) => b.type).filter(Boolean);
        f = { path: jsonPath(e.instancePath), message: types.length ? `must be ${types.map((t: string) => TYPE_WORDS[t] ?? t).join(' or ')}` : 'matches none of the allowed shapes' };
        break;
      }
      case 'format':
        f = { path: jsonPath(e.instancePath), message: `must be a valid ${String(e.params.format)}` };
        break;
      default:
        f = { path: jsonPath(e.instancePath), message: e.message ?? e.keyword };
    }
    out.set(`${f.path}\u0000${f.message}`, f);
  }
  return [...out.values()];
}

/** A compiled schema for one apiVersion/kind. */
interface Compiled {
  readonly validate: ValidateFunction;
  /** The raw CRD schema (for CEL rules), or undefined for built-in kinds. */
  readonly crdSchema?: Schema;
}

/**
 * CRD patterns are Go (RE2) regular expressions, some with leading inline flags such as `(?i)`,
 * which JavaScript does not accept: turn those into RegExp flags.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    let extra = '';
    // RE2 allows `(?i)` and friends anywhere (often right after `^`); JavaScript only as flags.
    const stripped = pattern.replace(/\(\?([imsU]+)\)/g, (_, f: string) => {
      for (const c of f) if ('ims'.includes(c) && !flags.includes(c) && !extra.includes(c)) extra += c;
      return '';
    });
    return new RegExp(stripped, flags + extra);
  },
  { code: 'goRegExp' },
);

function newAjv(): Ajv {
  // verbose: errors carry their schema, so a failed oneOf can say which shapes were allowed.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, logger: false, validateSchema: false, code: { regExp: goRegExp } });
  addFormats(ajv);
  const inRange = (min: number, max: number) => ({ type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
  ajv.addFormat('int32', inRange(-(2 ** 31), 2 ** 31 - 1));
  ajv.addFormat('int64', inRange(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('int-or-string', true);
  return ajv;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * Validates objects against the schemas of a source. Each Kubernetes version's definitions and
 * each CRD version are compiled once, on first use, and reused for every object.
 */
export class SchemaValidator {
  private readonly byVersion = new Map<string, { ajv: Ajv; gvk: Map<string, string>; compiled: Map<string, ValidateFunction> }>();
  private readonly crds = new Map<string, Schema>();
  private readonly crdCompiled = new Map<string, Compiled>();
  /** The source's Kubernetes versions. */
  readonly versions: readonly string[];

  private constructor(
    readonly source: SchemaSource,
    versions: readonly string[],
  ) {
    this.versions = versions;
  }

  /** Loads a source: its CRDs and the definitions of every Kubernetes version it holds. */
  static async load(source: SchemaSource): Promise<SchemaValidator> {
    const v = new SchemaValidator(source, await source.kubernetesVersions());
    if (v.versions.length === 0) throw new Error(`no Kubernetes schemas in ${source.describe}`);
    for (const minor of v.versions) {
      const defs = JSON.parse(await source.kubernetesDefinitions(minor)) as { definitions: Record<string, Schema> };
      const ajv = newAjv();
      const gvk = new Map<string, string>();
      for (const [name, def] of Object.entries(defs.definitions)) {
        for (const g of (def['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[]) {
          gvk.set(`${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`, name);
        }
      }
      ajv.addSchema({ $id: `k8s-${minor}`, definitions: strictify(defs.definitions, false) as Schema });
      v.byVersion.set(minor, { ajv, gvk, compiled: new Map() });
    }
    for (const text of await source.crds()) {
      const crd = parseYaml(text) as Schema;
      for (const ver of crd.spec.versions as Schema[]) {
        if (!ver.served || !ver.schema?.openAPIV3Schema) continue;
        v.crds.set(`${crd.spec.group}/${ver.name}/${crd.spec.names.kind}`, ver.schema.openAPIV3Schema as Schema);
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

  private compiledCrd(key: string): Compiled | undefined {
    const cached = this.crdCompiled.get(key);
    if (cached) return cached;
    const raw = this.crds.get(key);
    if (!raw) return undefined;
    const strict = strictify(raw, true) as Schema;
    // Object metadata in a CRD is the ordinary ObjectMeta: checked as strictly as built-in kinds.
    strict.properties = { ...strict.properties, metadata: { $ref: `k8s-${this.floor}#/definitions/${META}` } };
    const compiled = { validate: this.byVersion.get(this.floor)!.ajv.compile(strict), crdSchema: raw };
    this.crdCompiled.set(key, compiled);
    return compiled;
  }

  private compiledBuiltin(key: string, minor: string): ValidateFunction | undefined {
    const v = this.byVersion.get(minor);
    if (!v) throw new Error(`no Kubernetes ${minor} schemas in ${this.source.describe}`);
    const cached = v.compiled.get(key);
    if (cached) return cached;
    const name = v.gvk.get(key);
    if (!name) return undefined;
    const fn = v.ajv.compile({ $ref: `k8s-${minor}#/definitions/${name}` });
    v.compiled.set(key, fn);
    return fn;
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
      const failures = crd.validate(o) ? [] : toFailures(crd.validate.errors ?? []);
      return [...failures, ...evaluateRules(crd.crdSchema!, o).map((f: CelRuleFailure) => ({ path: f.path, message: f.message }))];
    }
    const { versions } = this.versionsFor(minor);
    const perVersion = versions.map((ver) => {
      const fn = this.compiledBuiltin(key, ver);
      return { ver, fn, failures: fn && !fn(o) ? toFailures(fn.errors ?? []) : [] };
    });
    const known = perVersion.filter((p) => p.fn);
    if (known.length === 0) {
      return [{ path: 'apiVersion', message: `no schema for ${o.apiVersion} ${o.kind} (Kubernetes ${versions.join(', ')} and the CRDs of ${this.source.describe})` }];
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
