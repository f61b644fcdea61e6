// How a replay is shown: a text summary, JSON, and an SVG chart of load, query nodes, nodes and
// P99 over time (plain SVG 1.1, no script, so any browser and a pull-request page show it).

import type { ReplayResult, TimelinePoint } from './simulate.js';

/** USD with cents, as every replay report prints it. */
export const money = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const dollars = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;
const mmss = (t: number) => `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;

/** The text summary. */
export function formatReplayText(r: ReplayResult): string {
  const lines = [`replay ${r.cluster} --profile ${r.profile}: ${r.met ? 'P99 held' : 'SLO broken'} (max P99 ${r.maxP99Ms} ms, SLO ${r.sloMs} ms)`];
  if (!r.met) {
    const recovery = r.recovered ? `back under it for good ${r.recoverSeconds} s after the first breach` : 'not back under it when the replay ended';
    lines.push(`  over the SLO from minute ${r.firstBreachMinute} for ${r.breachSeconds} s (${recovery}); bottleneck: ${r.bottleneck}`);
    const by = Object.entries(r.bottleneckSeconds)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v} s`)
      .join(', ');
    lines.push(`  seconds over the SLO by cause: ${by}`);
  }
  if (r.restartToServingSeconds !== undefined) lines.push(`  restart to serving: ${r.restartToServingSeconds} s`);
  lines.push(`  peak: ${r.peakQueryNodes} query nodes, ${r.peakNodes} nodes; the data alone needs ${r.dataQueryNodes} query node(s)`);
  lines.push(
    `  workload: ${r.workload.segments} segments, ${r.workload.memoryGiB} GiB in query-node memory, ${r.workload.s3GiB} GiB in S3, ${r.workload.loadGiBPerQueryNode} GiB to load per query node, ` +
      `${r.workload.searchCoreMs} core-ms a search (${r.workload.measured ? 'measured' : 'estimated'})`,
  );
  lines.push(
    `  cost: ${money(r.costPerHour)}/h on average over the replay (${dollars(r.costPerMonth)} for a 730-hour month at that rate); query nodes' vCPU idle ${(r.queryPoolIdleCpu * 100).toFixed(1)}%`,
  );
  for (const p of r.costByPool) lines.push(`    ${p.pool}: ${money(p.averagePerHour)}/h (${p.instanceTypes.join(', ')})`);
  const c = r.costBreakdown;
  lines.push(`    transfer between zones: ${money(c.crossZoneTransferPerHour)}/h (${c.crossZoneGBPerHour} GB/h of search requests and results)`);
  lines.push(`    S3 requests: $${c.s3RequestsPerHour.toFixed(4)}/h (segment loads, inserts)`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  for (const s of r.priceSources) lines.push(`  prices: ${s}`);
  return `${lines.join('\n')}\n`;
}

/** JSON: the result as it is (timeline included); a parameter that never ends (an infinite toleration) is the string "Infinity". */
export function formatReplayJson(r: ReplayResult): string {
  return `${JSON.stringify(r, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v), 2)}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An SVG chart: load (QPS), query nodes and nodes on a shared count axis, P99 against the SLO. */
export function formatReplaySvg(r: ReplayResult): string {
  const W = 960;
  const H = 540;
  const left = 70;
  const right = 70;
  const panel = [
    { top: 50, height: 200 },
    { top: 300, height: 190 },
  ];
  const tl = r.timeline;
  const end = Math.max(1, tl[tl.length - 1]?.t ?? 1);
  // At most ~900 buckets; each keeps its first, lowest and highest point so that short spikes stay visible.
  const step = Math.max(1, Math.ceil(tl.length / 900));
  const bucket = (f: (p: TimelinePoint) => number) => {
    const out: { t: number; v: number }[] = [];
    for (let i = 0; i < tl.length; i += step) {
      const slice = tl.slice(i, i + step);
      const lo = slice.reduce((a, b) => (f(b) < f(a) ? b : a));
      const hi = slice.reduce((a, b) => (f(b) > f(a) ? b : a));
      for (const q of [...new Set([slice[0]!, lo, hi])].sort((a, b) => a.t - b.t)) out.push({ t: q.t, v: f(q) });
    }
    return out;
  };
  const x = (t: number) => left + ((W - left - right) * t) / end;
  const maxQps = Math.max(1, ...tl.map((p) => p.qps));
  const maxCount = Math.max(1, ...tl.map((p) => Math.max(p.queryNodes, p.nodes)));
  const maxP99 = Math.max(...tl.map((p) => p.p99Ms));
  const p99Top = Math.max(r.sloMs * 1.5, Math.min(maxP99, r.sloMs * 5));
  const path = (f: (p: TimelinePoint) => number, y: (v: number) => number) =>
    bucket(f)
      .map((q, i) => `${i === 0 ? 'M' : 'L'}${x(q.t).toFixed(1)},${y(q.v).toFixed(1)}`)
      .join(' ');
  const yQps = (v: number) => panel[0]!.top + panel[0]!.height * (1 - v / maxQps);
  const yCount = (v: number) => panel[0]!.top + panel[0]!.height * (1 - v / maxCount);
  const yP99 = (v: number) => panel[1]!.top + panel[1]!.height * (1 - Math.min(v, p99Top) / p99Top);
  const ticks = [];
  const every = end > 7200 ? 3600 : end > 1800 ? 600 : 300;
  for (let t = 0; t <= end; t += every) {
    ticks.push(
      `<line x1="${x(t).toFixed(1)}" y1="${panel[1]!.top + panel[1]!.height}" x2="${x(t).toFixed(1)}" y2="${panel[1]!.top + panel[1]!.height + 5}" stroke="#444"/>`,
    );
    ticks.push(
      `<text x="${x(t).toFixed(1)}" y="${panel[1]!.top + panel[1]!.height + 20}" text-anchor="middle">${every >= 3600 ? `${t / 3600}h` : `${t / 60}m`}</text>`,
    );
  }
  // One shaded band per run of consecutive seconds over the SLO.
  const breach: string[] = [];
  for (let i = 0; i < tl.length; i++) {
    if (tl[i]!.p99Ms <= r.sloMs) continue;
    let j = i;
    while (j + 1 < tl.length && tl[j + 1]!.p99Ms > r.sloMs) j++;
    breach.push(
      `<rect x="${x(tl[i]!.t).toFixed(1)}" y="${panel[1]!.top}" width="${Math.max(1, x(tl[j]!.t + 1) - x(tl[i]!.t)).toFixed(1)}" height="${panel[1]!.height}" fill="#f4c7c3"/>`,
    );
    i = j;
  }
  const clipped = maxP99 > p99Top ? `<text x="${W - right + 4}" y="${panel[1]!.top + 10}" fill="#d62728">max ${Math.round(maxP99)}</text>` : '';
  const title = `${r.cluster} — ${r.profile}: ${r.met ? 'P99 held' : `SLO broken from minute ${r.firstBreachMinute} (${r.bottleneck})`}, max P99 ${r.maxP99Ms} ms, ${money(r.costPerHour)}/h`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<title>${esc(title)}</title>
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${left}" y="24" font-size="13" font-weight="bold">${esc(title)}</text>
<rect x="${left}" y="${panel[0]!.top}" width="${W - left - right}" height="${panel[0]!.height}" fill="none" stroke="#ccc"/>
<rect x="${left}" y="${panel[1]!.top}" width="${W - left - right}" height="${panel[1]!.height}" fill="none" stroke="#ccc"/>
${breach.join('\n')}
<path d="${path((p) => p.qps, yQps)}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>
<path d="${path((p) => p.queryNodes, yCount)}" fill="none" stroke="#2ca02c" stroke-width="1.5"/>
<path d="${path((p) => p.servingQueryNodes, yCount)}" fill="none" stroke="#2ca02c" stroke-width="1" stroke-dasharray="4 3"/>
<path d="${path((p) => p.nodes, yCount)}" fill="none" stroke="#9467bd" stroke-width="1.5"/>
<path d="${path((p) => p.p99Ms, yP99)}" fill="none" stroke="#d62728" stroke-width="1.5"/>
<line x1="${left}" y1="${yP99(r.sloMs).toFixed(1)}" x2="${W - right}" y2="${yP99(r.sloMs).toFixed(1)}" stroke="#d62728" stroke-dasharray="6 4"/>
<text x="${W - right + 4}" y="${(yP99(r.sloMs) + 4).toFixed(1)}" fill="#d62728">SLO ${r.sloMs}</text>
<text x="${left - 6}" y="${panel[0]!.top + 10}" text-anchor="end" fill="#1f77b4">${Math.round(maxQps)}</text>
<text x="${left - 6}" y="${panel[0]!.top + 24}" text-anchor="end" fill="#1f77b4">QPS</text>
<text x="${W - right + 6}" y="${panel[0]!.top + 10}" fill="#9467bd">${maxCount}</text>
<text x="${W - right + 6}" y="${panel[0]!.top + 24}" fill="#9467bd">count</text>
<text x="${left - 6}" y="${panel[1]!.top + 10}" text-anchor="end" fill="#d62728">${Math.round(p99Top)}</text>
<text x="${left - 6}" y="${panel[1]!.top + 24}" text-anchor="end" fill="#d62728">P99 ms</text>
${clipped}
${ticks.join('\n')}
<g transform="translate(${left},${H - 18})">
<text x="0" y="0" fill="#1f77b4">— QPS</text>
<text x="70" y="0" fill="#2ca02c">— query-node pods (dashed: serving)</text>
<text x="300" y="0" fill="#9467bd">— nodes</text>
<text x="370" y="0" fill="#d62728">— P99 (shaded: over the SLO)</text>
<text x="600" y="0" fill="#444">${esc(mmss(end))} replayed</text>
</g>
</svg>
`;
}
