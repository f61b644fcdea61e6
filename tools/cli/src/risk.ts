// What a pull request does beyond its rendered objects: the infrastructure it changes (the
// synthesized Terraform of base and head, compared resource by resource, with no cloud access) and
// the changes that need more than a merge to be safe (a Milvus upgrade, a new message queue, a
// new node provisioner, data that leaves the render). Each risk has an id, like the policies, and
// says what to do.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describeObject, type Manifest } from '@milvus-gitops/core/manifest';
import type { RiskId } from '@milvus-gitops/spec';
import { parse } from 'yaml';

/** The resources of one cluster's stack that a change adds, destroys or changes (`type.name`). */
export interface StackDiff {
  readonly cluster: string;
  readonly added: readonly string[];
  readonly destroyed: readonly string[];
  readonly changed: readonly string[];
}

/**
 * Resource types whose destruction loses data or capacity: node groups (their nodes and pods),
 * the cluster, the bucket, KMS keys (everything encrypted with them), the VPC under all of it.
 */
export const STATEFUL_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'aws_eks_cluster',
  'aws_eks_node_group',
  'aws_s3_bucket',
  'aws_kms_key',
  'aws_vpc',
  'aws_autoscaling_group',
]);

type Stack = { resource?: Record<string, Record<string, unknown>> };

/** `type.name` -> the resource's configuration without cdktf's metadata. */
function resources(stack: Stack): Map<string, string> {
  const out = new Map<string, string>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const { '//': _meta, ...rest } = config as Record<string, unknown>;
      out.set(`${type}.${name}`, JSON.stringify(rest));
    }
  }
  return out;
}

/** The stacks (`<dir>/stacks/<cluster>/cdk.tf.json`) of a synthesized folder, by cluster. */
export async function readStacks(dir: string): Promise<Map<string, Stack>> {
  const out = new Map<string, Stack>();
  const stacks = join(dir, 'stacks');
  if (!existsSync(stacks)) return out;
  for (const cluster of (await readdir(stacks)).sort()) {
    const file = join(stacks, cluster, 'cdk.tf.json');
    if (existsSync(file)) out.set(cluster, JSON.parse(await readFile(file, 'utf8')) as Stack);
  }
  return out;
}

/** Compares base and head stacks, cluster by cluster; clusters without a change are left out. */
export function diffStacks(base: ReadonlyMap<string, Stack>, head: ReadonlyMap<string, Stack>): StackDiff[] {
  const out: StackDiff[] = [];
  for (const cluster of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const b = resources(base.get(cluster) ?? {});
    const h = resources(head.get(cluster) ?? {});
    const added = [...h.keys()].filter((k) => !b.has(k)).sort();
    const destroyed = [...b.keys()].filter((k) => !h.has(k)).sort();
    const changed = [...h.keys()].filter((k) => b.has(k) && b.get(k) !== h.get(k)).sort();
    if (added.length + destroyed.length + changed.length > 0) out.push({ cluster, added, destroyed, changed });
  }
  return out;
}

/** A change that needs more than a merge. */
export interface Risk {
  /** Stable id (`milvus-minor-upgrade`), one of the spec's RISK_IDS. */
  readonly id: RiskId;
  /** `error`: the change as it stands would lose data or fail; `warning`: it needs steps beyond the merge. */
  readonly level: 'error' | 'warning';
  readonly cluster: string;
  /** What is risky, and what to do. */
  readonly message: string;
}

type Tree = Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML/JSON of any shape, read field by field
type Obj = Record<string, any>;

/** The facts of one cluster's render that the rules compare. */
interface ClusterFacts {
  milvusVersion?: string;
  messageQueue?: string;
  provisioner?: 'karpenter' | 'cluster-autoscaler';
  /** Keys (`Kind/namespace/name`, as in the objects' map) of the objects holding data. */
  dataHolders: Set<string>;
}

/** One parsed object of a render and its file. */
interface Placed {
  readonly path: string;
  readonly object: Obj;
}

/** What the rules compare, read off a cluster's parsed objects. */
function factsOf(objects: ReadonlyMap<string, Placed>): ClusterFacts {
  const facts: ClusterFacts = { dataHolders: new Set() };
  for (const [key, { object: o }] of objects) {
    if (o.kind === 'Deployment') {
      const image = String(o.spec?.template?.spec?.containers?.[0]?.image ?? '');
      const m = /^milvusdb\/milvus:v([0-9]+\.[0-9]+\.[0-9]+)/.exec(image);
      if (m) facts.milvusVersion = m[1];
      if (o.metadata.name === 'cluster-autoscaler') facts.provisioner = 'cluster-autoscaler';
    }
    if (o.kind === 'ConfigMap' && typeof o.data?.['user.yaml'] === 'string') {
      const mq = (parse(o.data['user.yaml']) as Obj | null)?.mq?.type;
      if (typeof mq === 'string') facts.messageQueue = mq;
    }
    if (o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === 'karpenter') facts.provisioner = 'karpenter';
    const holdsData =
      (o.kind === 'StatefulSet' && (o.spec?.volumeClaimTemplates?.length ?? 0) > 0) ||
      o.kind === 'PersistentVolumeClaim' ||
      o.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'] === 'disabled';
    if (holdsData) facts.dataHolders.add(key);
  }
  return facts;
}

/**
 * Fields an update may change, per kind whose other fields are immutable: the API server refuses
 * the update (apps validation: "updates to statefulset spec for fields other than 'replicas',
 * 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit',
 * 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"), Flux's apply of
 * the whole Kustomization fails, and every later change to it waits behind that one.
 */
const STATEFULSET_MUTABLE_SPEC = new Set([
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
]);
/**
 * Immutable fields of the other kinds checked: `spec.selector` of apps/v1 workloads; a
 * StorageClass's provisioning; a binding's `roleRef` ("cannot change roleRef"); a Service's
 * `clusterIP` (a Service cannot become headless, or stop being, in place).
 */
const IMMUTABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec.selector'],
  DaemonSet: ['spec.selector'],
  ReplicaSet: ['spec.selector'],
  StorageClass: ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'],
  RoleBinding: ['roleRef'],
  ClusterRoleBinding: ['roleRef'],
  Service: ['spec.clusterIP'],
};

/**
 * The fields of `head` that differ from `base` (the same object) and that no update may change,
 * compared as rendered: a default made explicit, or a quantity spelled another way, reads as a
 * change (acknowledge it in the spec when it is one only in spelling).
 */
export function immutableFieldsChanged(base: Obj, head: Obj): string[] {
  if (base.kind !== head.kind) return [];
  if (head.kind === 'StatefulSet') {
    const keys = [...new Set([...Object.keys(base.spec ?? {}), ...Object.keys(head.spec ?? {})])].filter((k) => !STATEFULSET_MUTABLE_SPEC.has(k));
    return keys
      .sort()
      .filter((k) => !isDeepStrictEqual(base.spec?.[k], head.spec?.[k]))
      .map((k) => `spec.${k}`);
  }
  const at = (o: Obj, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined), o);
  return (IMMUTABLE_FIELDS[head.kind] ?? []).filter((f) => !isDeepStrictEqual(at(base, f), at(head, f)));
}

/** The objects of one cluster's render (each file parsed once), by `Kind/namespace/name`, with their file. */
function objectsOf(tree: Tree, cluster: string): Map<string, Placed> {
  const out = new Map<string, Placed>();
  for (const [path, text] of Object.entries(tree)) {
    if (!path.startsWith(`${cluster}/`)) continue;
    const o = parse(text) as Obj;
    if (o && typeof o === 'object' && typeof o.kind === 'string' && o.metadata && typeof o.metadata === 'object')
      out.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, { path, object: o });
  }
  return out;
}

const minor = (v: string) => v.split('.').slice(0, 2).join('.');
const cmp = (a: string, b: string) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/**
 * The last 2.5 release from which Milvus supports the move to 2.6, with the coordinators in one
 * process (milvus.io docs, "Upgrade Milvus Cluster with Milvus Operator", v2.6.x).
 */
export const MIN_25_FOR_26 = '2.5.16';

/**
 * The risky changes between two renders (and their stacks), per cluster. An error the head spec
 * acknowledges (`acknowledgedRisks`, by id, with the reason) is reported as a warning with it.
 */
export function riskyChanges(
  base: Tree,
  head: Tree,
  stacks: readonly StackDiff[],
  environmentOf: (cluster: string) => string | undefined,
  acknowledgedOf: (cluster: string) => Readonly<Partial<Record<RiskId, string>>> = () => ({}),
): Risk[] {
  const risks: Risk[] = [];
  const clusters = [...new Set([...Object.keys(base), ...Object.keys(head)].map((p) => p.split('/')[0]!))].sort();
  for (const cluster of clusters) {
    const before = objectsOf(base, cluster);
    const after = objectsOf(head, cluster);
    const b = factsOf(before);
    const h = factsOf(after);
    const changed = Object.keys({ ...base, ...head }).some((p) => p.startsWith(`${cluster}/`) && base[p] !== head[p]);
    if (b.milvusVersion && h.milvusVersion && minor(b.milvusVersion) !== minor(h.milvusVersion)) {
      if (cmp(h.milvusVersion, b.milvusVersion) < 0) {
        risks.push({
          id: 'milvus-downgrade',
          level: 'error',
          cluster,
          message: `Milvus ${b.milvusVersion} -> ${h.milvusVersion} goes back a minor release, which Milvus does not support: its metadata has moved on; restore from an etcd snapshot instead`,
        });
      } else if (minor(b.milvusVersion) === '2.5' && cmp(b.milvusVersion, MIN_25_FOR_26) < 0) {
        risks.push({
          id: 'milvus-minor-upgrade',
          level: 'error',
          cluster,
          message: `Milvus ${b.milvusVersion} -> ${h.milvusVersion} skips the required step: move to ${MIN_25_FOR_26} or later first, then to ${minor(h.milvusVersion)} (README, "Runbook: Milvus 2.5 to 2.6")`,
        });
      } else {
        risks.push({
          id: 'milvus-minor-upgrade',
          level: 'warning',
          cluster,
          message: `Milvus ${b.milvusVersion} -> ${h.milvusVersion} changes the topology in one apply (index nodes go, streaming nodes come): drain pending index builds first, keep the message queue, and watch the coordinator come up before the workers (README, "Runbook: Milvus 2.5 to 2.6")`,
        });
      }
    }
    if (b.messageQueue && h.messageQueue && b.messageQueue !== h.messageQueue) {
      risks.push({
        id: 'message-queue-change',
        level: 'error',
        cluster,
        message: `the message queue changes from ${b.messageQueue} to ${h.messageQueue}: data still in ${b.messageQueue}'s WAL is lost, and Milvus does not support switching queues (not during a 2.5 -> 2.6 upgrade either); keep ${b.messageQueue}`,
      });
    }
    if (b.provisioner && h.provisioner && b.provisioner !== h.provisioner) {
      const groups = stacks.find((s) => s.cluster === cluster)?.destroyed.filter((r) => r.startsWith('aws_eks_node_group.')).length ?? 0;
      risks.push({
        id: 'provisioner-change',
        level: 'warning',
        cluster,
        message: `the node provisioner changes from ${b.provisioner} to ${h.provisioner}${groups ? `, destroying ${groups} node groups with every pod on them in one apply` : ''}: migrate in two steps: first run both (add the new provisioner and its pools, let pods move as nodes drain), then remove the old one in a second pull request`,
      });
    }
    for (const key of b.dataHolders) {
      if (h.dataHolders.has(key)) continue;
      const { path, object: old } = before.get(key)!;
      const what = describeObject(old as Manifest);
      // A StatefulSet renamed: the new one selects the same pods' labels, so the Services and the
      // PodDisruptionBudget select the old set's pods (kept, prune disabled) and the new set's alike.
      const successor =
        old.kind === 'StatefulSet'
          ? [...after].find(
              ([k, { object }]) =>
                object.kind === 'StatefulSet' &&
                !before.has(k) &&
                object.metadata?.namespace === old.metadata?.namespace &&
                isDeepStrictEqual(object.spec?.selector, old.spec?.selector),
            )
          : undefined;
      if (successor) {
        const next = successor[1].object;
        risks.push({
          id: 'data-removed',
          level: 'error',
          cluster,
          message: `${what} (${path}) is renamed to ${next.metadata?.name}: Flux keeps the old set running (prune disabled) while the new one starts on empty volumes, and every Service selecting their common labels sends traffic to both; keep the name, or move the data deliberately`,
        });
        continue;
      }
      risks.push({
        id: 'data-removed',
        level: 'warning',
        cluster,
        message: `${what} (${path}) leaves the render: Flux keeps it (prune disabled), so delete or migrate its data by hand, deliberately`,
      });
    }
    for (const [key, { path, object }] of after) {
      const was = before.get(key);
      if (!was || base[was.path] === head[path]) continue;
      const fields = immutableFieldsChanged(was.object, object);
      if (fields.length === 0) continue;
      const what = describeObject(object as Manifest);
      const one = fields.length === 1;
      risks.push({
        id: 'immutable-field-change',
        level: 'error',
        cluster,
        message: `${what} (${path}) changes ${fields.join(', ')}, which Kubernetes refuses to update: Flux's apply of its Kustomization fails and holds every later change to it; keep ${one ? 'it' : 'them'} as ${one ? 'it is' : 'they are'}, or replace the object deliberately (README, "Runbook: an immutable field changes")`,
      });
    }
    if (changed && environmentOf(cluster) === 'prod') {
      risks.push({
        id: 'prod-change',
        level: 'warning',
        cluster,
        message: 'a production cluster changes: merge in a change window, with someone watching the Milvus dashboards',
      });
    }
  }
  for (const s of stacks) {
    const lost = s.destroyed.filter((r) => STATEFUL_RESOURCE_TYPES.has(r.split('.')[0]!));
    if (lost.length > 0) {
      risks.push({
        id: 'infra-destroy',
        level: 'warning',
        cluster: s.cluster,
        message: `terraform would destroy ${lost.length} resource(s) holding data or capacity: ${lost.join(', ')}`,
      });
    }
  }
  const acknowledged = risks.map((r): Risk => {
    const reason = r.level === 'error' ? acknowledgedOf(r.cluster)[r.id] : undefined;
    return reason ? { ...r, level: 'warning', message: `${r.message} (acknowledged in the spec: ${reason})` } : r;
  });
  return acknowledged.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}

/** The risks and the infrastructure change as text, for the top of the report. */
export function formatRisksText(risks: readonly Risk[], stacks: readonly StackDiff[]): string {
  const lines: string[] = [];
  for (const r of risks) lines.push(`${r.level.toUpperCase()} [${r.id}] ${r.cluster}: ${r.message}`);
  if (stacks.length > 0) {
    lines.push(
      `infrastructure: ${stacks.map((s) => `${s.cluster} ${s.added.length} added, ${s.changed.length} changed, ${s.destroyed.length} destroyed`).join('; ')}`,
    );
    for (const { cluster, sign, resource } of stackChanges(stacks)) lines.push(`  ${cluster} ${sign} ${resource}`);
  }
  return lines.length ? `${lines.join('\n')}\n\n` : '';
}

/** Every resource change of the stacks, one a line: added (+), changed (~), destroyed (-). */
function stackChanges(stacks: readonly StackDiff[]): { cluster: string; sign: '+' | '~' | '-'; resource: string }[] {
  return stacks.flatMap((s) =>
    (
      [
        ['+', s.added],
        ['~', s.changed],
        ['-', s.destroyed],
      ] as const
    ).flatMap(([sign, list]) => list.map((resource) => ({ cluster: s.cluster, sign, resource }))),
  );
}

/** The same as Markdown. */
export function formatRisksMarkdown(risks: readonly Risk[], stacks: readonly StackDiff[]): string {
  const out: string[] = [];
  if (risks.length > 0) {
    out.push('#### Needs attention', '');
    for (const r of risks) out.push(`- ${r.level === 'error' ? '**error**' : 'warning'} \`${r.id}\` **${r.cluster}**: ${r.message}`);
    out.push('');
  }
  if (stacks.length > 0) {
    out.push('#### Infrastructure', '', '| cluster | added | changed | destroyed |', '|---|---|---|---|');
    for (const s of stacks) out.push(`| ${s.cluster} | ${s.added.length} | ${s.changed.length} | ${s.destroyed.length} |`);
    out.push('', '<details><summary>resources</summary>', '');
    for (const { cluster, sign, resource } of stackChanges(stacks)) out.push(`- \`${sign} ${cluster} ${resource}\``);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
