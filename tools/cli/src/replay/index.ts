// `gitops replay`: capacity and cost of one cluster's rendered objects under a traffic profile,
// and the seed's two cost claims computed for it.

import type { Manifest } from '@milvus-gitops/core';
import type { ResolvedClusterSpec } from '@milvus-gitops/spec';
import { clusterModel } from './cluster.js';
import { workloadLoad } from './model.js';
import { HOURS_PER_MONTH, regionPrices } from './prices.js';
import { profile, type ProfileName } from './profiles.js';
import { replay, type ReplayParameters, type ReplayResult } from './simulate.js';
import { trafficModel } from './traffic.js';

export { ReplayInputError } from './cluster.js';
export { PROFILES, type ProfileName } from './profiles.js';
export { formatReplayJson, formatReplaySvg, formatReplayText } from './report.js';
export { DEFAULT_PARAMETERS, type Bottleneck, type CostBreakdown, type ReplayParameters, type ReplayResult, type TimelinePoint } from './simulate.js';

/** Runs `profileName` against a cluster's rendered objects. */
export function replayCluster(
  spec: ResolvedClusterSpec,
  objects: readonly Manifest[],
  profileName: ProfileName,
  params: Partial<ReplayParameters> = {},
): ReplayResult {
  const prices = regionPrices(spec.aws.region);
  const price = (type: string, capacity: string) => (capacity === 'spot' ? prices.spot(type) : prices.onDemand(type));
  return replay(spec, clusterModel(spec, objects, price), profile(profileName, params.spikeRampSeconds), prices, params);
}

/**
 * Copies a block-storage deployment keeps of the data: EBS volumes live in one zone, so surviving
 * the loss of a zone takes a copy in each of three (a replicated MinIO or Ceph on gp3).
 */
export const BLOCK_STORAGE_COPIES = 3;
/** Share of a provisioned volume the data fills (volumes are grown ahead of the data). Estimate. */
export const BLOCK_STORAGE_FILL = 0.8;

/** The seed's two claims, computed for one cluster. */
export interface CostClaims {
  cluster: string;
  /**
   * Compute: the day's average node cost per hour (diurnal replay, spot where the pools use it)
   * against an on-demand fleet sized for the spike's peak and held all day.
   */
  compute: { autoscaledPerHour: number; staticPeakPerHour: number; saving: number };
  /**
   * Storage, per month: the data in S3 Standard with its requests (the diurnal day's segment loads
   * and the inserts' writes, traffic.ts) against the same data on gp3 with BLOCK_STORAGE_COPIES
   * copies at BLOCK_STORAGE_FILL, whose copies in other zones bill the inserted bytes as transfer.
   */
  storage: {
    /** S3 storage and requests. */
    s3PerMonth: number;
    /** Of s3PerMonth, the requests. */
    s3RequestsPerMonth: number;
    /** gp3 volumes and the transfer that keeps the copies in other zones. */
    gp3PerMonth: number;
    /** Of gp3PerMonth, the transfer. */
    gp3ReplicationPerMonth: number;
    saving: number;
    dataGB: number;
  };
  /** The cluster's region. */
  region: string;
  /** The region whose EC2 prices were used. */
  pricedAs: string;
  /** The region whose S3 and gp3 prices were used. */
  storagePricedAs: string;
}

/** The compute and storage claims for a cluster, from its diurnal and spike replays. */
export function costClaims(spec: ResolvedClusterSpec, objects: readonly Manifest[], day: ReplayResult, spike: ReplayResult): CostClaims {
  const prices = regionPrices(spec.aws.region);
  const price = (type: string, capacity: string) => (capacity === 'spot' ? prices.spot(type) : prices.onDemand(type));
  const model = clusterModel(spec, objects, price);
  const option = model.pool.options[0]!;
  // The query pool's most nodes in the spike (zone spread included), on-demand, plus every steady pool on-demand.
  const staticPeak =
    spike.peakQueryPoolNodes * prices.onDemand(option.instanceType) + model.staticPools.reduce((s, p) => s + p.nodes * prices.onDemand(p.instanceType), 0);
  const load = workloadLoad(spec.workload);
  const traffic = trafficModel(spec.workload, load, spec.milvus.minor);
  const gb = load.s3Bytes / 1e9;
  const s3Requests = day.costBreakdown.s3RequestsPerHour * HOURS_PER_MONTH;
  const s3 = gb * prices.storage.s3StandardGbMonth + s3Requests;
  // Each insert written to the other copies' zones: billed out of one zone and into the other.
  const monthSeconds = HOURS_PER_MONTH * 3600;
  const replication = ((traffic.writtenBytesPerSecond * monthSeconds) / 1e9) * (BLOCK_STORAGE_COPIES - 1) * 2 * prices.crossAzPerGb;
  const gp3 = ((gb * BLOCK_STORAGE_COPIES) / BLOCK_STORAGE_FILL) * prices.storage.gp3GbMonth + replication;
  const nodes = day.costBreakdown.nodesPerHour;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    cluster: spec.name,
    compute: { autoscaledPerHour: r2(nodes), staticPeakPerHour: r2(staticPeak), saving: r2(1 - nodes / staticPeak) },
    storage: {
      s3PerMonth: r2(s3),
      s3RequestsPerMonth: r2(s3Requests),
      gp3PerMonth: r2(gp3),
      gp3ReplicationPerMonth: r2(replication),
      saving: r2(1 - s3 / gp3),
      dataGB: r2(gb),
    },
    region: prices.region,
    pricedAs: prices.pricedAs,
    storagePricedAs: prices.storagePricedAs,
  };
}

/** One cluster's figures beside the seed's claims. */
export interface ClaimRow {
  cluster: string;
  spike: ReplayResult;
  restart: ReplayResult;
  costs: CostClaims;
}

/** Replays what the claims table needs: spike, query-node restart and a day. */
export function claimRow(spec: ResolvedClusterSpec, objects: readonly Manifest[]): ClaimRow {
  const spike = replayCluster(spec, objects, 'spike10x');
  const restart = replayCluster(spec, objects, 'querynode-restart');
  const day = replayCluster(spec, objects, 'diurnal');
  return { cluster: spec.name, spike, restart, costs: costClaims(spec, objects, day, spike) };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The claims table, Markdown: the seed's claim in each column head, each cluster's replay figures below. */
export function formatClaimsMarkdown(rows: readonly ClaimRow[]): string {
  const out = [
    '| cluster | P99 < 200 ms in a 10x spike | query nodes 2 -> 20 | restart to serving 30-90 s | ~40% less compute | ~80% less storage |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const s = r.spike;
    const p99 = s.met ? `held: max ${s.maxP99Ms} ms (SLO ${s.sloMs})` : `broken from minute ${s.firstBreachMinute}: ${s.bottleneck}, max ${s.maxP99Ms} ms`;
    const nodes = `${s.timeline[0]!.queryNodes} -> ${s.peakQueryNodes} (data needs ${s.dataQueryNodes})`;
    const restart = r.restart.restartToServingSeconds === undefined ? 'n/a' : `${r.restart.restartToServingSeconds} s`;
    const c = r.costs;
    const borrowed = (pricedAs: string) => (pricedAs === c.region ? '' : ` (${pricedAs} prices)`);
    const compute = `${pct(c.compute.saving)}: $${c.compute.autoscaledPerHour.toFixed(2)}/h against $${c.compute.staticPeakPerHour.toFixed(2)}/h${borrowed(c.pricedAs)}`;
    const storage = `${pct(c.storage.saving)}: ${Math.round(c.storage.dataGB)} GB, $${c.storage.s3PerMonth.toFixed(2)}/month on S3 against $${c.storage.gp3PerMonth.toFixed(2)} on gp3${borrowed(c.storagePricedAs)}`;
    out.push(`| ${r.cluster} | ${p99} | ${nodes} | ${restart} | ${compute} | ${storage} |`);
  }
  return `${out.join('\n')}\n`;
}
