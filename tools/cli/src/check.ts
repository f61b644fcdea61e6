// Validation of a batch of files: read, parse, schemas and CEL rules per object, then the policy
// pack over each cluster's objects as one set. A batch holds whole clusters, so batches can run in
// worker threads and only their failures travel back.

import { describeObject, type Manifest } from '@milvus-gitops/core/manifest';
import type { SchemaValidator } from '@milvus-gitops/k8s-schema';
import { runPolicies, runReadiness } from '@milvus-gitops/policies';
import type { Provision } from '@milvus-gitops/spec';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { groupFiles, readInputFiles, type InputFile, type InputObject, type InputProblem } from './inputs.js';

/**
 * Size (both semi-spaces) at which V8's young generation stops growing while files are checked.
 * Node 24's V8 grows it up to 128 MiB when many objects survive a scavenge, which a fleet's
 * clusters do in turn: its peak swung between 150 and 250 MiB from run to run at the same speed.
 * Past this size V8 keeps it (`--semi-space-growth-factor`, read when the space grows; the
 * maximum size itself is fixed when the process starts).
 */
export const YOUNG_GENERATION_BOUND_BYTES = 32 * 1024 * 1024;
let youngHeld = false;
/** Stops the young generation's growth once it has reached the bound. */
function holdYoungGeneration(): void {
  if (youngHeld) return;
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (!young || young.space_size < YOUNG_GENERATION_BOUND_BYTES) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  youngHeld = true;
}

/** One failure, ready to print. */
export interface ValidationFailure {
  /** The file's label (`<cluster>/<app>/<file>` in a rendered tree), with `:<line>` in a multi-document file. */
  readonly file: string;
  /** `Kind ns/name` (or `Kind name`). */
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

/** `Kind ns/name`, tolerating the half-formed objects validation exists to catch. */
export function describeInput(o: unknown): string {
  const m = o as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m)) return `(${Array.isArray(m) ? 'list' : typeof m === 'object' ? 'null' : typeof m})`;
  return m.kind && m.metadata?.name ? describeObject(m as Manifest) : `${m.kind ?? '?'} ${m.metadata?.name ?? '?'}`;
}

/** The Kubernetes minor of each known cluster, and of objects outside any; what each cluster has from outside its render. */
export interface VersionPlan {
  readonly byCluster: Readonly<Record<string, string>>;
  readonly outside: string;
  /** Per known cluster: what the readiness rules judge its objects with. */
  readonly facts?: Readonly<Record<string, ClusterFacts>>;
}

/** What the readiness rules know of a cluster besides its objects. */
export interface ClusterFacts {
  /** What its infrastructure, Kubernetes and bootstrap provide. */
  readonly provided: readonly Provision[];
  /** Its exact Milvus release. */
  readonly milvusVersion: string;
  /** What launches its nodes. */
  readonly provisioner: 'karpenter' | 'cluster-autoscaler';
}

/** Schema and CEL failures of objects, each judged at its cluster's Kubernetes version. */
export function checkObjects(validator: SchemaValidator, objects: readonly InputObject[], plan: VersionPlan): ValidationFailure[] {
  const out: ValidationFailure[] = [];
  for (const o of objects) {
    const minor = (o.cluster && plan.byCluster[o.cluster]) || plan.outside;
    for (const f of validator.validate(o.object, minor)) out.push({ file: o.file, object: describeInput(o.object), path: f.path, message: f.message });
  }
  return out;
}

const isObject = (o: unknown): o is Manifest => Boolean(o) && typeof o === 'object' && !Array.isArray(o);

/**
 * Policy failures of one set of objects judged together (a cluster, or everything outside one);
 * with `facts`, a known cluster's, also the readiness rules that judge it with its infrastructure.
 */
export function policyFailures(objects: readonly InputObject[], facts?: ClusterFacts): ValidationFailure[] {
  const manifests = objects.map((o) => o.object).filter(isObject);
  const byObject = new Map(objects.map((o) => [o.object, o]));
  const violations = [...runPolicies(manifests), ...(facts ? runReadiness(manifests, { ...facts, appOf: (m) => byObject.get(m)?.app }) : [])];
  return violations.map((v) => ({ file: byObject.get(v.object)?.file ?? '?', object: describeInput(v.object), path: v.path, message: v.message }));
}

/** What checking a batch of files found. */
export interface CheckedFiles {
  readonly failures: ValidationFailure[];
  readonly problems: InputProblem[];
  /** Objects judged. */
  readonly objects: number;
  /** The groups (see InputObject.group) of known clusters among them. */
  readonly clusterGroups: string[];
  /** Objects outside any known cluster. */
  readonly outside: number;
}

/**
 * Reads, parses and checks a batch of files holding whole groups, one group at a time (memory
 * holds one cluster's objects, not the whole input); failures in file order.
 */
export async function checkFiles(
  validator: SchemaValidator,
  files: readonly InputFile[],
  plan: VersionPlan,
  readStdin: () => Promise<string>,
): Promise<CheckedFiles> {
  const byGroup = groupFiles(files);
  const failures: ValidationFailure[] = [];
  const problems: InputProblem[] = [];
  const clusterGroups: string[] = [];
  let count = 0;
  let outside = 0;
  for (const [group, share] of byGroup) {
    holdYoungGeneration();
    const { objects, problems: unread } = await readInputFiles(share, readStdin);
    problems.push(...unread);
    const cluster = objects.find((o) => o.cluster)?.cluster;
    failures.push(...checkObjects(validator, objects, plan), ...policyFailures(objects, cluster ? plan.facts?.[cluster] : undefined));
    count += objects.length;
    if (group === '') outside += objects.length;
    else if (objects.length > 0) clusterGroups.push(group);
  }
  const rank = fileRanks(files);
  failures.sort((a, b) => rank(a.file) - rank(b.file));
  return { failures, problems, objects: count, clusterGroups, outside };
}

/** A failure's position in input order, from its file label (`file`, `file:12`, `file:12 items[3]`). */
export function fileRanks(files: readonly InputFile[]): (label: string) => number {
  const order = new Map(files.map((f, i) => [f.label, i]));
  return (label) => order.get(label) ?? order.get(label.replace(/(:[0-9]+|:document [0-9]+)?( items\[[0-9]+\])?$/, '')) ?? Number.MAX_SAFE_INTEGER;
}
