// What the replay reads from a cluster's rendered objects: the query-node HPA with its metrics and
// behavior, the query-node pod's resources and readiness probe, the query pool (NodePool or node
// groups) with its instance types and limits, every other workload's steady capacity, and the
// delays the rendered controllers are configured with (scrape interval, latency window, the
// Cluster Autoscaler's flags). Nothing here is taken from the spec that the render also says.

import type { Manifest } from '@milvus-gitops/core';
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
  /** Karpenter: the NodePool's `limits` (vCPUs, GiB). CA: the node groups' total maximum nodes. */
  limit: { cpu: number; memoryGi: number } | { nodes: number };
  /** Seconds a node stays empty before it is removed (NodePool consolidateAfter; CA scale-down-unneeded-time). */
  emptyNodeSeconds: number;
  /** CA only: seconds after a scale-up during which nothing is scaled down (`--scale-down-delay-after-add`). */
  scaleDownDelayAfterAddSeconds: number;
  /** CA only: `--scan-interval`, seconds. */
  scanIntervalSeconds: number;
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
  /** Readiness probe: seconds from container start to the first successful probe (initial delay + one period). */
  readinessSeconds: number;
  /** The PodMonitor's scrape interval for query nodes, seconds. */
  scrapeSeconds: number;
  /** The latency metric's rate window (prometheus-adapter metricsQuery), seconds. */
  latencyWindowSeconds: number;
  /** The query pool. */
  pool: QueryPool;
  /** The rest of the cluster's capacity, held for the whole replay. */
  staticPools: StaticPool[];
}

const seconds = (d: unknown, fallback: number): number => {
  const m = /^(\d+)(s|m|h)$/.exec(String(d ?? ''));
  if (!m) return fallback;
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
};

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
    } else if (o.type === 'Pods') {
      const p = obj(o.pods);
      out.push({ kind: 'queue', name: String(obj(p.metric).name), targetAverage: parseQuantity(String(obj(p.target).averageValue)) ?? NaN });
    } else if (o.type === 'External') {
      const e = obj(o.external);
      out.push({ kind: 'latency', name: String(obj(e.metric).name), targetValue: parseQuantity(String(obj(e.target).value)) ?? NaN });
    } else throw new ReplayInputError(cluster, `${at}: metric type ${String(o.type)} is not modelled`);
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
    if (pods > 0) options.push({ instanceType: name, capacityType: capacity, podsPerNode: pods, vcpu: t.vcpu, memoryGi: t.memoryGi });
  }
  return options.sort((a, b) => price(a.instanceType, a.capacityType) / a.podsPerNode - price(b.instanceType, b.capacityType) / b.podsPerNode);
}

/** The flags of the rendered Cluster Autoscaler, with the upstream defaults (cluster-autoscaler FAQ.md). */
function caFlags(objects: readonly Manifest[]): { scan: number; unneeded: number; delayAfterAdd: number } {
  const deploy = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'cluster-autoscaler');
  const command = arr(obj(arr(obj(obj(obj(deploy?.spec).template).spec).containers)[0]).command).map(String);
  const flag = (name: string) => command.find((c) => c.startsWith(`--${name}=`))?.split('=')[1];
  return {
    scan: seconds(flag('scan-interval'), 10),
    unneeded: seconds(flag('scale-down-unneeded-time'), 600),
    delayAfterAdd: seconds(flag('scale-down-delay-after-add'), 600),
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
  const readinessSeconds = Number(probe.initialDelaySeconds ?? 0) + Number(probe.periodSeconds ?? 10);

  const monitor = objects.find((o) => o.kind === 'PodMonitor' && o.metadata.name === deployName);
  const scrapeSeconds = seconds(obj(arr(obj(monitor?.spec).podMetricsEndpoints)[0]).interval, 30);
  const adapter = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'prometheus-adapter');
  const window = /histogram_quantile[^"]*?\[(\d+)(s|m)\]/.exec(JSON.stringify(adapter?.spec ?? {}));
  const latencyWindowSeconds = window && window[1] ? Number(window[1]) * (window[2] === 'm' ? 60 : 1) : 120;

  const nodeClass = nodeClassOf(podSpec as never) ?? 'query';
  const podShape = {
    cpu: String(requests.cpu),
    memory: String(requests.memory),
    ...(requests['ephemeral-storage'] ? { ephemeralStorage: String(requests['ephemeral-storage']) } : {}),
  };
  let pool: QueryPool;
  if (spec.nodes.provisioner === 'karpenter') {
    const np = objects.find(
      (o) =>
        o.kind === 'NodePool' &&
        obj(obj(obj(o.spec).template).metadata).labels &&
        obj(obj(obj(obj(o.spec).template).metadata).labels)['milvus-gitops.io/node-class'] === nodeClass,
    );
    if (!np) throw new ReplayInputError(cluster, `no NodePool labels nodes milvus-gitops.io/node-class=${nodeClass}, where query pods run`);
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
      limit: { cpu: parseQuantity(String(limits.cpu ?? 'Infinity')) ?? Infinity, memoryGi: (parseQuantity(String(limits.memory ?? '')) ?? Infinity) / 2 ** 30 },
      emptyNodeSeconds: seconds(obj(obj(np.spec).disruption).consolidateAfter, 0),
      scaleDownDelayAfterAddSeconds: 0,
      scanIntervalSeconds: 0,
    };
  } else {
    const groups = nodeGroups(spec).filter((g) => g.nodeClass === nodeClass && g.capacityType === 'on-demand');
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
      limit: { nodes: groups.reduce((n, g) => n + g.maxSize, 0) },
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
    scrapeSeconds,
    latencyWindowSeconds,
    pool,
    staticPools: staticPools(spec, objects, deployName, price),
  };
}

/** Nodes the other workloads need at their steady replicas (HPA minimum, else spec.replicas), per class. */
function staticPools(spec: ResolvedClusterSpec, objects: readonly Manifest[], queryDeployment: string, price: (t: string, c: string) => number): StaticPool[] {
  const minOf = new Map<string, number>();
  for (const h of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const s = obj(h.spec);
    minOf.set(String(obj(s.scaleTargetRef).name), typeof s.minReplicas === 'number' ? s.minReplicas : 1);
  }
  const demand = new Map<NodeClass, { cpu: number; memory: number; pods: number }>();
  for (const t of podTemplates(objects)) {
    const o = t.object;
    if (o.metadata.name === queryDeployment || !['Deployment', 'StatefulSet'].includes(o.kind)) continue;
    const cls = nodeClassOf(t.spec);
    if (!cls) continue;
    const replicas = minOf.get(o.metadata.name) ?? (typeof obj(o.spec).replicas === 'number' ? (obj(o.spec).replicas as number) : 1);
    const d = demand.get(cls) ?? { cpu: 0, memory: 0, pods: 0 };
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
      const nodes = Math.max(1, Math.ceil((d.cpu * 1000) / a.cpuMillis), Math.ceil(d.memory / 2 ** 20 / a.memoryMi), Math.ceil(d.pods / t.maxPods));
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
