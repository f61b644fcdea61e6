// Traffic profiles of `gitops replay`: search load over time as a multiple of the spec's baseline
// QPS, with the events (a zone lost, a query node restarted) some of them inject.

/** A profile's name, as `--profile` takes it. */
export type ProfileName = 'spike10x' | 'diurnal' | 'ramp' | 'az-loss' | 'querynode-restart';

/** Profiles in the order the CLI lists them. */
export const PROFILES: readonly ProfileName[] = ['spike10x', 'diurnal', 'ramp', 'az-loss', 'querynode-restart'];

/** One profile: load multiple per second, and events. */
export interface Profile {
  /** The name. */
  name: ProfileName;
  /** What it replays, for the report. */
  description: string;
  /** Seconds replayed. */
  durationSeconds: number;
  /** Multiple of the baseline QPS at second t. */
  multiplier(t: number): number;
  /** Second at which one zone's nodes are lost (az-loss). */
  zoneLossAt?: number;
  /** Second at which one query-node pod is deleted and replaced (querynode-restart). */
  queryNodeRestartAt?: number;
  /** Wall-clock time of second 0, seconds since a Monday 00:00 UTC (Karpenter budget schedules are in UTC). */
  startClock: number;
}

const TUESDAY = 86400;

const MINUTE = 60;
const linear = (t: number, t0: number, t1: number, a: number, b: number) => a + ((b - a) * Math.min(Math.max(t - t0, 0), t1 - t0)) / (t1 - t0);

/**
 * The profiles. The spike is the case this repository is built for: 10x the baseline within two
 * minutes, held for twenty, then back; the ramp takes an hour to reach 10x; the diurnal day runs
 * from 1x at night to 3x at the afternoon peak.
 */
export function profile(name: ProfileName, spikeRampSeconds = 600): Profile {
  switch (name) {
    case 'spike10x': {
      const up = 5 * MINUTE + spikeRampSeconds;
      return {
        name,
        description: `1x for 5 min, 10x within ${spikeRampSeconds / 60} min, held 20 min, back to 1x within 10 min, 15 min after`,
        durationSeconds: up + 45 * MINUTE,
        multiplier: (t) =>
          t < 5 * MINUTE ? 1 : t < up + 20 * MINUTE ? linear(t, 5 * MINUTE, up, 1, 10) : linear(t, up + 20 * MINUTE, up + 30 * MINUTE, 10, 1),
        startClock: TUESDAY + 10 * 3600,
      };
    }
    case 'ramp':
      return {
        name,
        description: '1x to 10x over 60 min, held 15 min',
        durationSeconds: 80 * MINUTE,
        multiplier: (t) => linear(t, 5 * MINUTE, 65 * MINUTE, 1, 10),
        startClock: TUESDAY + 8 * 3600,
      };
    case 'diurnal':
      return {
        name,
        description: 'one day: 1x at 03:00, 3x at 15:00 (cosine)',
        durationSeconds: 24 * 60 * MINUTE,
        multiplier: (t) => 2 - Math.cos((2 * Math.PI * (t - 3 * 3600)) / 86400),
        startClock: TUESDAY,
      };
    case 'az-loss':
      return {
        name,
        description: '3x steady; at minute 10 every query node of one zone becomes unreachable',
        durationSeconds: 40 * MINUTE,
        multiplier: () => 3,
        zoneLossAt: 10 * MINUTE,
        startClock: TUESDAY + 14 * 3600,
      };
    case 'querynode-restart':
      return {
        name,
        description: '1x steady; at minute 5 one query-node pod is deleted and replaced',
        durationSeconds: 20 * MINUTE,
        multiplier: () => 1,
        queryNodeRestartAt: 5 * MINUTE,
        startClock: TUESDAY + 11 * 3600,
      };
  }
}
