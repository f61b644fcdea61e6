// The replay: one second at a time, traffic from a profile meets the query nodes the rendered
// HPA, Deployment and query pool would give it. Query pods go pending -> starting (image pull,
// readiness probe) -> loading (their share of the segments from S3) -> serving; pending pods make
// the provisioner launch nodes after its own delays; the HPA reconciles every sync period on
// metrics as old as their scrape; latency comes from an M/M/c queue per query node (queue.ts),
// with a backlog when searches arrive faster than the nodes serve them.

import { parseQuantity, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { ClusterModel, QueryNodeOption } from './cluster.js';
import { HPA_SYNC_SECONDS, HPA_TOLERANCE, HpaController, type HpaLimit, type MetricSample } from './hpa.js';
import { queryNodesForData, workloadLoad, QUERYNODE_BASE_MEMORY_GIB, type WorkloadLoad } from './model.js';
import { allowedEmptyDisruptions } from './cluster.js';
import type { Profile } from './profiles.js';
import { meanQueueLength, sojournQuantile } from './queue.js';
import { HOURS_PER_MONTH, type RegionPrices } from './prices.js';
import { trafficModel } from './traffic.js';

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
  /** EC2 launch to node Ready (Karpenter docs' NodeClaim example: 34 s; used for ASG launches too, for which AWS publishes no figure). @default 34 */
  nodeLaunchToReadySeconds: number;
  /** kube-controller-manager `--node-monitor-grace-period`: an unreachable node is marked so after this. @default 50 */
  nodeMonitorGraceSeconds: number;
  /**
   * Pods on an unreachable node are evicted after this: the query pods' own
   * `node.kubernetes.io/unreachable` toleration when the render has one, else kube-apiserver's
   * `--default-unreachable-toleration-seconds` (DefaultTolerationSeconds admission). Given, it
   * overrides both. @default the render's toleration, else 300
   */
  unreachableTolerationSeconds: number;
  /** Milvus `common.session.ttl`: the query coordinator sees a lost query node after this and reassigns its segments. @default 15 */
  milvusSessionTtlSeconds: number;
  /** How long the spike10x profile takes to reach 10x. @default 600 */
  spikeRampSeconds: number;
  /**
   * az-loss: share of the spot nodes in the other zones that get EC2's two-minute interruption
   * notice as capacity moves there. Estimate (AWS publishes no such figure; the Spot Instance
   * Advisor rates these types' interruptions at up to ">20%" a month). @default 0.2
   */
  azLossSpotInterruptionShare: number;
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
  nodeLaunchToReadySeconds: 34,
  nodeMonitorGraceSeconds: 50,
  unreachableTolerationSeconds: 300,
  milvusSessionTtlSeconds: 15,
  spikeRampSeconds: 600,
  azLossSpotInterruptionShare: 0.2,
  imagePullSeconds: 20,
  segmentLoadMBps: 400,
  warmupSeconds: 30,
  warmupSlowdown: 1.5,
  loadingCpuCores: 0.5,
  proxyOverheadMs: 5,
  latencyCapMs: 10_000,
};

/**
 * What held latency above the SLO in a second: the HPA had not asked for the query nodes the load
 * needed (`HPA too slow`, or `maxReplicas reached` at its ceiling), or it had and they were not
 * serving yet (`pool limits`, `nodes not ready`, `pod startup`, `segment loading`), or some
 * segments were served by nobody (`segments unavailable`), or enough nodes served and searches
 * still waited (`backlog`: the queue built earlier draining), or no count of nodes holds the SLO
 * (`latency floor`: one search is slower than the SLO even on idle nodes).
 */
export type Bottleneck =
  | 'maxReplicas reached'
  | 'HPA too slow'
  | 'pool limits'
  | 'nodes not ready'
  | 'pod startup'
  | 'segment loading'
  | 'segments unavailable'
  | 'backlog'
  | 'latency floor';

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
  /** USD per hour at this second's rate: every node running, plus S3 requests and transfer between zones. */
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

/** What the replay's cost is paid for, USD per hour on average over the replay. */
export interface CostBreakdown {
  /** EC2 instances: the query pool and the steady pools (costByPool). */
  nodesPerHour: number;
  /** S3 GET requests of segment loads and PUT requests of inserts (traffic.ts). */
  s3RequestsPerHour: number;
  /** Search requests and results crossing zones between proxies, delegators and query nodes, both directions billed (traffic.ts). */
  crossZoneTransferPerHour: number;
  /** Gigabytes that crossed zones, per hour on average. */
  crossZoneGBPerHour: number;
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
  /** Whether P99 was back under the SLO before the replay ended. */
  recovered: boolean;
  /** What held latency over the SLO most of those seconds, or none. */
  bottleneck?: Bottleneck;
  /** Seconds each bottleneck held. */
  bottleneckSeconds: Partial<Record<Bottleneck, number>>;
  /** Most query-node pods and most nodes at once. */
  peakQueryNodes: number;
  peakNodes: number;
  /** Most nodes of the query pool (query pods' nodes only) at once. */
  peakQueryPoolNodes: number;
  /** Query nodes the data alone needs (memory up to the alert ratio; NVMe cache). */
  dataQueryNodes: number;
  /** Average cost per hour over the replay: nodes, S3 requests and transfer between zones (costBreakdown). */
  costPerHour: number;
  /** costPerHour by what is paid for, USD per hour on average. */
  costBreakdown: CostBreakdown;
  /** costPerHour over a 730-hour month: what a month at this replay's average would cost. */
  costPerMonth: number;
  /** By pool and capacity type. */
  costByPool: PoolCost[];
  /** Share of the query nodes' vCPU-seconds no query pod requested (bin-packing waste and empty nodes waiting on their budget). */
  queryPoolIdleCpu: number;
  /** querynode-restart: seconds from the pod's deletion until its replacement serves. */
  restartToServingSeconds?: number;
  /** The workload as the model sees it. */
  workload: { searchCoreMs: number; measured: boolean; segments: number; memoryGiB: number; s3GiB: number; loadGiBPerQueryNode: number };
  /** Things the reader must know (prices borrowed from another region, data larger than min replicas). */
  notes: string[];
  /** The price groups the costs use, each with its source and date (prices.ts). */
  priceSources: string[];
  /** The parameters used. */
  parameters: ReplayParameters;
  /** One point per second. */
  timeline: TimelinePoint[];
}

type Phase = 'pending' | 'starting' | 'loading' | 'serving' | 'lost';

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
  /** A lost pod (its node unreachable) is evicted, and replaced, at this second. */
  evictAt: number;
}

interface SimNode {
  id: number;
  option: QueryNodeOption;
  zone: string;
  launchedAt: number;
  readyAt: number;
  /** When the Milvus image is on the node: set by the first pod scheduled there. */
  imageReadyAt?: number;
  pods: number;
  emptySince: number;
  gone: boolean;
  /** Drained for a spot interruption: takes no new pods. */
  cordoned?: boolean;
}

/** A query pod being deleted: it serves and holds its node slot until its segments have moved. */
interface Stopping {
  node: SimNode;
  until: number;
}

const GiB = 2 ** 30;

/** EC2 warns a spot instance two minutes before it reclaims it (AWS EC2 User Guide, spot instance interruption notices). */
export const SPOT_NOTICE_SECONDS = 120;

/** The query nodes' shape, as the latency model needs it. */
interface Shape {
  /** CPU limit, cores. */
  cores: number;
  /** Whole cores serving searches at once. */
  servers: number;
  /** Service time on `servers` whole cores of a fractional limit. */
  coreScale: number;
  /** In-memory replicas. */
  replicas: number;
}

/** One second's latency with `serving` query nodes and a backlog carried from the last second. */
function latencyOf(load: WorkloadLoad, qps: number, serving: number, slowdown: number, backlogIn: number, shape: Shape, p: ReplayParameters) {
  if (serving === 0 || qps === 0) {
    const idle = serving === 0 ? p.latencyCapMs : p.proxyOverheadMs;
    return { p50: idle, p99: idle, queue: 0, busyCores: 0, backlog: 0, stable: serving > 0 };
  }
  const { servers, coreScale, cores, replicas } = shape;
  const group = Math.max(1, serving / replicas);
  const serviceMs = (load.searchCoreMs / group) * slowdown * coreScale;
  const arrivalsPerS = qps / replicas;
  const lambdaPerMs = arrivalsPerS / 1000;
  const capacityPerS = (servers / serviceMs) * 1000;
  // DiskANN's NVMe reads: a node's segments are searched `servers` at a time.
  const io = (load.ioMsPerSegment * load.segments) / group / servers;
  const busyCores = Math.min(cores, (arrivalsPerS * serviceMs) / 1000 / coreScale);
  let backlog = backlogIn;
  let p50: number;
  let p99: number;
  let queue: number;
  const stable = arrivalsPerS < capacityPerS * 0.999;
  if (stable) {
    backlog = Math.max(0, backlog - (capacityPerS - arrivalsPerS));
    const wait = backlog > 0 ? (backlog / capacityPerS) * 1000 : 0;
    p99 = sojournQuantile(Math.pow(0.99, 1 / group), servers, lambdaPerMs, serviceMs) + io + p.proxyOverheadMs + wait;
    p50 = sojournQuantile(Math.pow(0.5, 1 / group), servers, lambdaPerMs, serviceMs) + io + p.proxyOverheadMs + wait;
    queue = meanQueueLength(servers, lambdaPerMs, serviceMs) + backlog;
  } else {
    backlog += arrivalsPerS - capacityPerS;
    const wait = (backlog / capacityPerS) * 1000;
    // Exponential service: its 99th percentile is ln(100) ~ 4.6 means.
    p99 = wait + serviceMs * Math.log(100) + io + p.proxyOverheadMs;
    p50 = wait + serviceMs * Math.log(2) + io + p.proxyOverheadMs;
    queue = backlog;
  }
  return { p50: Math.min(p50, p.latencyCapMs), p99: Math.min(p99, p.latencyCapMs), queue, busyCores, backlog, stable };
}

/**
 * The P99 Prometheus computes over a window from pooled histograms (histogram_quantile over
 * rate(...[window])): the quantile of the mixture of each second's latency, weighted by its
 * searches. Each second is taken as a shifted exponential through its P50 and P99. Seconds without
 * a successful search add nothing; with none at all the adapter's rule returns 0.
 */
export function pooledP99(p50: readonly number[], p99: readonly number[], weight: readonly number[]): number {
  const parts: { a: number; b: number; w: number }[] = [];
  for (let i = 0; i < p99.length; i++) {
    if (!(weight[i]! > 0)) continue;
    const b = Math.max(1e-9, (p99[i]! - p50[i]!) / Math.log(50));
    parts.push({ a: p50[i]! - b * Math.log(2), b, w: weight[i]! });
  }
  if (parts.length === 0) return 0;
  const total = parts.reduce((s, x) => s + x.w, 0);
  const tail = (x: number) => parts.reduce((s, q) => s + q.w * (x <= q.a ? 1 : Math.exp(-(x - q.a) / q.b)), 0) / total;
  let lo = 0;
  let hi = Math.max(...p99);
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > 0.01) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Runs one replay. */
export function replay(
  spec: ResolvedClusterSpec,
  model: ClusterModel,
  profile: Profile,
  prices: RegionPrices,
  given: Partial<ReplayParameters> = {},
): ReplayResult {
  const p: ReplayParameters = {
    ...DEFAULT_PARAMETERS,
    ...(model.unreachableTolerationSeconds !== undefined ? { unreachableTolerationSeconds: model.unreachableTolerationSeconds } : {}),
    ...given,
  };
  const slo = spec.monitoring.searchLatencySloMs;
  const w = spec.workload;
  const baseLoad = workloadLoad(w);
  const traffic = trafficModel(w, baseLoad, spec.milvus.minor);
  const price = (o: QueryNodeOption) => (o.capacityType === 'spot' ? prices.spot(o.instanceType) : prices.onDemand(o.instanceType));
  const cacheBytes = parseQuantity(spec.milvus.queryNodeCacheSize) ?? Infinity;
  const dataQueryNodes = queryNodesForData(baseLoad, model.pod.memoryRequest, spec.monitoring.queryNodeMemoryAlertRatio, cacheBytes);
  const notes: string[] = [];
  notes.push(...prices.borrowed);
  if (dataQueryNodes > model.hpa.minReplicas)
    notes.push(
      `the data needs ${dataQueryNodes} query nodes (memory to ${spec.monitoring.queryNodeMemoryAlertRatio * 100}% of the request, NVMe cache) but minReplicas is ${model.hpa.minReplicas}`,
    );
  if (dataQueryNodes > model.hpa.maxReplicas)
    notes.push(`the data alone needs more query nodes (${dataQueryNodes}) than maxReplicas (${model.hpa.maxReplicas})`);
  const cores = model.pod.cpuLimit;
  const servers = Math.max(1, Math.floor(cores));
  const shape: Shape = { cores, servers, coreScale: servers / cores, replicas: Math.max(1, baseLoad.replicas) };
  const pool = model.pool;
  const zones = [...pool.zones];
  const neededCache = new Map<number, number>();
  /** Serving query nodes that hold the SLO at `qps` with no backlog; Infinity when none do. */
  const needed = (load: WorkloadLoad, qps: number): number => {
    const key = Math.round(qps);
    const hit = neededCache.get(key);
    if (hit !== undefined) return hit;
    let n = 1;
    const holds = (k: number) => {
      const l = latencyOf(load, qps, k, 1, 0, shape, p);
      return l.stable && l.p99 <= slo;
    };
    while (n <= 4 * model.hpa.maxReplicas && !holds(n)) n++;
    const r = n > 4 * model.hpa.maxReplicas ? Infinity : n;
    neededCache.set(key, r);
    return r;
  };

  // ---- state ----
  const pods: Pod[] = [];
  const nodes: SimNode[] = [];
  let stopping: Stopping[] = [];
  let reclaim: { node: SimNode; at: number }[] = [];
  let nextPod = 0;
  let nextNode = 0;
  const liveNodes = () => nodes.filter((n) => !n.gone);
  const newNode = (option: QueryNodeOption, launchedAt: number, readyAt: number, zone: string): SimNode => {
    const n: SimNode = { id: nextNode++, option, zone, launchedAt, readyAt, pods: 0, emptySince: readyAt, gone: false };
    nodes.push(n);
    return n;
  };
  const newPod = (t: number): Pod => {
    const pod: Pod = {
      id: nextPod++,
      phase: 'pending',
      createdAt: t,
      runningAt: Infinity,
      readyAt: Infinity,
      loadBytesLeft: 0,
      servingAt: Infinity,
      evictAt: Infinity,
    };
    pods.push(pod);
    return pod;
  };
  /** Query pods per zone, as the topology spread constraint counts them. */
  const perZone = (): Map<string, number> => {
    const m = new Map<string, number>(zones.map((z) => [z, 0]));
    for (const x of pods) if (x.node && x.phase !== 'lost' && m.has(x.node.zone)) m.set(x.node.zone, m.get(x.node.zone)! + 1);
    return m;
  };
  /** Zones a new pod may go to under the zone spread (every zone without one). */
  const allowedZones = (t: number): Set<string> => {
    const counts = perZone();
    if (model.zoneMaxSkew === undefined) return new Set(zones);
    // Domains are the zones with a (registered) node of the pool.
    const domains = zones.filter((z) => liveNodes().some((n) => n.zone === z && n.readyAt <= t));
    if (domains.length === 0) return new Set(zones);
    const min = Math.min(...domains.map((z) => counts.get(z)!));
    return new Set(domains.filter((z) => counts.get(z)! + 1 - min <= model.zoneMaxSkew!));
  };
  const limitOk = (option: QueryNodeOption, zone: string): boolean => {
    const live = liveNodes();
    if ('nodesPerZone' in pool.limit) return live.filter((n) => n.zone === zone).length + 1 <= (pool.limit.nodesPerZone[zone] ?? 0);
    const cpu = live.reduce((s, n) => s + n.option.vcpu, 0) + option.vcpu;
    const mem = live.reduce((s, n) => s + n.option.memoryGi, 0) + option.memoryGi;
    return cpu <= pool.limit.cpu && mem <= pool.limit.memoryGi;
  };

  // Steady state before the replay: the replicas the HPA keeps at the first second's load, every
  // pod serving on running nodes, spread over the zones.
  let desired = steadyReplicas(model, baseLoad, w.traffic.searchQps * profile.multiplier(0), p, shape);
  for (let i = 0; i < desired; i++) {
    const zone = zones[i % zones.length]!;
    const pod = newPod(-3600);
    let node = liveNodes().find((n) => n.zone === zone && n.pods < n.option.podsPerNode);
    if (!node) node = newNode(pool.options[0]!, -3600, -3600, zone);
    node.imageReadyAt = -Infinity;
    node.pods++;
    Object.assign(pod, { phase: 'serving', node, runningAt: -3600, readyAt: -3600, servingAt: -3600 });
  }
  const hpa = new HpaController(model.hpa);
  let lastDecision: { limitedBy: HpaLimit; proposed: number } = { limitedBy: 'none', proposed: desired };

  let batchStart = -1;
  let batchLastPending = -1;
  let pendingSeen = 0;
  let lastScaleUpAt = -Infinity;
  let unavailableUntil = -Infinity;
  let unavailableFrom = Infinity;
  let episodeCause: Bottleneck | undefined;

  const hist = { cpu: [] as number[], p50: [] as number[], p99: [] as number[], queue: [] as number[], served: [] as number[] };
  let backlog = 0;
  const timeline: TimelinePoint[] = [];
  const bottleneckSeconds: Partial<Record<Bottleneck, number>> = {};
  let restartedAt: number | undefined;
  let restartPod: Pod | undefined;
  let restartToServing: number | undefined;
  const poolSeconds = new Map<string, { types: Set<string>; capacity: 'spot' | 'on-demand'; dollars: number }>();
  let busyCpuSeconds = 0;
  let totalCpuSeconds = 0;
  let peakQueryPoolNodes = 0;
  const spent = { nodes: 0, requests: 0, transfer: 0, transferGB: 0 };

  for (let t = 0; t < profile.durationSeconds; t++) {
    const qps = w.traffic.searchQps * profile.multiplier(t);
    const load = w.traffic.insertRowsPerSecond > 0 ? workloadLoad(w, w.traffic.insertRowsPerSecond * t) : baseLoad;

    // ---- events ----
    if (profile.zoneLossAt === t) {
      const zone = zones[0]!;
      const lost = liveNodes().filter((n) => n.zone === zone);
      for (const n of lost) n.gone = true;
      const lostPods = pods.filter((x) => x.node?.gone);
      const servingBefore = pods.filter((x) => x.phase === 'serving').length;
      for (const x of lostPods) {
        // Still a pod of the ReplicaSet, bound to an unreachable node, until the taint manager evicts it.
        x.phase = 'lost';
        x.evictAt = t + p.nodeMonitorGraceSeconds + p.unreachableTolerationSeconds;
      }
      zones.splice(0, 1);
      const survivors = pods.filter((x) => x.phase === 'serving').length;
      if (shape.replicas < 2 && lostPods.length > 0 && survivors > 0) {
        // The query coordinator sees the nodes gone after the session TTL and has the survivors load their segments.
        const share = (load.loadBytes * lostPods.length) / Math.max(1, servingBefore);
        unavailableFrom = t;
        unavailableUntil = t + p.milvusSessionTtlSeconds + Math.ceil(share / survivors / (p.segmentLoadMBps * 1e6));
      }
      // Spot capacity in the other zones is reclaimed as demand moves there: on the notice the node
      // is drained (its pods stop gracefully and are replaced at once) and EC2 takes it two minutes later.
      const spot = liveNodes().filter((n) => n.option.capacityType === 'spot' && n.readyAt <= t);
      const reclaimed = spot.slice(0, Math.ceil(spot.length * p.azLossSpotInterruptionShare));
      for (const n of reclaimed) {
        n.cordoned = true;
        for (const x of pods.filter((y) => y.node === n)) {
          pods.splice(pods.indexOf(x), 1);
          stopping.push({ node: n, until: t + SPOT_NOTICE_SECONDS });
        }
        reclaim.push({ node: n, at: t + SPOT_NOTICE_SECONDS });
      }
      const steadySpot = model.staticPools.filter((s) => s.capacityType === 'spot').reduce((a, s) => a + s.nodes, 0);
      if (reclaimed.length > 0 || steadySpot > 0)
        notes.push(
          `minute ${Math.floor(t / 60)}: ${reclaimed.length} spot query node(s) and about ${Math.ceil(steadySpot * p.azLossSpotInterruptionShare)} spot node(s) of the steady pools get the two-minute interruption notice (azLossSpotInterruptionShare ${p.azLossSpotInterruptionShare}); the steady pools' replacements are not modelled`,
        );
      notes.push(
        `minute ${Math.floor(t / 60)}: zone ${zone} unreachable with ${lost.length} query node(s) and ${lostPods.length} query pod(s); ` +
          (Number.isFinite(p.unreachableTolerationSeconds)
            ? `the pods are replaced after ${p.nodeMonitorGraceSeconds + p.unreachableTolerationSeconds} s (node monitor grace + unreachable toleration), new nodes go to ${zones.join(', ')}`
            : `the pods tolerate an unreachable node for ever and are never replaced`) +
          (unavailableUntil > t ? `; their segments are unavailable for ${unavailableUntil - t} s while the other query nodes load them` : ''),
      );
    }
    for (const x of pods.filter((y) => y.phase === 'lost' && t >= y.evictAt)) pods.splice(pods.indexOf(x), 1);
    if (profile.queryNodeRestartAt === t) {
      const victim = pods.find((x) => x.phase === 'serving');
      if (victim) {
        pods.splice(pods.indexOf(victim), 1);
        // Graceful stop: the query coordinator moves its segments to the others, then it exits.
        const others = Math.max(1, pods.filter((x) => x.phase === 'serving').length);
        const move = Math.ceil(load.loadBytes / (others + 1) / others / (p.segmentLoadMBps * 1e6));
        stopping.push({ node: victim.node!, until: t + Math.min(model.terminationGraceSeconds, move) });
        restartedAt = t;
      }
    }
    for (const r of reclaim.filter((x) => t >= x.at)) r.node.gone = true;
    reclaim = reclaim.filter((x) => t < x.at);
    for (const s of stopping.filter((x) => t >= x.until)) s.node.pods--;
    stopping = stopping.filter((x) => t < x.until);

    // ---- ReplicaSet: pods follow the desired count (pending and unready pods removed first) ----
    while (pods.length < desired) {
      const pod = newPod(t);
      if (restartedAt !== undefined && restartPod === undefined) restartPod = pod;
    }
    while (pods.length > desired) {
      const order: Phase[] = ['pending', 'lost', 'starting', 'loading', 'serving'];
      const victim = [...pods].sort((a, b) => order.indexOf(a.phase) - order.indexOf(b.phase) || b.createdAt - a.createdAt)[0]!;
      pods.splice(pods.indexOf(victim), 1);
      if (victim.node && !victim.node.gone) victim.node.pods--;
    }

    // ---- scheduler: pending pods onto ready nodes with room, within the zone spread ----
    for (const pod of pods.filter((x) => x.phase === 'pending')) {
      const allowed = allowedZones(t);
      const node = liveNodes()
        .filter((n) => n.readyAt <= t && !n.cordoned && n.pods < n.option.podsPerNode && allowed.has(n.zone))
        .sort((a, b) => a.pods - b.pods || a.id - b.id)[0];
      if (!node) continue;
      node.pods++;
      node.imageReadyAt ??= t + p.imagePullSeconds;
      pod.node = node;
      pod.phase = 'starting';
      pod.runningAt = Math.max(t, node.imageReadyAt);
      pod.readyAt = pod.runningAt + model.readinessSeconds;
    }

    // ---- provisioner: nodes for pods no node (ready or coming) has room for ----
    const pending = pods.filter((x) => x.phase === 'pending').length;
    const coming = liveNodes()
      .filter((n) => n.readyAt > t)
      .reduce((s, n) => s + n.option.podsPerNode - n.pods, 0);
    const unplaced = Math.max(0, pending - coming);
    let launchNow = false;
    if (unplaced > 0) {
      if (pool.provisioner === 'karpenter') {
        if (batchStart < 0) batchStart = t;
        if (unplaced > pendingSeen) batchLastPending = t;
        pendingSeen = unplaced;
        launchNow = t - batchLastPending >= p.karpenterBatchIdleSeconds || t - batchStart >= p.karpenterBatchMaxSeconds;
      } else launchNow = t % pool.scanIntervalSeconds === 0;
    } else {
      batchStart = -1;
      pendingSeen = 0;
    }
    let limitBlocked = false;
    if (launchNow) {
      const option = pool.options[0]!;
      const counts = perZone();
      // Pods the coming nodes will take, by zone, so that new nodes go where the spread wants pods.
      for (const n of liveNodes()) if (n.readyAt > t) counts.set(n.zone, (counts.get(n.zone) ?? 0) + n.option.podsPerNode - n.pods);
      for (let i = 0; i < Math.ceil(unplaced / option.podsPerNode); i++) {
        const zone = [...zones].filter((z) => limitOk(option, z)).sort((a, b) => counts.get(a)! - counts.get(b)! || a.localeCompare(b))[0];
        if (zone === undefined) {
          limitBlocked = true;
          break;
        }
        newNode(option, t, t + p.nodeLaunchToReadySeconds, zone);
        counts.set(zone, counts.get(zone)! + option.podsPerNode);
        lastScaleUpAt = t;
      }
      batchStart = -1;
      pendingSeen = 0;
    }
    if (unplaced > 0 && !zones.some((z) => limitOk(pool.options[0]!, z))) limitBlocked = true;

    // ---- pods progress ----
    const shareOf = Math.max(1, pods.filter((x) => x.phase !== 'lost').length);
    let loadedBytes = 0;
    for (const pod of pods) {
      if (pod.phase === 'starting' && t >= pod.readyAt) {
        pod.phase = 'loading';
        // Its share of the segments of every replica (the balancer spreads them over the pods).
        pod.loadBytesLeft = load.loadBytes / shareOf;
      }
      if (pod.phase === 'loading') {
        loadedBytes += Math.min(pod.loadBytesLeft, p.segmentLoadMBps * 1e6);
        pod.loadBytesLeft -= p.segmentLoadMBps * 1e6;
        if (pod.loadBytesLeft <= 0) {
          pod.phase = 'serving';
          pod.servingAt = t;
          if (pod === restartPod && restartedAt !== undefined) restartToServing = t - restartedAt;
        }
      }
    }

    // ---- empty nodes: Karpenter within its budgets after consolidateAfter; CA after its waits ----
    const empty = liveNodes().filter((n) => {
      if (n.pods > 0 || n.readyAt > t) {
        n.emptySince = Math.max(t, n.readyAt);
        return false;
      }
      return t - n.emptySince >= pool.emptyNodeSeconds;
    });
    if (empty.length > 0) {
      if (pool.provisioner === 'karpenter') {
        const allowed = allowedEmptyDisruptions(pool.budgets, profile.startClock + t, liveNodes().length, 0);
        for (const n of empty.slice(0, allowed)) n.gone = true;
      } else if (t - lastScaleUpAt >= pool.scaleDownDelayAfterAddSeconds) for (const n of empty) n.gone = true;
    }

    // ---- latency ----
    const serving = pods.filter((x) => x.phase === 'serving');
    const warm = serving.filter((x) => t - x.servingAt >= p.warmupSeconds).length;
    const servingCount = serving.length + stopping.length;
    const slowdown = serving.length === 0 ? 1 : (warm + stopping.length + (serving.length - warm) * p.warmupSlowdown) / servingCount;
    const unavailable = t >= unavailableFrom && t < unavailableUntil;
    const l = latencyOf(load, qps, servingCount, slowdown, backlog, shape, p);
    backlog = l.backlog;
    const p99 = unavailable ? p.latencyCapMs : l.p99;
    const p50 = unavailable ? p.latencyCapMs : l.p50;
    hist.cpu.push(l.busyCores);
    hist.p50.push(l.p50);
    hist.p99.push(l.p99);
    hist.queue.push(l.queue);
    hist.served.push(servingCount > 0 ? qps : 0);

    // ---- HPA ----
    if (t % HPA_SYNC_SECONDS === 0) {
      const res = p.resourceMetricsResolutionSeconds;
      const avgBack = (xs: number[], from: number, to: number) => {
        const slice = xs.slice(Math.max(0, xs.length - to), Math.max(0, xs.length - from));
        return slice.length ? slice.reduce((a, b) => a + b, 0) / slice.length : (xs[xs.length - 1] ?? 0);
      };
      const samples: MetricSample[] = [];
      const live = pods.filter((x) => x.phase !== 'lost');
      const running = live.filter((x) => x.phase !== 'pending' && t >= x.runningAt);
      // Pending pods are unready; lost pods (node unreachable) have no metrics.
      const pendingCount = live.length - running.length;
      const lostCount = pods.length - live.length;
      const servingCpu = avgBack(hist.cpu, 0, res);
      const cpuOf = (x: Pod) => ((x.phase === 'serving' ? servingCpu : x.phase === 'loading' ? p.loadingCpuCores : 0) / model.pod.cpuRequest) * 100;
      for (const m of model.metrics) {
        if (m.kind === 'cpu') {
          // CPU counts a pod once it is Ready and its first sample is from after that (the CPU
          // initialization period); running pods not yet Ready are set aside as unready.
          const counted = running.filter((x) => t >= x.readyAt + res);
          const notReady = running.filter((x) => t < x.readyAt + res).length;
          samples.push({
            kind: 'per-pod',
            name: 'cpu',
            resource: 'cpu',
            target: m.targetUtilization,
            values: counted.map(cpuOf),
            unready: pendingCount + notReady,
            missing: lostCount,
          });
        } else if (m.kind === 'memory') {
          const perServing = QUERYNODE_BASE_MEMORY_GIB * GiB + load.memoryBytes / Math.max(1, serving.length);
          const sampled = running.filter((x) => t - x.runningAt >= res);
          const values = sampled.map((x) => ((x.phase === 'serving' ? perServing : QUERYNODE_BASE_MEMORY_GIB * GiB) / model.pod.memoryRequest) * 100);
          samples.push({
            kind: 'per-pod',
            name: 'memory',
            resource: 'memory',
            target: m.targetUtilization,
            values,
            unready: pendingCount,
            missing: running.length - sampled.length + lostCount,
          });
        } else if (m.kind === 'queue') {
          const q = avgBack(hist.queue, model.scrapeSeconds, model.scrapeSeconds * 2);
          const scraped = running.filter((x) => t - x.runningAt >= model.scrapeSeconds);
          const values = scraped.map((x) => (x.phase === 'serving' ? q : 0));
          samples.push({
            kind: 'per-pod',
            name: m.name,
            target: m.targetAverage,
            values,
            unready: pendingCount,
            missing: running.length - scraped.length + lostCount,
          });
        } else {
          const n = hist.p99.length;
          const from = Math.max(0, n - model.scrapeSeconds - model.latencyWindowSeconds);
          const to = Math.max(0, n - model.scrapeSeconds);
          const value = pooledP99(hist.p50.slice(from, to), hist.p99.slice(from, to), hist.served.slice(from, to));
          samples.push({ kind: 'value', name: m.name, target: m.targetValue, value, readyPods: live.filter((x) => t >= x.readyAt).length });
        }
      }
      const d = hpa.reconcile(t, desired, samples);
      lastDecision = d;
      desired = d.replicas;
    }

    // ---- cost: nodes, S3 requests, transfer between zones ----
    let costPerHour = 0;
    peakQueryPoolNodes = Math.max(peakQueryPoolNodes, liveNodes().length);
    for (const n of liveNodes()) {
      const c = price(n.option);
      costPerHour += c;
      const key = `${pool.name}: query nodes (${n.option.capacityType})`;
      const e = poolSeconds.get(key) ?? { types: new Set<string>(), capacity: n.option.capacityType, dollars: 0 };
      e.types.add(n.option.instanceType);
      e.dollars += c / 3600;
      poolSeconds.set(key, e);
      totalCpuSeconds += n.option.vcpu;
    }
    busyCpuSeconds += (pods.filter((x) => x.node && !x.node.gone && x.phase !== 'pending').length + stopping.length) * model.pod.cpuRequest;
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
    spent.nodes += costPerHour / 3600;
    const gets = loadedBytes * traffic.getsPerLoadedByte;
    const requests = (gets * prices.storage.s3GetPer1000 + traffic.putsPerSecond * prices.storage.s3PutPer1000) / 1000;
    // A gigabyte that leaves its zone is billed out of one zone and into the other.
    // Searches that are served: none while segments are unavailable (they fail) or nobody serves.
    const crossGB = servingCount > 0 && !unavailable ? (qps * traffic.crossZoneBytesPerSearch(servingCount, zones.length)) / 1e9 : 0;
    const transfer = crossGB * 2 * prices.crossAzPerGb;
    spent.requests += requests;
    spent.transfer += transfer;
    spent.transferGB += crossGB;
    costPerHour += (requests + transfer) * 3600;

    // ---- what held latency over the SLO this second ----
    if (p99 > slo) {
      const need = needed(load, qps);
      let b: Bottleneck;
      if (unavailable) b = 'segments unavailable';
      else if (need === Infinity) b = 'latency floor';
      else if (servingCount >= need) b = 'backlog';
      else if (desired < need && desired >= model.hpa.maxReplicas) b = 'maxReplicas reached';
      // The HPA wanted more than its behavior let it add, or has not asked for what the load needs.
      else if (lastDecision.limitedBy === 'scaleUpPolicy' || lastDecision.limitedBy === 'stabilization' || desired < need) b = 'HPA too slow';
      else if (pods.some((x) => x.phase === 'pending')) b = limitBlocked ? 'pool limits' : 'nodes not ready';
      else if (pods.some((x) => x.phase === 'starting')) b = 'pod startup';
      else if (pods.some((x) => x.phase === 'loading')) b = 'segment loading';
      else b = 'HPA too slow';
      // A backlog is the debt of an earlier shortfall: its seconds count for the cause that built it.
      if (b === 'backlog' && episodeCause) b = episodeCause;
      episodeCause = b;
      bottleneckSeconds[b] = (bottleneckSeconds[b] ?? 0) + 1;
    } else episodeCause = undefined;

    timeline.push({
      t,
      qps: round(qps, 1),
      p99Ms: round(p99, 1),
      p50Ms: round(p50, 1),
      queryNodes: pods.length,
      servingQueryNodes: serving.length,
      nodes: liveNodes().length + staticNodes,
      costPerHour: round(costPerHour, 4),
    });
  }

  const breaches = timeline.filter((x) => x.p99Ms > slo);
  const maxP99 = Math.max(...timeline.map((x) => x.p99Ms));
  const bottleneck = (Object.entries(bottleneckSeconds) as [Bottleneck, number][]).sort((a, b) => b[1] - a[1])[0]?.[0];
  const avgCost = timeline.reduce((s, x) => s + x.costPerHour, 0) / timeline.length;
  const hours = profile.durationSeconds / 3600;
  const lastBreach = breaches.at(-1)?.t;
  return {
    cluster: spec.name,
    profile: profile.name,
    sloMs: slo,
    maxP99Ms: round(maxP99, 1),
    met: breaches.length === 0,
    ...(breaches.length > 0 ? { firstBreachMinute: Math.floor(breaches[0]!.t / 60) } : {}),
    breachSeconds: breaches.length,
    recoverSeconds: breaches.length > 0 ? lastBreach! - breaches[0]!.t + 1 : 0,
    recovered: lastBreach === undefined || lastBreach < profile.durationSeconds - 1,
    ...(bottleneck ? { bottleneck } : {}),
    bottleneckSeconds,
    peakQueryNodes: Math.max(...timeline.map((x) => x.queryNodes)),
    peakNodes: Math.max(...timeline.map((x) => x.nodes)),
    peakQueryPoolNodes,
    dataQueryNodes,
    costPerHour: round(avgCost, 2),
    costPerMonth: Math.round(avgCost * HOURS_PER_MONTH),
    costBreakdown: {
      nodesPerHour: round(spent.nodes / hours, 2),
      s3RequestsPerHour: round(spent.requests / hours, 4),
      crossZoneTransferPerHour: round(spent.transfer / hours, 2),
      crossZoneGBPerHour: round(spent.transferGB / hours, 1),
    },
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
      loadGiBPerQueryNode: round(baseLoad.loadBytes / GiB / Math.max(1, timeline[0]?.queryNodes ?? 1), 1),
    },
    notes,
    priceSources: prices.sources,
    parameters: p,
    timeline,
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The replicas the HPA settles on at a steady `qps` with every pod serving (the replay's start): its fixed point. */
function steadyReplicas(model: ClusterModel, load: WorkloadLoad, qps: number, p: ReplayParameters, shape: Shape): number {
  let n = Math.max(model.hpa.minReplicas, 1);
  const within = (ratio: number) => ratio >= 1 - HPA_TOLERANCE && ratio <= 1 + HPA_TOLERANCE;
  for (let i = 0; i < 50; i++) {
    const l = latencyOf(load, qps, n, 1, 0, shape, p);
    const proposals = model.metrics.map((m) => {
      let ratio: number;
      if (m.kind === 'cpu') ratio = ((l.busyCores / model.pod.cpuRequest) * 100) / m.targetUtilization;
      else if (m.kind === 'memory') ratio = (((QUERYNODE_BASE_MEMORY_GIB * GiB + load.memoryBytes / n) / model.pod.memoryRequest) * 100) / m.targetUtilization;
      else if (m.kind === 'queue') ratio = l.queue / m.targetAverage;
      else ratio = l.p99 / m.targetValue;
      return within(ratio) ? n : Math.ceil(ratio * n);
    });
    const next = Math.min(model.hpa.maxReplicas, Math.max(model.hpa.minReplicas, ...proposals));
    if (next <= n) return n;
    n = next;
  }
  return n;
}
