// Runtime validation of a ClusterSpec. Every problem is collected (never just the first), each as
// one sentence naming the cluster and the field path: `prod-us-east-1: milvus.queryNode.maxReplicas
// (2) must be >= minReplicas (4)`. Specs come from TypeScript, but also from reviews of data edits,
// so types are re-checked here too: structurally against the declaration (structure.ts, ajv over
// schema.ts), then by the rules across fields of each area (rules.ts), on the spec with defaults
// applied. The problems are listed in the order the spec declares its fields.

import { applyDefaults } from './defaults.js';
import { RULES, type RuleContext } from './rules.js';
import { compareOrder, declarationOrder, isObj, structuralProblems, type Problem } from './structure.js';
import type { ClusterSpec, ResolvedClusterSpec } from './types.js';

export { DNS_LABEL } from './schema.js';
export { ipv4Overlap, parseIpv4Cidr, type Ipv4Block } from './rules.js';

/** Thrown by `resolveClusterSpec` with every problem of the spec. */
export class ClusterSpecError extends Error {
  /** One line per problem, each starting with `<cluster>: <field path>`. */
  readonly problems: readonly string[];
  /** The cluster name as given (or `<unnamed>`). */
  readonly cluster: string;

  constructor(cluster: string, problems: readonly string[]) {
    super(`cluster spec ${cluster} has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'ClusterSpecError';
    this.cluster = cluster;
    this.problems = problems;
  }
}

/** The cluster name as given, for messages (`<unnamed>` when there is none). */
function clusterOf(spec: unknown): string {
  return isObj(spec) && typeof spec.name === 'string' && spec.name !== '' ? spec.name : '<unnamed>';
}

/** Whether a problem at `at` leaves the field at `path` unjudged: at it, around it or inside it (an unknown key only at or inside it). */
function blocks(at: Problem, path: string): boolean {
  const inside = (a: string, b: string) => b === '' || a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return inside(path, at.path) || (!at.message.startsWith('is not a known field') && inside(at.path, path));
}

/** The rules' problems for a spec whose structural problems are `structural`. */
function ruleProblems(spec: ClusterSpec, structural: readonly Problem[]): Problem[] {
  let r: ResolvedClusterSpec;
  try {
    r = applyDefaults(spec);
  } catch (e) {
    // A spec that cannot be resolved is explained by its structural problems when it has some.
    return structural.length > 0 ? [] : [{ path: '', message: `could not be resolved: ${(e as Error).message}` }];
  }
  const found: Problem[] = [];
  const context: RuleContext = {
    spec: spec as unknown as Record<string, unknown>,
    r,
    sound: (...paths) => paths.every((path) => !structural.some((p) => blocks(p, path))),
    add: (path, message) => found.push({ path, message }),
  };
  for (const rule of RULES) rule(context);
  return found;
}

/**
 * Every problem of a spec, or an empty list: its structural problems (unknown fields, types, enum
 * values, required fields, bounds, formats) and those of the rules across fields, all at once, in
 * the order the spec declares the fields.
 */
export function validateClusterSpec(spec: ClusterSpec): string[] {
  const raw: unknown = spec;
  const cluster = clusterOf(raw);
  const structural = structuralProblems(raw);
  const all = isObj(raw) ? [...structural, ...ruleProblems(spec, structural)] : structural;
  return all
    .map((p) => ({ p, key: declarationOrder(p.path) }))
    .sort((a, b) => compareOrder(a.key, b.key))
    .map(({ p }) => `${cluster}: ${p.path === '' ? '(spec)' : p.path} ${p.message}`);
}

/** Validates and applies defaults; throws a ClusterSpecError listing every problem. */
export function resolveClusterSpec(spec: ClusterSpec): ResolvedClusterSpec {
  const problems = validateClusterSpec(spec);
  if (problems.length > 0) {
    throw new ClusterSpecError(clusterOf(spec), problems);
  }
  return applyDefaults(spec);
}
