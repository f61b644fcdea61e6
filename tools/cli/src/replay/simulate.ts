// The replay: one second at a time, traffic from a profile meets the query nodes the rendered
// HPA, Deployment and query pool would give it. Query pods go pending -> starting (image pull,
// readiness probe) -> loading (their share of the segments from S3) -> serving; pending pods make
// the provisioner launch nodes after its own delays; the HPA reconciles every sync period on
// metrics as old as their scrape; latency comes from an M/M/c queue per query node (queue.ts),
// with a backlog when searches arrive faster than the nodes serve them.

import type { ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { ClusterModel, QueryNodeOption } from './cluster.js';
import { HPA_SYNC_SECONDS, HpaController, type HpaLimit, type MetricSample } from './hpa.js';
import { queryNodesForData, workloadLoad, QUERYNODE_BASE_MEMORY_GIB, type WorkloadLoad } from './model.js';
import type { Profile } from './profiles.js';
import { meanQueueLength, sojournQuantile } from './queue.js';
import { HOURS_PER_MONTH, type RegionPrices } from './prices.js';

/**
 * The delays and rates of the replay, each a named parameter. Sources are in the README's replay
 * section; those marked estimate have none upstream and should be measured on the cluster.
 */
export interface ReplayParameters {
  /** kube-controller-manager `--horizontal-pod-autoscaler-initial-readiness-delay`. @default 30 */
  hpaInitialReadinessDelaySeconds: number;
  /** metrics-server `--metric-resolution` as its Helm chart sets it. @default 15 */
  resourceMetricsResolutionSeconds: number;
  /** Karpenter `BATCH_IDLE_DURATION`. @default 1 */
  karpenterBatchIdleSeconds: number;
  /** Karpenter `BATCH_MAX_DURATION`. @default 10 */
  karpenterBatchMaxSeconds: number;
  /** Cluster Autoscaler: from a scan that sees a pending pod to the ASG request, average on a small cluster (FAQ SLO). @default 5 */
  clusterAutoscalerReactionSeconds: number;
  /** EC2 launch to node Ready (Karpenter docs' NodeClaim example: 34 s). @default 34 */
  nodeLaunchToReadySeconds: number;
  /** Pulling the Milvus image on a new node. Estimate. @default 20 */
  imagePullSeconds: number;
  /** Segment bytes a query node loads from S3 per second, MB/s. Estimate. @default 400 */
  segmentLoadMBps: number;
  /** After loading, seconds during which a node's searches are slower (cold page cache, NVMe cache). Estimate. @default 30 */
  warmupSeconds: number;
  /** Search time multiplier during warm-up. Estimate. @default 1.5 */
  warmupSlowdown: number;
  /** CPU cores a loading query node uses (deserializing segments). Estimate. @default 0.5 */
  loadingCpuCores: number;
  /** Latency every search spends outside the query nodes (proxy, network, reduce), ms. Estimate. @default 5 */
  proxyOverheadMs: number;
  /** A search is cut off (and counted at this latency) after this long, ms (the SDK's default timeout is longer; this bounds the chart). @default 10000 */
  latencyCapMs: number;
}

/** Defaults of ReplayParameters. */
export const DEFAULT_PARAMETERS: ReplayParameters = {
  hpaInitialReadinessDelaySeconds: 30,
  resourceMetricsResolutionSeconds: 15,
  karpenterBatchIdleSeconds: 1,
  karpenterBatchMaxSeconds: 10,
  clusterAutoscalerReactionSeconds: 5,
  nodeLaunchToReadySeconds: 34,
  imagePullSeconds: 20,
  segmentLoadMBps: 400,
  warmupSeconds: 30,
  warmupSlowdown: 1.5,
  loadingCpuCores: 0.5,
  proxyOverheadMs: 5,
  latencyCapMs: 10_000,
};

/** What held latency above the SLO. */
export type Bottleneck =
  'maxReplicas reached' | 'pool limits' | 'nodes not ready' | 'pod startup' | 'segment loading' | 'HPA too slow' | 'capacity at minReplicas';

/** One second of the replay. */
export interface TimelinePoint {
  /** Second. */
  t: number;
  /** Searches per second offered. */
  qps: number;
  /** P99 search latency, ms. */
  p99Ms: number;
  /** P50 search latency, ms. */
  p50Ms: number;
  /** Query-node pods that exist (any phase). */
  queryNodes: number;
  /** Query-node pods serving. */
  servingQueryNodes: number;
  /** Nodes of the whole cluster (query pool plus the steady pools). */
  nodes: number;
  /** USD per hour of every node running this second. */
  costPerHour: number;
}

/** Cost of one pool over the replay. */
export interface PoolCost {
  /** Pool and capacity type. */
  pool: string;
  /** Instance type(s). */
  instanceTypes: string[];
  capacityType: 'spot' | 'on-demand';
  /** Average USD per hour over the replay. */
  averagePerHour: number;
}

/** The replay's result. */
export interface ReplayResult {
  cluster: string;
  profile: string;
  /** The SLO: `monitoring.searchLatencySloMs`. */
  sloMs: number;
  /** Highest P99 of any second, ms. */
  maxP99Ms: number;
  /** Whether no second's P99 exceeded the SLO. */
  met: boolean;
  /** First minute (0-based) with P99 over the SLO. */
  firstBreachMinute?: number;
  /** Seconds with P99 over the SLO. */
  breachSeconds: number;
  /** From the first second over the SLO to the last one, plus one: how long until the cluster had recovered for good. */
  recoverSeconds: number;
  /** What held latency over the SLO most of those seconds, or none. */
  bottleneck?: Bottleneck;
  /** Seconds each bottleneck held. */
  bottleneckSeconds: Partial<Record<Bottleneck, number>>;
  /** Most query-node pods and most nodes at once. */
  peakQueryNodes: number;
  peakNodes: number;
  /** Query nodes the data alone needs (memory up to the alert ratio; NVMe cache). */
  dataQueryNodes: number;
  /** Average cost over the replay. */
  costPerHour: number;
  costPerMonth: number;
  /** By pool and capacity type. */
  costByPool: PoolCost[];
  /** Share of the query pool's node-seconds of vCPU no query pod requested (bin-packing waste). */
  queryPoolIdleCpu: number;
  /** querynode-restart: seconds from the pod's deletion until its replacement serves. */
  restartToServingSeconds?: number;
  /** The workload as the model sees it. */
  workload: { searchCoreMs: number; measured: boolean; segments: number; memoryGiB: number; s3GiB: number; loadGiBPerNode: number };
  /** Things the reader must know (prices borrowed from another region, data larger than min replicas). */
  notes: string[];
  /** The parameters used. */
  parameters: ReplayParameters;
  /** One point per second. */
  timeline: TimelinePoint[];
}

type Phase = 'pending' | 'starting' | 'loading' | 'serving';

interface Pod {
  id: number;
  phase: Phase;
  node?: SimNode;
  createdAt: number;
  /** When the container runs (image pulled). */
  runningAt: number;
  /** When the readiness probe first passes. */
  readyAt: number;
  loadBytesLeft: number;
  servingAt: number;
}

interface SimNode {
  id: number;
  option: QueryNodeOption;
  zone: string;
  launchedAt: number;
  readyAt: number;
  pods: number;
  emptySince: number;
  gone: boolean;
}

const GiB = 2 ** 30;

/** Runs one replay. */
export function replay(
  spec: ResolvedClusterSpec,
  model: ClusterModel,
  profile: Profile,
  prices: RegionPrices,
  given: Partial<ReplayParameters> = {},
): ReplayResult {
  const p: ReplayParameters = { ...DEFAULT_PARAMETERS, ...given };
  const slo = spec.monitoring.searchLatencySloMs;
  const w = spec.workload;
  const baseLoad = workloadLoad(w);
  const price = (o: QueryNodeOption) => (o.capacityType === 'spot' ? prices.spot(o.instanceType) : prices.onDemand(o.instanceType));
  const cacheBytes = parseCache(spec.milvus.queryNodeCacheSize);
  const dataQueryNodes = queryNodesForData(baseLoad, model.pod.memoryRequest, spec.monitoring.queryNodeMemoryAlertRatio, cacheBytes);
  const notes: string[] = [];
  if (prices.pricedAs !== prices.region)
    notes.push(`no EC2 or storage prices for ${prices.region} in the price table: costs are at ${prices.pricedAs} list prices`);
  if (dataQueryNodes > model.hpa.minReplicas)
    notes.push(
      `the data needs ${dataQueryNodes} query nodes (memory to ${spec.monitoring.queryNodeMemoryAlertRatio * 100}% of the request, NVMe cache) but minReplicas is ${model.hpa.minReplicas}`,
    );
  if (dataQueryNodes > model.hpa.maxReplicas)
    notes.push(`the data alone needs more query nodes (${dataQueryNodes}) than maxReplicas (${model.hpa.maxReplicas})`);
  const cores = model.pod.cpuLimit;
  const servers = Math.max(1, Math.floor(cores));
  const coreScale = servers / cores; // service time on `servers` whole cores of a fractional limit
  const replicas = Math.max(1, baseLoad.replicas);
  const pool = model.pool;
  const zones = [...pool.zones];

  // ---- state ----
  const pods: Pod[] = [];
  const nodes: SimNode[] = [];
  let nextPod = 0;
  let nextNode = 0;
  let zoneIndex = 0;
  const newNode = (option: QueryNodeOption, t: number, readyAt: number, zone?: string): SimNode => {
    const z = zone ?? zones[zoneIndex++ % zones.length]!;
    const n: SimNode = { id: nextNode++, option, zone: z, launchedAt: t, readyAt, pods: 0, emptySince: readyAt, gone: false };
    nodes.push(n);
    return n;
  };
  const newPod = (t: number): Pod => {
    const pod: Pod = { id: nextPod++, phase: 'pending', createdAt: t, runningAt: Infinity, readyAt: Infinity, loadBytesLeft: 0, servingAt: Infinity };
    pods.push(pod);
    return pod;
  };
  const liveNodes = () => nodes.filter((n) => !n.gone);

  // Steady state before the replay: as many serving pods as the HPA keeps at the baseline, on
  // already-running nodes.
  let desired = steadyReplicas(model, baseLoad, w.traffic.searchQps * profile.multiplier(0), p, servers, coreScale, replicas);
  {
    const option = pool.options[0]!;
    for (let i = 0; i < desired; i++) {
      const pod = newPod(-3600);
      let node = liveNodes().find((n) => n.pods < n.option.podsPerNode);
      if (!node) node = newNode(option, -3600, -3600);
      node.pods++;
      Object.assign(pod, { phase: 'serving', node, runningAt: -3600, readyAt: -3600, servingAt: -3600 });
    }
  }
  const hpa = new HpaController(model.hpa);
  let lastDecision: { limitedBy: HpaLimit; proposed: number } = { limitedBy: 'none', proposed: desired };

  // provisioner state
  let batchStart = -1;
  let batchLastPending = -1;
  let pendingSeen = 0;
  let lastScaleUpAt = -Infinity;

  // metric history (per second) for delayed reads
  const hist = { cpu: [] as number[], p99: [] as number[], queue: [] as number[], qps: [] as number[] };
  let backlog = 0; // searches queued per node beyond what the queue model holds
  const timeline: TimelinePoint[] = [];
  const bottleneckSeconds: Partial<Record<Bottleneck, number>> = {};
  let restartedAt: number | undefined;
  let restartPod: Pod | undefined;
  let restartToServing: number | undefined;
  const poolSeconds = new Map<string, { types: Set<string>; capacity: 'spot' | 'on-demand'; dollars: number }>();
  let busyCpuSeconds = 0;
  let totalCpuSeconds = 0;

  for (let t = 0; t < profile.durationSeconds; t++) {
    const qps = w.traffic.searchQps * profile.multiplier(t);
    const load = w.traffic.insertRowsPerSecond > 0 ? workloadLoad(w, w.traffic.insertRowsPerSecond * t) : baseLoad;

    // ---- events ----
    if (profile.zoneLossAt === t) {
      const zone = zones[0]!;
      const lost = liveNodes().filter((n) => n.zone === zone);
      for (const n of lost) n.gone = true;
      const lostPods = pods.filter((x) => x.node?.gone);
      for (const pod of lostPods) pods.splice(pods.indexOf(pod), 1);
      zones.splice(0, 1);
      notes.push(
        `minute ${Math.floor(t / 60)}: zone ${zone} lost with ${lost.length} query node(s) and ${lostPods.length} query pod(s); new nodes go to ${zones.join(', ')}`,
      );
    }
    if (profile.queryNodeRestartAt === t) {
      const victim = pods.find((x) => x.phase === 'serving');
      if (victim) {
        pods.splice(pods.indexOf(victim), 1);
        victim.node!.pods--;
        restartedAt = t;
      }
    }

    // ---- ReplicaSet: pods follow the desired count (unready pods are removed first) ----
    while (pods.length < desired) {
      const pod = newPod(t);
      if (restartedAt !== undefined && restartPod === undefined) restartPod = pod;
    }
    while (pods.length > desired) {
      const order: Phase[] = ['pending', 'starting', 'loading', 'serving'];
      const victim = [...pods].sort((a, b) => order.indexOf(a.phase) - order.indexOf(b.phase) || b.createdAt - a.createdAt)[0]!;
      pods.splice(pods.indexOf(victim), 1);
      if (victim.node) victim.node.pods--;
    }

    // ---- scheduler: pending pods onto ready nodes with room ----
    for (const pod of pods.filter((x) => x.phase === 'pending')) {
      const node = liveNodes()
        .filter((n) => n.readyAt <= t && n.pods < n.option.podsPerNode)
        .sort((a, b) => b.pods - a.pods || a.id - b.id)[0];
      if (!node) continue;
      node.pods++;
      const pull = node.launchedAt >= 0 && node.pods === 1 && t - node.readyAt < p.imagePullSeconds ? p.imagePullSeconds : 0;
      pod.node = node;
      pod.phase = 'starting';
      pod.runningAt = t + pull;
      pod.readyAt = pod.runningAt + model.readinessSeconds;
    }

    // ---- provisioner: nodes for pods no node (ready or coming) has room for ----
    const pending = pods.filter((x) => x.phase === 'pending').length;
    const coming = liveNodes()
      .filter((n) => n.readyAt > t)
      .reduce((s, n) => s + n.option.podsPerNode - n.pods, 0);
    const unplaced = Math.max(0, pending - coming);
    // Pods wait on the pool's limit when it cannot take one more node.
    const limitBlocked = unplaced > 0 && !withinLimit(pool.limit, liveNodes(), pool.options[0]!);
    if (unplaced > 0) {
      let launchAt: number | undefined;
      if (pool.provisioner === 'karpenter') {
        if (batchStart < 0) batchStart = t;
        if (unplaced > pendingSeen) batchLastPending = t;
        pendingSeen = unplaced;
        if (t - batchLastPending >= p.karpenterBatchIdleSeconds || t - batchStart >= p.karpenterBatchMaxSeconds) launchAt = t;
      } else if (t % pool.scanIntervalSeconds === 0) {
        launchAt = t + p.clusterAutoscalerReactionSeconds;
      }
      if (launchAt !== undefined) {
        const option = pool.options[0]!;
        const wanted = Math.ceil(unplaced / option.podsPerNode);
        let launched = 0;
        for (let i = 0; i < wanted; i++) {
          if (!withinLimit(pool.limit, liveNodes(), option)) break;
          newNode(option, launchAt, launchAt + p.nodeLaunchToReadySeconds);
          launched++;
        }
        if (launched > 0) lastScaleUpAt = t;
        batchStart = -1;
        pendingSeen = 0;
      }
    } else {
      batchStart = -1;
      pendingSeen = 0;
    }

    // ---- pods progress ----
    const groupSize = Math.max(1, pods.length);
    for (const pod of pods) {
      if (pod.phase === 'starting' && t >= pod.readyAt) {
        pod.phase = 'loading';
        // Its share of the segments of every replica (the balancer spreads them over the pods).
        pod.loadBytesLeft = load.loadBytes / groupSize;
      }
      if (pod.phase === 'loading') {
        pod.loadBytesLeft -= p.segmentLoadMBps * 1e6;
        if (pod.loadBytesLeft <= 0) {
          pod.phase = 'serving';
          pod.servingAt = t;
          if (pod === restartPod && restartedAt !== undefined) restartToServing = t - restartedAt;
        }
      }
    }

    // ---- node removal: empty nodes after the pool's wait ----
    for (const n of liveNodes()) {
      if (n.pods > 0 || n.readyAt > t) {
        n.emptySince = Math.max(t, n.readyAt);
        continue;
      }
      const holdOff = pool.provisioner === 'cluster-autoscaler' && t - lastScaleUpAt < pool.scaleDownDelayAfterAddSeconds;
      if (!holdOff && t - n.emptySince >= pool.emptyNodeSeconds) n.gone = true;
    }

    // ---- latency ----
    const serving = pods.filter((x) => x.phase === 'serving');
    const warm = serving.filter((x) => t - x.servingAt >= p.warmupSeconds || x.servingAt < 0).length;
    const slowdown = serving.length === 0 ? 1 : (warm + (serving.length - warm) * p.warmupSlowdown) / serving.length;
    let p99 = p.latencyCapMs;
    let p50 = p.latencyCapMs;
    let queueLen = 0;
    let busyCores = 0;
    if (serving.length > 0) {
      const group = Math.max(1, serving.length / replicas);
      const serviceMs = (load.searchCoreMs / group) * slowdown * coreScale;
      const lambdaPerMs = qps / replicas / 1000;
      const capacityPerS = (servers / serviceMs) * 1000;
      const arrivalsPerS = qps / replicas;
      const io = (load.ioMsPerSegment * load.segments) / group / servers;
      busyCores = Math.min(cores, (arrivalsPerS * serviceMs) / 1000 / coreScale);
      if (arrivalsPerS < capacityPerS * 0.999) {
        backlog = Math.max(0, backlog - (capacityPerS - arrivalsPerS));
        const fanout = Math.pow(0.99, 1 / group);
        const extra = backlog > 0 ? (backlog / capacityPerS) * 1000 : 0;
        p99 = sojournQuantile(fanout, servers, lambdaPerMs, serviceMs) + io + p.proxyOverheadMs + extra;
        p50 = sojournQuantile(Math.pow(0.5, 1 / group), servers, lambdaPerMs, serviceMs) + io + p.proxyOverheadMs + extra;
        queueLen = meanQueueLength(servers, lambdaPerMs, serviceMs) + backlog;
      } else {
        backlog += arrivalsPerS - capacityPerS;
        p99 = (backlog / capacityPerS) * 1000 + serviceMs * 4.6 + io + p.proxyOverheadMs;
        p50 = (backlog / capacityPerS) * 1000 + serviceMs + io + p.proxyOverheadMs;
        queueLen = backlog;
      }
      p99 = Math.min(p99, p.latencyCapMs);
      p50 = Math.min(p50, p.latencyCapMs);
    } else {
      backlog = 0;
    }
    hist.cpu.push(busyCores);
    hist.p99.push(p99);
    hist.queue.push(queueLen);
    hist.qps.push(qps);

    // ---- HPA ----
    if (t % HPA_SYNC_SECONDS === 0) {
      const samples: MetricSample[] = [];
      const ready = pods.filter((x) => x.phase === 'loading' || x.phase === 'serving');
      const running = pods.filter((x) => x.phase !== 'pending' && t >= x.runningAt);
      const pendingCount = pods.length - running.length;
      const lagRes = p.resourceMetricsResolutionSeconds;
      const avgBack = (xs: number[], from: number, to: number) => {
        const slice = xs.slice(Math.max(0, xs.length - to), Math.max(0, xs.length - from));
        return slice.length ? slice.reduce((a, b) => a + b, 0) / slice.length : (xs[xs.length - 1] ?? 0);
      };
      const servingCpu = avgBack(hist.cpu, 0, lagRes);
      for (const m of model.metrics) {
        if (m.kind === 'cpu') {
          // Pods ready for longer than the initial readiness delay report; newer ones are set aside.
          const counted = ready.filter((x) => t - x.readyAt >= p.hpaInitialReadinessDelaySeconds || x.readyAt < 0);
          const values = counted.map((x) => ((x.phase === 'serving' ? servingCpu : p.loadingCpuCores) / model.pod.cpuRequest) * 100);
          samples.push({
            kind: 'per-pod',
            name: 'cpu',
            resource: 'cpu',
            target: m.targetUtilization,
            values,
            unready: pods.length - counted.length,
            missing: 0,
          });
        } else if (m.kind === 'memory') {
          const perServing = QUERYNODE_BASE_MEMORY_GIB * GiB + load.memoryBytes / Math.max(1, serving.length);
          const values = running
            .filter((x) => t - x.runningAt >= lagRes)
            .map((x) => ((x.phase === 'serving' ? perServing : QUERYNODE_BASE_MEMORY_GIB * GiB) / model.pod.memoryRequest) * 100);
          samples.push({
            kind: 'per-pod',
            name: 'memory',
            resource: 'memory',
            target: m.targetUtilization,
            values,
            unready: pendingCount,
            missing: running.length - values.length,
          });
        } else if (m.kind === 'queue') {
          const q = avgBack(hist.queue, model.scrapeSeconds, model.scrapeSeconds * 2);
          const scraped = running.filter((x) => t - x.runningAt >= model.scrapeSeconds);
          const values = scraped.map((x) => (x.phase === 'serving' ? q : 0));
          samples.push({ kind: 'per-pod', name: m.name, target: m.targetAverage, values, unready: pendingCount, missing: running.length - scraped.length });
        } else {
          const windowed = weightedMean(hist.p99, hist.qps, model.scrapeSeconds, model.scrapeSeconds + model.latencyWindowSeconds);
          samples.push({ kind: 'value', name: m.name, target: m.targetValue, value: windowed, readyPods: ready.length });
        }
      }
      const d = hpa.reconcile(t, desired, samples);
      lastDecision = d;
      desired = d.replicas;
    }

    // ---- cost ----
    let costPerHour = 0;
    for (const n of liveNodes()) {
      if (n.launchedAt > t) continue;
      const c = price(n.option);
      costPerHour += c;
      const key = `${pool.name}: query nodes (${n.option.capacityType})`;
      const e = poolSeconds.get(key) ?? { types: new Set<string>(), capacity: n.option.capacityType, dollars: 0 };
      e.types.add(n.option.instanceType);
      e.dollars += c / 3600;
      poolSeconds.set(key, e);
      totalCpuSeconds += n.option.vcpu;
    }
    busyCpuSeconds += pods.filter((x) => x.node && !x.node.gone && x.phase !== 'pending').length * model.pod.cpuRequest;
    let staticNodes = 0;
    for (const s of model.staticPools) {
      const c = s.nodes * (s.capacityType === 'spot' ? prices.spot(s.instanceType) : prices.onDemand(s.instanceType));
      costPerHour += c;
      staticNodes += s.nodes;
      const key = `steady ${s.nodeClass} pool (${s.capacityType})`;
      const e = poolSeconds.get(key) ?? { types: new Set<string>([s.instanceType]), capacity: s.capacityType, dollars: 0 };
      e.dollars += c / 3600;
      poolSeconds.set(key, e);
    }

    // ---- bottleneck of a second over the SLO ----
    if (p99 > slo) {
      let b: Bottleneck;
      const starting = pods.some((x) => x.phase === 'starting');
      const loading = pods.some((x) => x.phase === 'loading');
      // What keeps capacity from the load this second: pods still on their way come first; only
      // when every pod serves is the HPA's count (its ceiling or its pace) what is missing.
      if (pods.some((x) => x.phase === 'pending')) b = limitBlocked ? 'pool limits' : 'nodes not ready';
      else if (starting) b = 'pod startup';
      else if (loading) b = 'segment loading';
      else if (desired >= model.hpa.maxReplicas) b = 'maxReplicas reached';
      else if (lastDecision.limitedBy === 'minReplicas') b = 'capacity at minReplicas';
      else b = 'HPA too slow';
      bottleneckSeconds[b] = (bottleneckSeconds[b] ?? 0) + 1;
    }

    timeline.push({
      t,
      qps: round(qps, 1),
      p99Ms: round(p99, 1),
      p50Ms: round(p50, 1),
      queryNodes: pods.length,
      servingQueryNodes: serving.length,
      nodes: liveNodes().filter((n) => n.launchedAt <= t).length + staticNodes,
      costPerHour: round(costPerHour, 4),
    });
  }

  const breaches = timeline.filter((x) => x.p99Ms > slo);
  const maxP99 = Math.max(...timeline.map((x) => x.p99Ms));
  const bottleneck = (Object.entries(bottleneckSeconds) as [Bottleneck, number][]).sort((a, b) => b[1] - a[1])[0]?.[0];
  const avgCost = timeline.reduce((s, x) => s + x.costPerHour, 0) / timeline.length;
  const hours = profile.durationSeconds / 3600;
  return {
    cluster: spec.name,
    profile: profile.name,
    sloMs: slo,
    maxP99Ms: round(maxP99, 1),
    met: breaches.length === 0,
    ...(breaches.length > 0 ? { firstBreachMinute: Math.floor(breaches[0]!.t / 60) } : {}),
    breachSeconds: breaches.length,
    recoverSeconds: breaches.length > 0 ? breaches[breaches.length - 1]!.t - breaches[0]!.t + 1 : 0,
    ...(bottleneck ? { bottleneck } : {}),
    bottleneckSeconds,
    peakQueryNodes: Math.max(...timeline.map((x) => x.queryNodes)),
    peakNodes: Math.max(...timeline.map((x) => x.nodes)),
    dataQueryNodes,
    costPerHour: round(avgCost, 2),
    costPerMonth: round(avgCost * HOURS_PER_MONTH, 0),
    costByPool: [...poolSeconds]
      .map(([pool, e]) => ({ pool, instanceTypes: [...e.types].sort(), capacityType: e.capacity, averagePerHour: round(e.dollars / hours, 2) }))
      .sort((a, b) => a.pool.localeCompare(b.pool)),
    queryPoolIdleCpu: totalCpuSeconds > 0 ? round(1 - busyCpuSeconds / totalCpuSeconds, 3) : 0,
    ...(restartToServing !== undefined ? { restartToServingSeconds: restartToServing } : {}),
    workload: {
      searchCoreMs: round(baseLoad.searchCoreMs, 2),
      measured: baseLoad.measured,
      segments: baseLoad.segments,
      memoryGiB: round(baseLoad.memoryBytes / GiB, 1),
      s3GiB: round(baseLoad.s3Bytes / GiB, 1),
      loadGiBPerNode: round(baseLoad.loadBytes / GiB / Math.max(1, model.hpa.minReplicas), 1),
    },
    notes,
    parameters: p,
    timeline,
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function weightedMean(values: number[], weights: number[], from: number, to: number): number {
  const n = values.length;
  let sum = 0;
  let weight = 0;
  for (let i = Math.max(0, n - to); i < Math.max(0, n - from); i++) {
    sum += values[i]! * weights[i]!;
    weight += weights[i]!;
  }
  return weight > 0 ? sum / weight : (values[n - 1] ?? 0);
}

function parseCache(q: string): number {
  const m = /^(\d+)(Gi|Ti)$/.exec(q);
  return m ? Number(m[1]) * (m[2] === 'Ti' ? 2 ** 40 : GiB) : Infinity;
}

function withinLimit(limit: ClusterModel['pool']['limit'], nodes: SimNode[], option: QueryNodeOption): boolean {
  if ('nodes' in limit) return nodes.length + 1 <= limit.nodes;
  const cpu = nodes.reduce((s, n) => s + n.option.vcpu, 0) + option.vcpu;
  const mem = nodes.reduce((s, n) => s + n.option.memoryGi, 0) + option.memoryGi;
  return cpu <= limit.cpu && mem <= limit.memoryGi;
}

/** The replicas the HPA settles on at a steady `qps` with every pod serving (the replay's start). */
function steadyReplicas(
  model: ClusterModel,
  load: WorkloadLoad,
  qps: number,
  p: ReplayParameters,
  servers: number,
  coreScale: number,
  replicas: number,
): number {
  let n = Math.max(model.hpa.minReplicas, 1);
  for (let i = 0; i < 50; i++) {
    const group = Math.max(1, n / replicas);
    const serviceMs = (load.searchCoreMs / group) * coreScale;
    const lambdaPerMs = qps / replicas / 1000;
    const stable = lambdaPerMs * serviceMs < servers * 0.999;
    const busy = Math.min(model.pod.cpuLimit, ((qps / replicas) * serviceMs) / 1000 / coreScale);
    const p99 = stable ? sojournQuantile(Math.pow(0.99, 1 / group), servers, lambdaPerMs, serviceMs) + p.proxyOverheadMs : Infinity;
    const proposals = model.metrics.map((m) => {
      if (m.kind === 'cpu') return Math.ceil(((busy / model.pod.cpuRequest) * 100 * n) / m.targetUtilization);
      if (m.kind === 'memory')
        return Math.ceil((((QUERYNODE_BASE_MEMORY_GIB * GiB + load.memoryBytes / n) / model.pod.memoryRequest) * 100 * n) / m.targetUtilization);
      if (m.kind === 'queue') return stable ? Math.ceil((meanQueueLength(servers, lambdaPerMs, serviceMs) * n) / m.targetAverage) : n + 1;
      return Math.ceil((p99 / m.targetValue) * n);
    });
    const next = Math.min(model.hpa.maxReplicas, Math.max(model.hpa.minReplicas, ...proposals.map((x, j) => (Math.abs(x / n - 1) <= 0.1 && j >= 0 ? n : x))));
    if (next <= n) return n;
    n = next;
  }
  return n;
}
