// How long the etcd snapshots kept in S3 reach back, which the GC tolerance of Milvus and the
// bucket's noncurrent-version retention must cover (see checkRetention in rules.ts).

import type { ResolvedClusterSpec } from './types.js';

/**
 * Seconds between runs of a fixed-interval cron schedule (`M * * * *` hourly, `*\/N * * * *`,
 * `M *\/N * * *`, `M H * * *` daily, `M H *\/N * *`), or undefined for any other schedule.
 */
export function cronIntervalSeconds(schedule: string): number | undefined {
  const f = schedule.trim().split(/\s+/);
  if (f.length !== 5 || f[3] !== '*' || f[4] !== '*') return undefined;
  const [min, hour, day] = f as [string, string, string];
  const every = (x: string) => /^\*\/([1-9][0-9]*)$/.exec(x)?.[1];
  const fixed = (x: string) => /^[0-9]+$/.test(x);
  if (every(min) && hour === '*' && day === '*') return Number(every(min)) * 60;
  if (fixed(min) && hour === '*' && day === '*') return 3600;
  if (fixed(min) && every(hour) && day === '*') return Number(every(hour)) * 3600;
  if (fixed(min) && fixed(hour) && day === '*') return 86400;
  if (fixed(min) && fixed(hour) && every(day)) return Number(every(day)) * 86400;
  return undefined;
}

/** Seconds the kept etcd snapshots reach back (retained snapshots times the schedule's interval). */
export function snapshotWindowSeconds(spec: ResolvedClusterSpec): number | undefined {
  const interval = cronIntervalSeconds(spec.milvus.etcd.snapshotSchedule);
  return interval === undefined ? undefined : interval * spec.milvus.etcd.snapshotsRetained;
}
