// The HPA controller of the replay, pinned to the algorithm and worked examples of the Kubernetes
// documentation (concepts/workloads/autoscaling/horizontal-pod-autoscale.md) and to the rate-limit
// arithmetic of pkg/controller/podautoscaler/horizontal.go.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP, HpaController, hpaSpecOf, metricProposal, type HpaRules, type MetricSample } from '../../src/replay/hpa.js';

const perPod = (values: number[], target: number, extra: Partial<Extract<MetricSample, { kind: 'per-pod' }>> = {}): MetricSample => ({
  kind: 'per-pod',
  name: 'm',
  target,
  values,
  unready: 0,
  missing: 0,
  ...extra,
});

describe('replica proposal of one metric', () => {
  it('doubles the replicas when the metric is twice the target (200m against 100m)', () => {
    expect(metricProposal(4, perPod([200, 200, 200, 200], 100))).toBe(8);
  });

  it('halves them when it is half (50m against 100m)', () => {
    expect(metricProposal(4, perPod([50, 50, 50, 50], 100))).toBe(2);
  });

  it('changes nothing within the 0.1 tolerance, bounds included', () => {
    expect(metricProposal(10, perPod(Array(10).fill(110), 100))).toBe(10);
    expect(metricProposal(10, perPod(Array(10).fill(90), 100))).toBe(10);
    expect(metricProposal(10, perPod(Array(10).fill(112), 100))).toBe(12);
  });

  it('counts unready pods as using nothing on a scale-up, and gives up when that flips the direction', () => {
    // 2 ready pods at 200% of a 100 target, 2 unready: (200+200+0+0)/4 = 100 -> within tolerance.
    expect(metricProposal(4, perPod([200, 200], 100, { resource: 'cpu', unready: 2 }))).toBe(4);
    // 2 ready at 300%: (300+300+0+0)/4 = 150 -> ceil(1.5 * 4) = 6.
    expect(metricProposal(4, perPod([300, 300], 100, { resource: 'cpu', unready: 2 }))).toBe(6);
  });

  it('counts missing pods at 100% of the request on a scale-down and at 0 on a scale-up', () => {
    // Two pods at 20% of a 50% target, two without metrics counted at 100%: 60/50 = 1.2 -> direction flips, keep 4.
    expect(metricProposal(4, perPod([20, 20], 50, { resource: 'memory', missing: 2 }))).toBe(4);
    // Two at 200 of a 100 target, two missing at 0: 100/100 -> within tolerance, keep 4.
    expect(metricProposal(4, perPod([200, 200], 100, { missing: 2 }))).toBe(4);
  });

  it('proposes ceil(ratio x ready pods) for an External Value target', () => {
    expect(metricProposal(4, { kind: 'value', name: 'p99', target: 150, value: 300, readyPods: 3 })).toBe(6);
    expect(metricProposal(4, { kind: 'value', name: 'p99', target: 150, value: 160, readyPods: 4 })).toBe(4);
  });
});

const spec = (scaleUp: HpaRules, scaleDown: HpaRules, minReplicas = 1, maxReplicas = 100) => ({ minReplicas, maxReplicas, behavior: { scaleUp, scaleDown } });
const want = (replicas: number): MetricSample => ({ kind: 'value', name: 'x', target: 1, value: replicas, readyPods: 1 });

describe('behavior: policies, selectPolicy, stabilization', () => {
  it('scales up by the larger of 4 pods and 100% every 15 s by default', () => {
    expect(new HpaController(spec(DEFAULT_SCALE_UP, DEFAULT_SCALE_DOWN)).reconcile(0, 3, [want(50)]).replicas).toBe(7);
    expect(new HpaController(spec(DEFAULT_SCALE_UP, DEFAULT_SCALE_DOWN)).reconcile(0, 10, [want(50)]).replicas).toBe(20);
  });

  it('counts what it added within a period: no second step before the period has passed', () => {
    const up: HpaRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] };
    const hpa = new HpaController(spec(up, DEFAULT_SCALE_DOWN));
    expect(hpa.reconcile(0, 2, [want(10)])).toMatchObject({ replicas: 3, limitedBy: 'scaleUpPolicy' });
    expect(hpa.reconcile(15, 3, [want(10)]).replicas).toBe(3);
    expect(hpa.reconcile(285, 3, [want(10)]).replicas).toBe(3);
    expect(hpa.reconcile(300, 3, [want(10)]).replicas).toBe(4);
  });

  it('removes 8 of 80 replicas under "Percent 10 or Pods 4 per minute" (Max), then 4 at a time below 40', () => {
    const down: HpaRules = {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 60 },
        { type: 'Percent', value: 10, periodSeconds: 60 },
      ],
    };
    const hpa = new HpaController(spec(DEFAULT_SCALE_UP, down));
    expect(hpa.reconcile(0, 80, [want(10)]).replicas).toBe(72);
    // The removal counts for 60 s: no further step inside the period.
    expect(hpa.reconcile(15, 72, [want(10)]).replicas).toBe(72);
    // Next period at 72: 10% is 7.2, the limit is int(72 * 0.9) = 64, so 8 go again.
    expect(hpa.reconcile(60, 72, [want(10)]).replicas).toBe(64);
    const low = new HpaController(spec(DEFAULT_SCALE_UP, down));
    expect(low.reconcile(0, 30, [want(10)]).replicas).toBe(26);
  });

  it('removes at most 5 a minute under "Percent 10 and Pods 5" with selectPolicy Min', () => {
    const down: HpaRules = {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Min',
      policies: [
        { type: 'Percent', value: 10, periodSeconds: 60 },
        { type: 'Pods', value: 5, periodSeconds: 60 },
      ],
    };
    expect(new HpaController(spec(DEFAULT_SCALE_UP, down)).reconcile(0, 80, [want(10)]).replicas).toBe(75);
  });

  it('does not scale in a Disabled direction', () => {
    const down: HpaRules = { ...DEFAULT_SCALE_DOWN, stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' };
    expect(new HpaController(spec(DEFAULT_SCALE_UP, down)).reconcile(0, 10, [want(2)]).replicas).toBe(10);
  });

  it('keeps the highest recommendation of the 300 s scale-down window', () => {
    const hpa = new HpaController(spec(DEFAULT_SCALE_UP, DEFAULT_SCALE_DOWN));
    expect(hpa.reconcile(0, 10, [want(10)]).replicas).toBe(10);
    for (let t = 15; t < 300; t += 15) expect(hpa.reconcile(t, 10, [want(4)]).replicas).toBe(10);
    // The recommendation of 10 at t=0 has left the window.
    expect(hpa.reconcile(300, 10, [want(4)]).replicas).toBe(4);
  });

  it('clamps to maxReplicas and says so', () => {
    expect(new HpaController(spec(DEFAULT_SCALE_UP, DEFAULT_SCALE_DOWN, 2, 4)).reconcile(0, 4, [want(9)])).toMatchObject({
      replicas: 4,
      limitedBy: 'maxReplicas',
    });
  });
});

describe('the controller around the behavior', () => {
  it('goes straight to the bound when the current count is out of range', () => {
    expect(new HpaController(spec(DEFAULT_SCALE_UP, DEFAULT_SCALE_DOWN, 2, 20)).reconcile(0, 30, [want(1)])).toMatchObject({
      replicas: 20,
      limitedBy: 'maxReplicas',
    });
    expect(new HpaController(spec(DEFAULT_SCALE_UP, DEFAULT_SCALE_DOWN, 6, 20)).reconcile(0, 1, [want(1)])).toMatchObject({
      replicas: 6,
      limitedBy: 'minReplicas',
    });
  });

  it('changes nothing when no metric has a value, and will not scale down while one is missing', () => {
    const hpa = new HpaController(spec(DEFAULT_SCALE_UP, { ...DEFAULT_SCALE_DOWN, stabilizationWindowSeconds: 0 }));
    const empty = perPod([], 50);
    expect(metricProposal(5, empty)).toBeUndefined();
    expect(hpa.reconcile(0, 5, [empty]).replicas).toBe(5);
    expect(hpa.reconcile(15, 5, [empty, want(2)]).replicas).toBe(5);
    expect(hpa.reconcile(30, 5, [empty, want(9)]).replicas).toBe(9);
  });

  it('fills missing pods only when the ratio is off 1', () => {
    // Five pods at exactly the target and five without metrics: nothing to fill, ratio 1 -> keep 10.
    expect(metricProposal(10, perPod([8, 8, 8, 8, 8], 8, { missing: 5 }))).toBe(10);
  });

  it('takes the legacy path without a behavior: at most max(2 x current, 4) up, the 5-minute maximum down', () => {
    const legacy = new HpaController({ minReplicas: 1, maxReplicas: 100 });
    expect(legacy.reconcile(0, 1, [want(50)]).replicas).toBe(4);
    expect(new HpaController({ minReplicas: 1, maxReplicas: 100 }).reconcile(0, 10, [want(50)]).replicas).toBe(20);
    const down = new HpaController({ minReplicas: 1, maxReplicas: 100 });
    expect(down.reconcile(0, 10, [want(10)]).replicas).toBe(10);
    expect(down.reconcile(150, 10, [want(3)]).replicas).toBe(10);
    expect(down.reconcile(300, 10, [want(3)]).replicas).toBe(3);
  });
});

describe('hpaSpecOf', () => {
  it('keeps a missing behavior missing (the legacy path) and defaults minReplicas to 1', () => {
    expect(hpaSpecOf({ spec: { maxReplicas: 5 } })).toEqual({ minReplicas: 1, maxReplicas: 5 });
  });

  it('reads the rendered behavior and fills the direction it leaves out', () => {
    const s = hpaSpecOf({
      spec: {
        minReplicas: 2,
        maxReplicas: 20,
        behavior: { scaleUp: { selectPolicy: 'Min', stabilizationWindowSeconds: 30, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
      },
    });
    expect(s.behavior!.scaleUp).toEqual({ selectPolicy: 'Min', stabilizationWindowSeconds: 30, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] });
    expect(s.behavior!.scaleDown).toEqual(DEFAULT_SCALE_DOWN);
  });
});
