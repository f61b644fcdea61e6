// The replay in `gitops diff`: for each cluster whose scaling, resources or node pools change, the
// spike replay of the base's objects and of the head's, side by side. Both run under the head's
// spec (workload, SLO, region): the question is what the change does to the same traffic.

import type { Manifest } from '@milvus-gitops/core';
import type { ResolvedClusterSpec } from '@milvus-gitops/spec';
import { parse } from 'yaml';
import type { ClusterDiff } from '../diff.js';
import type { ProfileName } from './profiles.js';
import { replayCluster } from './index.js';
import { money } from './report.js';
import type { ReplayResult } from './simulate.js';

/** Kinds whose change can move the replay's figures. */
const SCALING_KINDS = new Set(['HorizontalPodAutoscaler', 'NodePool', 'EC2NodeClass', 'Deployment', 'StatefulSet']);
/** Fields of a workload that matter to capacity (a label change does not). */
const SCALING_FIELDS =
  /(^|\.)(replicas|resources|minReplicas|maxReplicas|metrics|behavior|limits|requirements|disruption|readinessProbe|command|args)(\.|\[|$)/;

/** What the replay says of one side. */
export type ReplaySide = { result: ReplayResult } | { error: string };

/** Base and head replays of one cluster. */
export interface ReplayDelta {
  cluster: string;
  profile: ProfileName;
  base: ReplaySide;
  head: ReplaySide;
}

/** Whether a cluster's diff touches scaling, resources or node pools. */
export function touchesCapacity(d: ClusterDiff): boolean {
  return d.apps.some((a) =>
    a.objects.some((o) => SCALING_KINDS.has(o.object.split(' ')[0]!) && (o.status !== 'changed' || o.fields.some((f) => SCALING_FIELDS.test(f.path)))),
  );
}

function objectsOf(tree: Record<string, string>, cluster: string): Manifest[] {
  return Object.entries(tree)
    .filter(([path]) => path.startsWith(`${cluster}/`))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, text]) => parse(text) as Manifest);
}

const side = (spec: ResolvedClusterSpec, objects: Manifest[], profile: ProfileName): ReplaySide => {
  try {
    return { result: replayCluster(spec, objects, profile) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

/** The replays of every cluster of `diffs` whose capacity changes and whose head spec is known. */
export function replayDeltas(
  diffs: readonly ClusterDiff[],
  base: Record<string, string>,
  head: Record<string, string>,
  specs: ReadonlyMap<string, ResolvedClusterSpec>,
  profile: ProfileName = 'spike10x',
): ReplayDelta[] {
  const out: ReplayDelta[] = [];
  for (const d of diffs) {
    const spec = specs.get(d.cluster);
    if (!spec || !touchesCapacity(d)) continue;
    const baseObjects = objectsOf(base, d.cluster);
    if (baseObjects.length === 0) continue;
    out.push({ cluster: d.cluster, profile, base: side(spec, baseObjects, profile), head: side(spec, objectsOf(head, d.cluster), profile) });
  }
  return out;
}

type Row = [string, (r: ReplayResult) => string];
const ROWS: Row[] = [
  ['P99 held', (r) => (r.met ? 'yes' : `no, from minute ${r.firstBreachMinute} (${r.bottleneck})`)],
  ['max P99', (r) => `${r.maxP99Ms} ms (SLO ${r.sloMs})`],
  ['time to recover', (r) => `${r.recoverSeconds} s`],
  ['peak query nodes', (r) => String(r.peakQueryNodes)],
  ['peak nodes', (r) => String(r.peakNodes)],
  ['cost per hour', (r) => money(r.costPerHour)],
  ['cost per month', (r) => `$${Math.round(r.costPerMonth).toLocaleString('en-US')} (730 h at the replay's average)`],
];

const cellOf = (s: ReplaySide, f: Row[1]) => ('result' in s ? f(s.result) : `cannot replay: ${s.error}`);

/** Plain text. */
export function formatReplayDeltasText(deltas: readonly ReplayDelta[]): string {
  if (deltas.length === 0) return '';
  const lines: string[] = [];
  for (const d of deltas) {
    lines.push(`capacity replay of ${d.cluster} (--profile ${d.profile}), base -> head:`);
    const width = Math.max(...ROWS.map(([k]) => k.length));
    for (const [k, f] of ROWS) lines.push(`  ${k.padEnd(width)}  ${cellOf(d.base, f)} -> ${cellOf(d.head, f)}`);
    if ('result' in d.head && !d.head.result.met) lines.push(`  warning: the head breaks the SLO (${d.head.result.sloMs} ms) in this replay`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** Markdown, for the pull-request comment. */
export function formatReplayDeltasMarkdown(deltas: readonly ReplayDelta[]): string {
  if (deltas.length === 0) return '';
  const out = ['#### Capacity replay', ''];
  for (const d of deltas) {
    out.push(`**${d.cluster}** (\`gitops replay --profile ${d.profile}\`, the head's workload and SLO for both)`, '', '| | base | head |', '|---|---|---|');
    for (const [k, f] of ROWS) out.push(`| ${k} | ${cellOf(d.base, f).replace(/\|/g, '\\|')} | ${cellOf(d.head, f).replace(/\|/g, '\\|')} |`);
    if ('result' in d.head && !d.head.result.met) out.push('', `> :warning: the head breaks the SLO (${d.head.result.sloMs} ms) in this replay`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
