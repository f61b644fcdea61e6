import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { adapterRule, AutoscalingControllers, declaredMetrics, RoleScaler, scalingPlan } from '../src/index.js';

type Obj = Record<string, any>;

function spec(over: Partial<ClusterSpec> = {}, milvus: ClusterSpec['milvus'] = { version: '2.6.15', queryNode: { minReplicas: 2, maxReplicas: 20 } }): ClusterSpec {
  return {
    name: 'prod-us-east-1',
    environment: 'prod',
    aws: { accountId: '111122223333', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
    kubernetes: { version: '1.33' },
    milvus,
    nodes: { provisioner: 'karpenter' },
    gitops: { repositoryUrl: 'https://github.com/acme/gitops.git' },
    ...over,
  };
}
const SPEC_25: ClusterSpec['milvus'] = { version: '2.5.26', messageQueue: { type: 'kafka', brokers: ['b:9092'] }, indexNode: { minReplicas: 1, maxReplicas: 6 } };

function scalers(s: ClusterSpec): Obj[] {
  const r = resolveClusterSpec(s);
  const chart = new Chart(Testing.app(), 't');
  for (const scaling of scalingPlan(r)) new RoleScaler(chart, scaling.role, { spec: r, scaling });
  return Testing.synth(chart) as Obj[];
}
const byName = (objs: Obj[], name: string) => objs.find((o) => o.metadata.name === name)!;

describe('query-node HPA', () => {
  const hpa = byName(scalers(spec({ autoscaling: { queryNode: { cpuUtilization: 65, queueDepthPerPod: 10, p99LatencyMs: 120 } } })), 'milvus-querynode');

  it('targets the query-node Deployment between the spec bounds', () => {
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'milvus-querynode' });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 20]);
  });

  it('scales on CPU, memory, queue depth per pod and P99 latency with the spec targets', () => {
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } },
      { type: 'Pods', pods: { metric: { name: 'milvus_querynode_read_task_ready_len' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'External', external: { metric: { name: 'milvus_search_latency_p99_ms' }, target: { type: 'Value', value: '120' } } },
    ]);
  });

  it('scales up at once by the larger of doubling or four pods per 15 s', () => {
    expect(hpa.spec.behavior.scaleUp).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 15 },
        { type: 'Pods', value: 4, periodSeconds: 15 },
      ],
    });
  });

  it('scales down after 300 s of calm by 10% or one pod per minute', () => {
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
    expect(hpa.spec.behavior.scaleDown.policies).toEqual([
      { type: 'Percent', value: 10, periodSeconds: 60 },
      { type: 'Pods', value: 1, periodSeconds: 60 },
    ]);
  });
});

describe('index building', () => {
  it('scales 2.5 index nodes on pending index tasks per replica', () => {
    const hpa = byName(scalers(spec({ autoscaling: { indexBuild: { pendingTasksPerReplica: 3 } } }, SPEC_25)), 'milvus-indexnode');
    expect(hpa.kind).toBe('HorizontalPodAutoscaler');
    expect(hpa.spec.metrics[0]).toEqual({
      type: 'External',
      external: { metric: { name: 'milvus_index_tasks_pending' }, target: { type: 'AverageValue', averageValue: '3' } },
    });
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
  });

  it('drives 2.6 data nodes, which build the indexes there, with the same signal', () => {
    const hpa = byName(scalers(spec()), 'milvus-datanode');
    expect(hpa.spec.metrics[0].external.metric.name).toBe('milvus_index_tasks_pending');
  });

  it('renders a KEDA ScaledObject from zero instead of an HPA when the spec asks for scale to zero', () => {
    const objs = scalers(spec({ autoscaling: { indexBuild: { scaleToZero: true, pendingTasksPerReplica: 4 } } }, SPEC_25));
    const so = byName(objs, 'milvus-indexnode');
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.kind).toBe('ScaledObject');
    expect(so.spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 6, scaleTargetRef: { kind: 'Deployment', name: 'milvus-indexnode' } });
    expect(so.spec.triggers[0].metadata).toEqual({
      serverAddress: 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
      query: 'sum(milvus_datacoord_index_task_count{namespace="milvus",index_task_status=~"unissued|in-progress"})',
      threshold: '4',
      activationThreshold: '0',
    });
    expect(objs.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).not.toContain('milvus-indexnode');
  });
});

describe('prometheus-adapter', () => {
  function adapterValues(s: ClusterSpec): Obj {
    const r = resolveClusterSpec(s);
    const chart = new Chart(Testing.app(), 't');
    const plan = scalingPlan(r);
    new AutoscalingControllers(chart, 'c', { spec: r, metrics: declaredMetrics(plan), keda: false });
    return (Testing.synth(chart) as Obj[]).find((o) => o.kind === 'HelmRelease')!;
  }

  it('is a pinned Flux HelmRelease pointed at the cluster Prometheus', () => {
    const hr = adapterValues(spec());
    expect(hr.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'prometheus-adapter', version: expect.stringMatching(/^[0-9]+\.[0-9]+\.[0-9]+$/) });
    expect(hr.spec.values.prometheus).toEqual({ url: 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local', port: 9090, path: '' });
  });

  it('serves exactly the custom and external metrics the HPAs name, one rule each', () => {
    for (const s of [spec(), spec({}, SPEC_25)]) {
      const hpas = scalers(s).filter((o) => o.kind === 'HorizontalPodAutoscaler');
      const named = (type: string) =>
        new Set(hpas.flatMap((h) => h.spec.metrics.filter((m: Obj) => m.type === type).map((m: Obj) => m[type.toLowerCase()].metric.name)));
      const rules = adapterValues(s).spec.values.rules;
      expect(rules.default).toBe(false);
      expect(new Set(rules.custom.map((r: Obj) => r.name.as))).toEqual(named('Pods'));
      expect(new Set(rules.external.map((r: Obj) => r.name.as))).toEqual(named('External'));
    }
  });

  it('builds each rule so the series it discovers is renamed to the metric the HPA asks for', () => {
    const rule = adapterRule(declaredMetrics(scalingPlan(resolveClusterSpec(spec()))).find((m) => m.type === 'Pods')!);
    const discovered = rule.seriesQuery.split('{')[0]!;
    expect(new RegExp(rule.name.matches).test(discovered)).toBe(true);
    expect(rule.resources.overrides).toEqual({ namespace: { resource: 'namespace' }, pod: { resource: 'pod' } });
    expect(rule.metricsQuery).toContain('<<.Series>>');
  });
});

describe('scalingPlan', () => {
  it('autoscales proxies, query, data and index nodes but never coordinators or streaming nodes', () => {
    expect(scalingPlan(resolveClusterSpec(spec())).map((s) => s.role).sort()).toEqual(['datanode', 'proxy', 'querynode']);
    expect(scalingPlan(resolveClusterSpec(spec({}, SPEC_25))).map((s) => s.role).sort()).toEqual(['datanode', 'indexnode', 'proxy', 'querynode']);
  });
});
