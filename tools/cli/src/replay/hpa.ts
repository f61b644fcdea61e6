// The HorizontalPodAutoscaler controller, as kube-controller-manager runs it (autoscaling/v2):
// one reconcile per sync period; a proposal per metric from the ratio of current to target; the
// largest proposal; stabilization windows; then the behavior policies' rate limits. Written after
// kubernetes/kubernetes pkg/controller/podautoscaler (horizontal.go: stabilizeRecommendationWithBehaviors,
// convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules,
// calculateScaleDownLimitWithBehaviors; replica_calculator.go) and the documented algorithm
// (kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/).

/** kube-controller-manager `--horizontal-pod-autoscaler-tolerance`: ratios within it of 1.0 change nothing. @default 0.1 */
export const HPA_TOLERANCE = 0.1;
/** kube-controller-manager `--horizontal-pod-autoscaler-sync-period`, seconds. @default 15 */
export const HPA_SYNC_SECONDS = 15;

/** One scaling policy of a behavior (`spec.behavior.scaleUp.policies[]`). */
export interface HpaPolicy {
  /** `Pods` adds or removes a number of pods, `Percent` a share of the replicas at the period's start. */
  type: 'Pods' | 'Percent';
  /** Pods or percent per period. */
  value: number;
  /** Length of the period the change is counted over, seconds. */
  periodSeconds: number;
}

/** One direction of `spec.behavior`. */
export interface HpaRules {
  /** Seconds of past recommendations the controller considers. @default 0 up, 300 down */
  stabilizationWindowSeconds: number;
  /** `Max` allows the largest change the policies allow, `Min` the smallest; `Disabled` none. @default 'Max' */
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  /** The policies. @default see DEFAULT_SCALE_UP / DEFAULT_SCALE_DOWN */
  policies: HpaPolicy[];
}

/** The defaults the API server fills in for a direction a given behavior leaves out (autoscaling/v2 defaults.go). */
export const DEFAULT_SCALE_UP: HpaRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
/** See DEFAULT_SCALE_UP. */
export const DEFAULT_SCALE_DOWN: HpaRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** What one metric of the HPA measured at a reconcile, and how the controller reads it. */
export type MetricSample =
  /** `Resource` with `Utilization` or `Pods` with `AverageValue`: per-pod values of the pods that report one. */
  | {
      kind: 'per-pod';
      name: string;
      /** `cpu` or `memory` for a Resource metric (values and target in percent of requests); none for a Pods metric. */
      resource?: 'cpu' | 'memory';
      target: number;
      /** Values of the pods counted as ready (for CPU) or reporting (any metric). */
      values: readonly number[];
      /** Pods set aside as unready: pending ones, and for CPU running ones not yet ready (initial readiness delay, CPU initialization period). */
      unready: number;
      /** Running pods with no value yet. */
      missing: number;
    }
  /** `External` (or `Object`) with target `Value`: one value for the whole target. */
  | { kind: 'value'; name: string; target: number; value: number; readyPods: number };

/** Whether a ratio is close enough to 1 to change nothing: `1 - tol <= ratio <= 1 + tol` (replica_calculator.go Tolerances.isWithin). */
const within = (ratio: number, tolerance: number) => 1 - tolerance <= ratio && ratio <= 1 + tolerance;

/** The replica proposal of one metric (replica_calculator.go). */
export function metricProposal(current: number, m: MetricSample, tolerance = HPA_TOLERANCE): number | undefined {
  if (m.kind === 'value') {
    const ratio = m.value / m.target;
    if (current === 0) return Math.ceil(ratio);
    if (within(ratio, tolerance)) return current;
    return Math.ceil(ratio * m.readyPods);
  }
  const values = [...m.values];
  const ready = values.length;
  const avg = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // No pod reported a value: the metric is invalid this time ("did not receive metrics for targeted pods").
  if (ready === 0) return undefined;
  const ratio = avg(values) / m.target;
  // Unready pods (pending ones; for CPU also those still initializing) are set aside; on a
  // scale-up they count as using nothing.
  const scaleUpWithUnready = m.unready > 0 && ratio > 1;
  if (!scaleUpWithUnready && m.missing === 0) {
    if (within(ratio, tolerance)) return current;
    return Math.ceil(ratio * ready);
  }
  // Missing metrics: on a scale-down they count as the target (for resources 100% of the request,
  // or the target when it is higher), on a scale-up as 0.
  if (m.missing > 0 && ratio !== 1) {
    const fill = ratio < 1 ? (m.resource ? Math.max(100, m.target) : m.target) : 0;
    for (let i = 0; i < m.missing; i++) values.push(fill);
  }
  if (scaleUpWithUnready) for (let i = 0; i < m.unready; i++) values.push(0);
  const next = avg(values) / m.target;
  if (within(next, tolerance) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return current;
  const proposal = Math.ceil(next * values.length);
  if ((next < 1 && proposal > current) || (next > 1 && proposal < current)) return current;
  return proposal;
}

/** A scale event the controller remembers for the policies' periods. */
interface ScaleEvent {
  t: number;
  change: number;
}

/** The HPA's spec, as the replay reads it from the rendered object. */
export interface HpaSpec {
  /** `spec.minReplicas`. */
  minReplicas: number;
  /** `spec.maxReplicas`. */
  maxReplicas: number;
  /**
   * `spec.behavior` with the API's defaults filled in for a direction left out, or none when the
   * object has no `behavior`: the controller then takes its legacy path (at most max(2 x current,
   * 4) up, the highest recommendation of the last `--horizontal-pod-autoscaler-downscale-stabilization`
   * down), because the API defaults a behavior only when one is given (pkg/apis/autoscaling/v2/defaults.go).
   */
  behavior?: { scaleUp: HpaRules; scaleDown: HpaRules };
}

/** kube-controller-manager `--horizontal-pod-autoscaler-downscale-stabilization`, seconds (legacy path). @default 300 */
export const HPA_DOWNSCALE_STABILIZATION_SECONDS = 300;

/** Why a reconcile did not give what the metrics asked for. */
export type HpaLimit = 'none' | 'maxReplicas' | 'minReplicas' | 'scaleUpPolicy' | 'scaleDownPolicy' | 'stabilization';

/** What one reconcile decided. */
export interface HpaDecision {
  /** Replicas written to the scale subresource. */
  replicas: number;
  /** The largest metric proposal, before stabilization and limits. */
  proposed: number;
  /** What held the decision below (or above) the proposal. */
  limitedBy: HpaLimit;
}

/** The controller's memory for one HPA: past recommendations and scale events. */
export class HpaController {
  private readonly recommendations: { t: number; replicas: number }[] = [];
  private readonly ups: ScaleEvent[] = [];
  private readonly downs: ScaleEvent[] = [];
  private seeded = false;

  constructor(
    readonly spec: HpaSpec,
    private readonly tolerance = HPA_TOLERANCE,
  ) {}

  /** One reconcile at time `t` (seconds) with `current` replicas and the metrics' samples. */
  reconcile(t: number, current: number, samples: readonly MetricSample[]): HpaDecision {
    const { minReplicas, maxReplicas } = this.spec;
    // Out of range: straight to the bound, without metrics, stabilization or rate limits.
    if (current > maxReplicas) return this.record(t, current, { replicas: maxReplicas, proposed: maxReplicas, limitedBy: 'maxReplicas' });
    if (current < minReplicas) return this.record(t, current, { replicas: minReplicas, proposed: minReplicas, limitedBy: 'minReplicas' });
    // On first sight of an HPA the controller records the current count as a recommendation.
    if (!this.seeded) {
      this.recommendations.push({ t, replicas: current });
      this.seeded = true;
    }
    // A metric without a value is invalid; with none valid, or a scale-down while one is invalid, nothing changes.
    const proposals = samples.map((s) => metricProposal(current, s, this.tolerance));
    const valid = proposals.filter((p): p is number => p !== undefined);
    if (valid.length === 0) return { replicas: current, proposed: current, limitedBy: 'none' };
    const proposed = Math.max(...valid);
    if (valid.length < proposals.length && proposed < current) return { replicas: current, proposed, limitedBy: 'none' };
    const b = this.spec.behavior;
    if (!b) return this.record(t, current, this.legacy(t, current, proposed));
    const stabilized = this.stabilize(t, current, proposed, b);
    const { replicas, limitedBy } = this.rateLimit(t, current, stabilized, b);
    const limit: HpaLimit = limitedBy !== 'none' ? limitedBy : stabilized !== proposed && replicas === stabilized ? 'stabilization' : 'none';
    return this.record(t, current, { replicas, proposed, limitedBy: limit });
  }

  private record(t: number, current: number, d: HpaDecision): HpaDecision {
    if (d.replicas > current) this.ups.push({ t, change: d.replicas - current });
    if (d.replicas < current) this.downs.push({ t, change: current - d.replicas });
    return d;
  }

  /** The path without `spec.behavior` (horizontal.go stabilizeRecommendation, convertDesiredReplicasWithRules). */
  private legacy(t: number, current: number, proposed: number): HpaDecision {
    const cutoff = t - HPA_DOWNSCALE_STABILIZATION_SECONDS;
    while (this.recommendations.length > 0 && this.recommendations[0]!.t <= cutoff) this.recommendations.shift();
    const stabilized = Math.max(proposed, ...this.recommendations.map((r) => r.replicas));
    this.recommendations.push({ t, replicas: proposed });
    const upLimit = Math.max(2 * current, 4);
    const ceiling = Math.min(this.spec.maxReplicas, upLimit);
    if (stabilized > ceiling) return { replicas: ceiling, proposed, limitedBy: ceiling === this.spec.maxReplicas ? 'maxReplicas' : 'scaleUpPolicy' };
    if (stabilized < this.spec.minReplicas) return { replicas: this.spec.minReplicas, proposed, limitedBy: 'minReplicas' };
    return { replicas: stabilized, proposed, limitedBy: stabilized !== proposed ? 'stabilization' : 'none' };
  }

  private stabilize(t: number, current: number, desired: number, b: NonNullable<HpaSpec['behavior']>): number {
    const upCutoff = t - b.scaleUp.stabilizationWindowSeconds;
    const downCutoff = t - b.scaleDown.stabilizationWindowSeconds;
    let up = desired;
    let down = desired;
    for (const r of this.recommendations) {
      if (r.t > upCutoff) up = Math.min(up, r.replicas);
      if (r.t > downCutoff) down = Math.max(down, r.replicas);
    }
    // Recommendations older than both windows are of no further use.
    const oldest = Math.min(upCutoff, downCutoff);
    while (this.recommendations.length > 0 && this.recommendations[0]!.t <= oldest) this.recommendations.shift();
    this.recommendations.push({ t, replicas: desired });
    let rec = current;
    if (rec < up) rec = up;
    if (rec > down) rec = down;
    return rec;
  }

  private changeIn(events: readonly ScaleEvent[], t: number, period: number): number {
    return events.filter((e) => e.t > t - period).reduce((n, e) => n + e.change, 0);
  }

  private rateLimit(t: number, current: number, desired: number, b: NonNullable<HpaSpec['behavior']>): { replicas: number; limitedBy: HpaLimit } {
    const { minReplicas, maxReplicas } = this.spec;
    const { scaleUp, scaleDown } = b;
    if (desired > current) {
      let limit = this.scaleUpLimit(t, current, scaleUp);
      if (limit < current) limit = current;
      const allowed = Math.min(maxReplicas, limit);
      if (desired > allowed) return { replicas: allowed, limitedBy: allowed === maxReplicas && maxReplicas <= limit ? 'maxReplicas' : 'scaleUpPolicy' };
      return { replicas: desired, limitedBy: 'none' };
    }
    if (desired < current) {
      let limit = this.scaleDownLimit(t, current, scaleDown);
      if (limit > current) limit = current;
      const allowed = Math.max(minReplicas, limit);
      if (desired < allowed) return { replicas: allowed, limitedBy: allowed === minReplicas && minReplicas >= limit ? 'minReplicas' : 'scaleDownPolicy' };
      return { replicas: desired, limitedBy: 'none' };
    }
    return { replicas: desired, limitedBy: 'none' };
  }

  private scaleUpLimit(t: number, current: number, rules: HpaRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
    for (const p of rules.policies) {
      const start = current - this.changeIn(this.ups, t, p.periodSeconds) + this.changeIn(this.downs, t, p.periodSeconds);
      const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      result = rules.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  private scaleDownLimit(t: number, current: number, rules: HpaRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
    for (const p of rules.policies) {
      const start = current - this.changeIn(this.ups, t, p.periodSeconds) + this.changeIn(this.downs, t, p.periodSeconds);
      const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      result = rules.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

function rulesOf(given: unknown, defaults: HpaRules): HpaRules {
  const g = obj(given);
  const policies = Array.isArray(g.policies)
    ? g.policies.map((p) => {
        const o = obj(p);
        return { type: o.type === 'Percent' ? 'Percent' : 'Pods', value: Number(o.value), periodSeconds: Number(o.periodSeconds) } as HpaPolicy;
      })
    : defaults.policies;
  return {
    stabilizationWindowSeconds: typeof g.stabilizationWindowSeconds === 'number' ? g.stabilizationWindowSeconds : defaults.stabilizationWindowSeconds,
    selectPolicy: g.selectPolicy === 'Min' || g.selectPolicy === 'Disabled' ? g.selectPolicy : 'Max',
    policies,
  };
}

/** The HPA spec of a rendered HorizontalPodAutoscaler object, with the API's defaults. */
export function hpaSpecOf(hpa: unknown): HpaSpec {
  const spec = obj(obj(hpa).spec);
  const out: HpaSpec = { minReplicas: typeof spec.minReplicas === 'number' ? spec.minReplicas : 1, maxReplicas: Number(spec.maxReplicas) };
  if (spec.behavior !== undefined && spec.behavior !== null) {
    const behavior = obj(spec.behavior);
    out.behavior = { scaleUp: rulesOf(behavior.scaleUp, DEFAULT_SCALE_UP), scaleDown: rulesOf(behavior.scaleDown, DEFAULT_SCALE_DOWN) };
  }
  return out;
}
