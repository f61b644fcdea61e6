// The CEL rules of CRDs (`x-kubernetes-validations`), evaluated where the API server evaluates
// them: at each schema node, with `self` bound to the value there. Transition rules (those that
// read `oldSelf`) only apply to updates and are skipped, as on create.

import { Environment } from '@marcbachmann/cel-js';

/** A rule that failed, with the rule's own message. */
export interface CelRuleFailure {
  readonly path: string;
  readonly message: string;
  readonly rule: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML/JSON of any shape, read field by field
type Schema = Record<string, any>;

/** A CEL environment with the Kubernetes extension functions the CRDs use. */
function kubernetesEnvironment(): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: true });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each extension has its own argument types
  const extensions: [string, (...args: any[]) => unknown][] = [
    // Kubernetes regex library: first match of a regular expression, or "".
    ['string.find(string): string', (s: string, re: string) => new RegExp(re).exec(s)?.[0] ?? ''],
    ['string.findAll(string): list<string>', (s: string, re: string) => [...s.matchAll(new RegExp(re, 'g'))].map((m) => m[0])],
    // Kubernetes strings library (where the library does not already provide it).
    ['string.split(string): list<string>', (s: string, sep: string) => s.split(sep)],
    ['string.lowerAscii(): string', (s: string) => s.toLowerCase()],
    ['string.upperAscii(): string', (s: string) => s.toUpperCase()],
    ['string.trim(): string', (s: string) => s.trim()],
  ];
  for (const [signature, fn] of extensions) {
    try {
      env.registerFunction(signature, fn);
    } catch (e) {
      if (!/overlaps with existing overload/.test((e as Error).message)) throw e;
    }
  }
  return env;
}

let shared: Environment | undefined;
const parsed = new Map<string, (ctx: Record<string, unknown>) => unknown>();

function compile(rule: string): (ctx: Record<string, unknown>) => unknown {
  let fn = parsed.get(rule);
  if (!fn) {
    shared ??= kubernetesEnvironment();
    const program = shared.parse(rule) as unknown as (ctx: Record<string, unknown>) => unknown;
    fn = program;
    parsed.set(rule, fn);
  }
  return fn;
}

/** JSON integers become CEL ints where the schema says integer; everything else stays as is. */
function toCel(value: unknown, schema: Schema | undefined): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && (schema?.type === 'integer' || schema?.['x-kubernetes-int-or-string'])) return BigInt(value);
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        toCel(v, schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined)),
      ]),
    );
  }
  return value;
}

const at = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

const withRules = new WeakMap<Schema, boolean>();

/** Whether `schema` or any schema below it has a rule (remembered per schema object). */
function hasRules(schema: Schema): boolean {
  let known = withRules.get(schema);
  if (known === undefined) {
    withRules.set(schema, false); // a cycle (never in CRDs, but cheap to guard) counts as none
    const subs: unknown[] = [schema.items, schema.additionalProperties, ...Object.values((schema.properties ?? {}) as Record<string, unknown>)];
    known = Boolean(schema['x-kubernetes-validations']?.length) || subs.some((s) => s !== null && typeof s === 'object' && hasRules(s as Schema));
    withRules.set(schema, known);
  }
  return known;
}

/**
 * The part of a schema that `evaluateRules` reads: a node with rules keeps its whole subtree (the
 * rule's `self` is typed by it), a node with rules below it keeps the way down (with `{}` for
 * properties without rules, so that they are still not taken for additional properties), and
 * everything else is `{}`. Small enough to keep per kind and parse on every run.
 */
export function rulesOnly(schema: Schema): Schema {
  if (!hasRules(schema)) return {};
  const without = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(without);
    if (!s || typeof s !== 'object') return s;
    return Object.fromEntries(
      Object.entries(s as Schema)
        .filter(([k]) => k !== 'description')
        .map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, without(ps)])) : without(v)]),
    );
  };
  if (schema['x-kubernetes-validations']?.length) return without(schema) as Schema;
  const out: Schema = {};
  if (schema.items) out.items = rulesOnly(schema.items as Schema);
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, Schema>).map(([k, v]) => [k, rulesOnly(v)]));
  if (schema.additionalProperties !== undefined) {
    out.additionalProperties = typeof schema.additionalProperties === 'object' ? rulesOnly(schema.additionalProperties as Schema) : schema.additionalProperties;
  }
  return out;
}

/** Evaluates every rule of `schema` (and its subschemas) against `value`. */
export function evaluateRules(schema: Schema, value: unknown, path = ''): CelRuleFailure[] {
  const out: CelRuleFailure[] = [];
  if (value === undefined || value === null || !hasRules(schema)) return out;
  for (const v of (schema['x-kubernetes-validations'] ?? []) as { rule: string; message?: string; messageExpression?: string; fieldPath?: string }[]) {
    if (/\boldSelf\b/.test(v.rule)) continue;
    const where = v.fieldPath ? `${path}${v.fieldPath.startsWith('[') ? '' : '.'}${v.fieldPath.replace(/^\./, '')}` : path || '(object)';
    try {
      const result = compile(v.rule)({ self: toCel(value, schema) });
      if (result !== true) out.push({ path: where, message: v.message ?? `failed rule: ${v.rule}`, rule: v.rule });
    } catch (e) {
      out.push({ path: where, message: `${v.message ?? 'rule failed'} (could not evaluate ${v.rule}: ${(e as Error).message.split('\n')[0]})`, rule: v.rule });
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => out.push(...evaluateRules(schema.items as Schema, item, at(path, i))));
  else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const [k, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      if (k in obj) out.push(...evaluateRules(sub, obj[k], at(path, k)));
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      for (const [k, v] of Object.entries(obj))
        if (!(k in (schema.properties ?? {}))) out.push(...evaluateRules(schema.additionalProperties as Schema, v, at(path, k)));
    }
  }
  return out;
}
