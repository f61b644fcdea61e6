// What the replay reads from a cluster's rendered objects: the query-node HPA with its metrics and
// behavior, the query-node pod's resources and readiness probe, the query pool (NodePool or node
// groups) with its instance types and limits, every other workload's steady capacity, and the
// delays the rendered controllers are configured with (scrape interval, latency window, the
// Cluster Autoscaler's flags). Nothing here is taken from the spec that the render also says.

import { QUERY_QUEUE_DEPTH, SEARCH_P99_LATENCY_MS } from '@milvus-gitops/autoscaling';
import type { Manifest } from '@milvus-gitops/core';
import { nodeGroupsProps } from '@milvus-gitops/apps';
import { allocatable, INSTANCE_TYPES, NODE_CLASS_CAPACITY, nodeGroups, packing, usesSpot } from '@milvus-gitops/nodes';
import { nodeClassOf, podTemplates } from '@milvus-gitops/policies';
import { roleWorkloadName } from '@milvus-gitops/milvus';
import { parseQuantity, type NodeClass, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import { hpaSpecOf, type HpaSpec } from './hpa.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Thrown when the rendered objects lack what the replay needs; names the object and field. */
export class ReplayInputError extends Error {
  constructor(cluster: string, what: string) {
    super(`${cluster}: ${what}`);
    this.name = 'ReplayInputError';
  }
}

/** One HPA metric, as the replay feeds it. */
export type HpaMetric =
  | { kind: 'cpu'; targetUtilization: number }
  | { kind: 'memory'; targetUtilization: number }
  | { kind: 'queue'; name: string; targetAverage: number }
  | { kind: 'latency'; name: string; targetValue: number };

/** An EC2 shape query pods may land on, and what it costs to run. */
export interface QueryNodeOption {
  /** Instance type. */
  instanceType: string;
  /** `spot` or `on-demand`. */
  capacityType: 'spot' | 'on-demand';
  /** Query pods one node holds. */
  podsPerNode: number;
  /** vCPUs and GiB, for pool limits. */
  vcpu: number;
  memoryGi: number;
}

/** The query pool: how nodes for query pods are chosen, limited and removed. */
export interface QueryPool {
  /** `karpenter` (a NodePool) or `cluster-autoscaler` (node groups). */
  provisioner: 'karpenter' | 'cluster-autoscaler';
  /** NodePool or node-group names, for messages. */
  name: string;
  /** Shapes the provisioner may launch, in its order of preference (Karpenter: cheapest per pod; CA: the mixed-instances order). */
  options: QueryNodeOption[];
  /** Zones it may launch into. */
  zones: string[];
  /** Karpenter: the NodePool's `limits` (vCPUs, GiB), less what its nodes for other roles take. CA: each zone's node group maximum size. */
  limit: { cpu: number; memoryGi: number } | { nodesPerZone: Record<string, number> };
  /** Karpenter: the NodePool's disruption budgets (empty nodes go only as they allow); none for CA. */
  budgets: DisruptionBudget[];
  /** Seconds a node stays empty before it is removed (NodePool consolidateAfter; CA scale-down-unneeded-time). */
  emptyNodeSeconds: number;
  /** CA only: seconds after a scale-up during which nothing is scaled down (`--scale-down-delay-after-add`). */
  scaleDownDelayAfterAddSeconds: number;
  /** CA only: `--scan-interval`, seconds. */
  scanIntervalSeconds: number;
}

/** A Karpenter NodePool disruption budget, as it applies to empty nodes (karpenter.sh/v1 `spec.disruption.budgets[]`). */
export interface DisruptionBudget {
  /** `"N"` nodes or `"P%"` of the pool's nodes, rounded up (Karpenter docs, concepts/disruption.md). */
  nodes: string;
  /** Cron schedule (UTC) at which the budget starts; with `durationSeconds`. @default always active */
  schedule?: string;
  /** How long from each scheduled start the budget holds. */
  durationSeconds?: number;
  /** Reasons it applies to. @default every reason */
  reasons?: string[];
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Whether a five-field cron field (numbers, ranges, lists, `*`, day names) admits `value`. */
function cronField(field: string, value: number, names: readonly string[] = []): boolean {
  if (field === '*') return true;
  const num = (x: string) => (names.includes(x.toLowerCase()) ? names.indexOf(x.toLowerCase()) : Number(x));
  return field.split(',').some((part) => {
    const [range, step] = part.split('/');
    const [a, b] = range!.split('-');
    const lo = range === '*' ? 0 : num(a!);
    const hi = b !== undefined ? num(b) : range === '*' ? Infinity : lo;
    return value >= lo && value <= hi && (step === undefined || (value - lo) % Number(step) === 0);
  });
}

/** Whether `budget` is in force at `clock` (seconds since a Monday 00:00 UTC). */
export function budgetActive(budget: DisruptionBudget, clock: number): boolean {
  if (!budget.schedule || budget.durationSeconds === undefined) return true;
  const fields =
    budget.schedule === '@daily' ? ['0', '0', '*', '*', '*'] : budget.schedule === '@hourly' ? ['0', '*', '*', '*', '*'] : budget.schedule.split(/\s+/);
  const [minute, hour, , , dow] = fields;
  // Look back over the budget's duration for a scheduled start, a minute at a time.
  for (let back = 0; back <= budget.durationSeconds; back += 60) {
    const at = Math.floor((clock - back) / 60) * 60;
    const day = (((Math.floor(at / 86400) + 1) % 7) + 7) % 7; // day 0 of the clock is a Monday
    const secondOfDay = ((at % 86400) + 86400) % 86400;
    if (
      cronField(minute!, Math.floor(secondOfDay / 60) % 60) &&
      cronField(hour!, Math.floor(secondOfDay / 3600)) &&
      cronField(dow!, day, DAYS) &&
      clock - at < budget.durationSeconds
    )
      return true;
  }
  return false;
}

/** Empty nodes Karpenter may remove now: the most restrictive budget in force for `Empty`, less nodes already going. */
export function allowedEmptyDisruptions(budgets: readonly DisruptionBudget[], clock: number, nodes: number, deleting: number): number {
  let allowed = Infinity;
  for (const b of budgets) {
    if (b.reasons && !b.reasons.includes('Empty')) continue;
    if (!budgetActive(b, clock)) continue;
    const n = b.nodes.endsWith('%') ? Math.ceil((nodes * Number(b.nodes.slice(0, -1))) / 100) : Number(b.nodes);
    allowed = Math.min(allowed, n - deleting);
  }
  return Math.max(0, allowed);
}

/** Nodes of one class the steady workloads (everything but query nodes) keep running. */
export interface StaticPool {
  /** Node class. */
  nodeClass: NodeClass;
  /** Instance type chosen for them. */
  instanceType: string;
  /** Capacity type. */
  capacityType: 'spot' | 'on-demand';
  /** Nodes. */
  nodes: number;
  /** Share of those nodes' vCPUs no pod requests. */
  idleCpu: number;
}

/** Everything the replay reads from one cluster's render and spec. */
export interface ClusterModel {
  /** Cluster name. */
  cluster: string;
  /** AWS region (prices). */
  region: string;
  /** The spec's zones. */
  zones: string[];
  /** The query-node HPA. */
  hpa: HpaSpec;
  /** Its metrics. */
  metrics: HpaMetric[];
  /** Query pod CPU request and limit (cores), memory request (bytes). */
  pod: { cpuRequest: number; cpuLimit: number; memoryRequest: number };
  /** Readiness probe: seconds from container start to the first probe (its initial delay, else one period). */
  readinessSeconds: number;
  /** `maxSkew` of the pod's zone topology spread constraint with `whenUnsatisfiable: DoNotSchedule`, if any. */
  zoneMaxSkew?: number;
  /** The pod's `terminationGracePeriodSeconds` (default 30). */
  terminationGraceSeconds: number;
  /**
   * The pod's own `node.kubernetes.io/unreachable` NoExecute toleration, seconds (Infinity when it
   * tolerates the taint for ever); absent when it has none and the API server's default applies.
   */
  unreachableTolerationSeconds?: number;
  /** The PodMonitor's scrape interval for query nodes, seconds. */
  scrapeSeconds: number;
  /** The latency metric's rate window (prometheus-adapter metricsQuery), seconds. */
  latencyWindowSeconds: number;
  /** The query pool. */
  pool: QueryPool;
  /** The rest of the cluster's capacity, held for the whole replay. */
  staticPools: StaticPool[];
}

/** The taint the node lifecycle controller puts on a node that stopped reporting. */
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** A Go or Karpenter duration (`10m`, `1m30s`, `Never`) in seconds; `fallback` when absent or unreadable. */
export function durationSeconds(d: unknown, fallback: number): number {
  if (d === 'Never') return Infinity;
  const text = String(d ?? '');
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return fallback;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return total;
}

function find(objects: readonly Manifest[], kind: string, name: string, namespace?: string): Manifest | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
}

function hpaMetrics(cluster: string, hpa: Manifest): HpaMetric[] {
  const out: HpaMetric[] = [];
  arr(obj(hpa.spec).metrics).forEach((m, i) => {
    const o = obj(m);
    const at = `HorizontalPodAutoscaler ${hpa.metadata.namespace}/${hpa.metadata.name}: spec.metrics[${i}]`;
    if (o.type === 'Resource') {
      const r = obj(o.resource);
      const target = obj(r.target);
      if (r.name === 'cpu' && target.type === 'Utilization') out.push({ kind: 'cpu', targetUtilization: Number(target.averageUtilization) });
      else if (r.name === 'memory' && target.type === 'Utilization') out.push({ kind: 'memory', targetUtilization: Number(target.averageUtilization) });
      else throw new ReplayInputError(cluster, `${at}: the replay models cpu and memory Utilization targets only`);
    } else if (o.type === 'Pods' && obj(obj(o.pods).metric).name === QUERY_QUEUE_DEPTH.name && obj(obj(o.pods).target).type === 'AverageValue') {
      const p = obj(o.pods);
      out.push({ kind: 'queue', name: QUERY_QUEUE_DEPTH.name, targetAverage: parseQuantity(String(obj(p.target).averageValue)) ?? NaN });
    } else if (o.type === 'External' && obj(obj(o.external).metric).name === SEARCH_P99_LATENCY_MS.name && obj(obj(o.external).target).type === 'Value') {
      const e = obj(o.external);
      out.push({ kind: 'latency', name: SEARCH_P99_LATENCY_MS.name, targetValue: parseQuantity(String(obj(e.target).value)) ?? NaN });
    } else
      throw new ReplayInputError(
        cluster,
        `${at}: the replay models cpu and memory Utilization, ${QUERY_QUEUE_DEPTH.name} (Pods, AverageValue) and ${SEARCH_P99_LATENCY_MS.name} (External, Value), not this ${String(o.type)} metric`,
      );
  });
  return out;
}

/** Karpenter's choice for a pod shape: every allowed type that holds one, cheapest per pod first. */
function karpenterOptions(
  pool: Manifest,
  pod: { cpu: string; memory: string; ephemeralStorage?: string },
  price: (t: string, c: string) => number,
): QueryNodeOption[] {
  const reqs = arr(obj(obj(obj(pool.spec).template).spec).requirements).map(obj);
  const valuesOf = (key: string) => reqs.find((r) => r.key === key && r.operator === 'In')?.values as string[] | undefined;
  const families = valuesOf('karpenter.k8s.aws/instance-family');
  const capacity = (valuesOf('karpenter.sh/capacity-type') ?? ['on-demand']).includes('spot') ? 'spot' : 'on-demand';
  const cpuGt = reqs.find((r) => r.key === 'karpenter.k8s.aws/instance-cpu' && r.operator === 'Gt');
  const minCpu = cpuGt ? Number(arr(cpuGt.values)[0]) + 1 : 0;
  const options: QueryNodeOption[] = [];
  for (const [name, t] of Object.entries(INSTANCE_TYPES)) {
    if (families && !families.includes(name.split('.')[0]!)) continue;
    if (t.vcpu < minCpu) continue;
    const pods = packing(t, pod).pods;
    // A type the region does not offer has no finite price (prices.ts NOT_OFFERED).
    if (pods > 0 && Number.isFinite(price(name, capacity)))
      options.push({ instanceType: name, capacityType: capacity, podsPerNode: pods, vcpu: t.vcpu, memoryGi: t.memoryGi });
  }
  return options.sort((a, b) => price(a.instanceType, a.capacityType) / a.podsPerNode - price(b.instanceType, b.capacityType) / b.podsPerNode);
}

/** The flags of the rendered Cluster Autoscaler, with the upstream defaults (cluster-autoscaler FAQ.md). */
function caFlags(objects: readonly Manifest[]): { scan: number; unneeded: number; delayAfterAdd: number } {
  const deploy = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'cluster-autoscaler');
  const command = arr(obj(arr(obj(obj(obj(deploy?.spec).template).spec).containers)[0]).command).map(String);
  const flag = (name: string) => command.find((c) => c.startsWith(`--${name}=`))?.split('=')[1];
  return {
    scan: durationSeconds(flag('scan-interval'), 10),
    unneeded: durationSeconds(flag('scale-down-unneeded-time'), 600),
    delayAfterAdd: durationSeconds(flag('scale-down-delay-after-add'), 600),
  };
}

/**
 * Reads the replay's inputs from a cluster's rendered objects; `price` is USD/hour for an instance
 * type and capacity type (the cheapest-per-pod choice Karpenter makes).
 */
export function clusterModel(spec: ResolvedClusterSpec, objects: readonly Manifest[], price: (type: string, capacity: string) => number): ClusterModel {
  const cluster = spec.name;
  const ns = spec.milvus.namespace;
  const deployName = roleWorkloadName('querynode');
  const hpaObject = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && obj(obj(o.spec).scaleTargetRef).name === deployName);
  if (!hpaObject) throw new ReplayInputError(cluster, `no HorizontalPodAutoscaler scales Deployment ${ns}/${deployName}: nothing to replay`);
  const deploy = find(objects, 'Deployment', deployName, ns);
  if (!deploy) throw new ReplayInputError(cluster, `Deployment ${ns}/${deployName} is not in the render`);
  const podSpec = obj(obj(obj(deploy.spec).template).spec);
  const container = obj(arr(podSpec.containers)[0]);
  const res = obj(container.resources);
  const q = (v: unknown, field: string) => {
    const n = parseQuantity(String(v ?? ''));
    if (n === undefined) throw new ReplayInputError(cluster, `Deployment ${ns}/${deployName}: spec.template.spec.containers[0].resources.${field} is missing`);
    return n;
  };
  const requests = obj(res.requests);
  const limits = obj(res.limits);
  const pod = {
    cpuRequest: q(requests.cpu, 'requests.cpu'),
    cpuLimit: q(limits.cpu ?? requests.cpu, 'limits.cpu'),
    memoryRequest: q(requests.memory, 'requests.memory'),
  };
  const probe = obj(container.readinessProbe);
  // The first probe runs after the initial delay (or at once without one, then every period).
  const readinessSeconds = Number(probe.initialDelaySeconds ?? 0) || Number(probe.periodSeconds ?? 10);
  const zoneSpread = arr(podSpec.topologySpreadConstraints)
    .map(obj)
    .find((c) => c.topologyKey === 'topology.kubernetes.io/zone' && c.whenUnsatisfiable === 'DoNotSchedule');
  const terminationGraceSeconds = typeof podSpec.terminationGracePeriodSeconds === 'number' ? podSpec.terminationGracePeriodSeconds : 30;
  // The tolerations of the unreachable taint (NoExecute, no value): by key, or any key with an empty
  // key and Exists; by effect, or any with none. Kubernetes evicts after the least tolerationSeconds
  // among them (negative counts as 0), never when none has seconds (taint manager
  // getMinTolerationTime); with none at all the API server adds its default (DefaultTolerationSeconds).
  const unreachable = arr(podSpec.tolerations)
    .map(obj)
    .filter((t) => {
      const effect = t.effect === undefined || t.effect === '' || t.effect === 'NoExecute';
      const anyKey = t.key === undefined || t.key === '';
      const exists = t.operator === 'Exists' && (anyKey || t.key === UNREACHABLE_TAINT);
      const equal = (t.operator === undefined || t.operator === 'Equal') && t.key === UNREACHABLE_TAINT && (t.value ?? '') === '';
      return effect && (exists || equal);
    });
  const finite = unreachable.map((t) => t.tolerationSeconds).filter((x): x is number => typeof x === 'number');
  const unreachableSeconds = unreachable.length === 0 ? undefined : finite.length === 0 ? Infinity : Math.max(0, Math.min(...finite));

  const monitor = objects.find((o) => o.kind === 'PodMonitor' && o.metadata.name === deployName);
  const scrapeSeconds = durationSeconds(obj(arr(obj(monitor?.spec).podMetricsEndpoints)[0]).interval, 30);
  const adapter = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'prometheus-adapter');
  const window = /histogram_quantile[^"]*?\[(\d+)(s|m)\]/.exec(JSON.stringify(adapter?.spec ?? {}));
  const latencyWindowSeconds = window && window[1] ? Number(window[1]) * (window[2] === 'm' ? 60 : 1) : 120;

  const nodeClass = nodeClassOf(podSpec as never) ?? 'query';
  const podShape = {
    cpu: String(requests.cpu),
    memory: String(requests.memory),
    ...(requests['ephemeral-storage'] ? { ephemeralStorage: String(requests['ephemeral-storage']) } : {}),
  };
  const statics = staticPools(spec, objects, deployName, price);
  let pool: QueryPool;
  if (spec.nodes.provisioner === 'karpenter') {
    const np = objects.find(
      (o) =>
        o.kind === 'NodePool' &&
        obj(obj(obj(o.spec).template).metadata).labels &&
        obj(obj(obj(obj(o.spec).template).metadata).labels)['milvus-gitops.io/node-class'] === nodeClass,
    );
    if (!np) throw new ReplayInputError(cluster, `no NodePool labels nodes milvus-gitops.io/node-class=${nodeClass}, where query pods run`);
    // The pool's nodes for the other roles of the class count against its limits.
    const others = statics
      .filter((p) => p.nodeClass === nodeClass)
      .reduce(
        (a, p) => ({ cpu: a.cpu + p.nodes * INSTANCE_TYPES[p.instanceType]!.vcpu, memoryGi: a.memoryGi + p.nodes * INSTANCE_TYPES[p.instanceType]!.memoryGi }),
        { cpu: 0, memoryGi: 0 },
      );
    const limits = obj(obj(np.spec).limits);
    const options = karpenterOptions(np, podShape, price);
    if (options.length === 0) throw new ReplayInputError(cluster, `NodePool ${np.metadata.name}: no instance type it allows holds a query pod`);
    const zones =
      (arr(obj(obj(obj(np.spec).template).spec).requirements)
        .map(obj)
        .find((r) => r.key === 'topology.kubernetes.io/zone')?.values as string[]) ?? spec.aws.availabilityZones;
    pool = {
      provisioner: 'karpenter',
      name: `NodePool ${np.metadata.name}`,
      options,
      zones,
      limit: {
        cpu: (limits.cpu === undefined ? Infinity : (parseQuantity(String(limits.cpu)) ?? Infinity)) - others.cpu,
        memoryGi: (limits.memory === undefined ? Infinity : (parseQuantity(String(limits.memory)) ?? Infinity) / 2 ** 30) - others.memoryGi,
      },
      // No budgets given: Karpenter's default of one budget of 10%.
      budgets: Array.isArray(obj(obj(np.spec).disruption).budgets)
        ? arr(obj(obj(np.spec).disruption).budgets).map((b) => {
            const o = obj(b);
            return {
              nodes: String(o.nodes ?? '10%'),
              ...(typeof o.schedule === 'string' ? { schedule: o.schedule } : {}),
              ...(o.duration !== undefined ? { durationSeconds: durationSeconds(o.duration, 0) } : {}),
              ...(Array.isArray(o.reasons) ? { reasons: o.reasons.map(String) } : {}),
            };
          })
        : [{ nodes: '10%' }],
      emptyNodeSeconds: durationSeconds(obj(obj(np.spec).disruption).consolidateAfter, 0),
      scaleDownDelayAfterAddSeconds: 0,
      scanIntervalSeconds: 0,
    };
  } else {
    const groups = nodeGroups(nodeGroupsProps(spec)).filter((g) => g.nodeClass === nodeClass && g.capacityType === 'on-demand');
    const flags = caFlags(objects);
    const options: QueryNodeOption[] = [];
    for (const name of groups[0]?.instanceTypes ?? []) {
      const t = INSTANCE_TYPES[name];
      if (!t) continue;
      const pods = packing(t, podShape).pods;
      if (pods > 0) options.push({ instanceType: name, capacityType: 'on-demand', podsPerNode: pods, vcpu: t.vcpu, memoryGi: t.memoryGi });
    }
    if (options.length === 0) throw new ReplayInputError(cluster, `no node group of class ${nodeClass} has an instance type that holds a query pod`);
    pool = {
      provisioner: 'cluster-autoscaler',
      name: `node groups ${groups[0]!.name.replace(/-[a-z]$/, '-*')}`,
      options,
      zones: groups.map((g) => g.zone),
      limit: { nodesPerZone: Object.fromEntries(groups.map((g) => [g.zone, g.maxSize])) },
      budgets: [],
      emptyNodeSeconds: flags.unneeded,
      scaleDownDelayAfterAddSeconds: flags.delayAfterAdd,
      scanIntervalSeconds: flags.scan,
    };
  }
  return {
    cluster,
    region: spec.aws.region,
    zones: spec.aws.availabilityZones,
    hpa: hpaSpecOf(hpaObject),
    metrics: hpaMetrics(cluster, hpaObject),
    pod,
    readinessSeconds,
    ...(zoneSpread ? { zoneMaxSkew: Number(zoneSpread.maxSkew ?? 1) } : {}),
    terminationGraceSeconds,
    ...(unreachableSeconds !== undefined ? { unreachableTolerationSeconds: unreachableSeconds } : {}),
    scrapeSeconds,
    latencyWindowSeconds,
    pool,
    staticPools: statics,
  };
}

/** Nodes the other workloads need at their steady replicas (HPA minimum, else spec.replicas), per class. */
function staticPools(spec: ResolvedClusterSpec, objects: readonly Manifest[], queryDeployment: string, price: (t: string, c: string) => number): StaticPool[] {
  const minOf = new Map<string, number>();
  for (const h of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const s = obj(h.spec);
    minOf.set(String(obj(s.scaleTargetRef).name), typeof s.minReplicas === 'number' ? s.minReplicas : 1);
  }
  const demand = new Map<NodeClass, { cpu: number; memory: number; pods: number; spread: number }>();
  for (const t of podTemplates(objects)) {
    const o = t.object;
    if (o.metadata.name === queryDeployment || !['Deployment', 'StatefulSet'].includes(o.kind)) continue;
    const cls = nodeClassOf(t.spec);
    if (!cls) continue;
    const replicas = minOf.get(o.metadata.name) ?? (typeof obj(o.spec).replicas === 'number' ? (obj(o.spec).replicas as number) : 1);
    const d = demand.get(cls) ?? { cpu: 0, memory: 0, pods: 0, spread: 1 };
    // Pods that must not share a node (required anti-affinity on the hostname) need a node each.
    const apart = (t.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(
      (term) => term.topologyKey === 'kubernetes.io/hostname',
    );
    if (apart) d.spread = Math.max(d.spread, replicas);
    for (const c of t.spec.containers) {
      d.cpu += replicas * (parseQuantity(String(c.resources?.requests?.cpu ?? '0')) ?? 0);
      d.memory += replicas * (parseQuantity(String(c.resources?.requests?.memory ?? '0')) ?? 0);
    }
    d.pods += replicas;
    demand.set(cls, d);
  }
  const pools: StaticPool[] = [];
  for (const [cls, d] of [...demand].sort(([a], [b]) => a.localeCompare(b))) {
    const capacityType = usesSpot(cls) ? 'spot' : 'on-demand';
    let best: StaticPool | undefined;
    let bestCost = Infinity;
    for (const name of NODE_CLASS_CAPACITY[cls].instanceTypes) {
      const t = INSTANCE_TYPES[name];
      if (!t) continue;
      const a = allocatable(t);
      const nodes = Math.max(d.spread, Math.ceil((d.cpu * 1000) / a.cpuMillis), Math.ceil(d.memory / 2 ** 20 / a.memoryMi), Math.ceil(d.pods / t.maxPods));
      const cost = nodes * price(name, capacityType);
      if (cost < bestCost) {
        bestCost = cost;
        best = { nodeClass: cls, instanceType: name, capacityType, nodes, idleCpu: 1 - d.cpu / (nodes * t.vcpu) };
      }
    }
    if (best) pools.push(best);
  }
  return pools;
}
