import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { clusterNames, resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec, type DeepPartial } from '@milvus-gitops/spec/testing';
import { adapterRule, AutoscalingControllers, declaredMetrics, RoleScaler, SEARCH_P99_LATENCY_MS } from '@milvus-gitops/autoscaling';
import { autoscalingControllersProps, roleScaling, usesKeda } from '../src/autoscaling.js';
import { MilvusCluster } from '@milvus-gitops/milvus';
import { milvusClusterProps } from '../src/milvus.js';

type Obj = Record<string, any>;

const spec = (
  over: DeepPartial<ClusterSpec> = {},
  milvus: ClusterSpec['milvus'] = { version: '2.6.15', queryNode: { minReplicas: 2, maxReplicas: 20 } },
): ClusterSpec => testClusterSpec({ milvus, ...over });
const SPEC_25: ClusterSpec['milvus'] = {
  version: '2.5.26',
  messageQueue: { type: 'kafka', brokers: ['b:9092'] },
  indexNode: { minReplicas: 1, maxReplicas: 6 },
};

/** The scalers of a cluster, built against its Milvus workloads (in a chart of their own). */
function scalers(s: ClusterSpec): Obj[] {
  const r = resolveClusterSpec(s);
  const app = Testing.app();
  const milvus = new MilvusCluster(new Chart(app, 'm'), 'Milvus', milvusClusterProps(r));
  const chart = new Chart(app, 't');
  for (const [role, scaling] of roleScaling(r)) new RoleScaler(chart, role, { target: milvus.roles.get(role)!, ...scaling });
  return Testing.synth(chart) as Obj[];
}
/** Where a cluster's controllers go: its name, Prometheus and the monitoring namespace. */
const where = (r: ReturnType<typeof resolveClusterSpec>) => ({
  instance: r.name,
  prometheusUrl: clusterNames(r).prometheusUrl,
  monitoringNamespace: clusterNames(r).namespaces.monitoring,
});
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
      query:
        'sum(milvus_datacoord_task_count{namespace="milvus",task_type=~"JobTypeIndexJob|JobTypeStatsJob",task_state=~"JobStateInit|JobStateInProgress|JobStateRetry"})',
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
    new AutoscalingControllers(chart, 'c', autoscalingControllersProps(r));
    return (Testing.synth(chart) as Obj[]).find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'prometheus-adapter')!;
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
    const rule = adapterRule(declaredMetrics(roleScaling(resolveClusterSpec(spec())).values()).find((m) => m.type === 'Pods')!);
    const discovered = rule.seriesQuery.split('{')[0]!;
    expect(new RegExp(rule.name.matches).test(discovered)).toBe(true);
    expect(rule.resources.overrides).toEqual({ namespace: { resource: 'namespace' }, pod: { resource: 'pod' } });
    expect(rule.metricsQuery).toContain('<<.Series>>');
  });
});

describe('roleScaling', () => {
  it('autoscales proxies, query, data and index nodes but never coordinators or streaming nodes', () => {
    expect([...roleScaling(resolveClusterSpec(spec())).keys()].sort()).toEqual(['datanode', 'proxy', 'querynode']);
    expect([...roleScaling(resolveClusterSpec(spec({}, SPEC_25))).keys()].sort()).toEqual(['datanode', 'indexnode', 'proxy', 'querynode']);
  });
});

describe('metrics-server', () => {
  const objs = (s: ClusterSpec) => {
    const r = resolveClusterSpec(s);
    const chart = new Chart(Testing.app(), 't');
    new AutoscalingControllers(chart, 'c', autoscalingControllersProps(r));
    return Testing.synth(chart) as Obj[];
  };

  it('serves metrics.k8s.io for the HPAs CPU and memory signals: pinned chart 3.13.1 (app 0.8.1) on system nodes', () => {
    const all = objs(spec());
    const hr = all.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'metrics-server')!;
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'metrics-server', version: '3.13.1', sourceRef: { kind: 'HelmRepository', name: 'metrics-server' } });
    expect(hr.spec.targetNamespace).toBe('kube-system');
    expect(all.find((o) => o.kind === 'HelmRepository' && o.metadata.name === 'metrics-server')!.spec.url).toBe(
      'https://kubernetes-sigs.github.io/metrics-server/',
    );
    expect(hr.spec.values.image).toEqual({ repository: 'registry.k8s.io/metrics-server/metrics-server', tag: 'v0.8.1' });
    expect(hr.spec.values.apiService).toEqual({ create: true });
    expect(hr.spec.values.replicas).toBe(2);
    expect(JSON.stringify(hr.spec.values.affinity)).toContain('"system"');
  });

  it('is the only server of metrics.k8s.io: prometheus-adapter has no resource rules', () => {
    for (const s of [spec(), spec({}, SPEC_25)]) {
      const adapter = objs(s).find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'prometheus-adapter')!;
      expect(adapter.spec.values.rules.resource).toBeUndefined();
    }
  });
});

describe('KEDA and prometheus-adapter', () => {
  const kedaSpec = spec({ autoscaling: { indexBuild: { scaleToZero: true } } }, SPEC_25);

  it('never both serve external metrics: with KEDA, no HPA names an External metric and the adapter has no external rules', () => {
    const r = resolveClusterSpec(kedaSpec);
    expect(usesKeda(r)).toBe(true);
    const hpas = scalers(kedaSpec).filter((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas.flatMap((h) => h.spec.metrics).filter((m: Obj) => m.type === 'External')).toEqual([]);
    expect(declaredMetrics(roleScaling(r).values()).filter((m) => m.type === 'External')).toEqual([]);
  });

  it('refuses to render both owners of APIService v1beta1.external.metrics.k8s.io', () => {
    const r = resolveClusterSpec(kedaSpec);
    expect(() => new AutoscalingControllers(new Chart(Testing.app(), 't'), 'c', { ...where(r), metrics: [SEARCH_P99_LATENCY_MS], keda: true })).toThrow(
      /v1beta1\.external\.metrics\.k8s\.io/,
    );
  });
});

describe('scalers take the workload they scale', () => {
  it('leaves replicas to the scaler: the targeted Deployment drops its count, the others keep theirs', () => {
    const r = resolveClusterSpec(spec());
    const app = Testing.app();
    const milvusChart = new Chart(app, 'm');
    const milvus = new MilvusCluster(milvusChart, 'Milvus', milvusClusterProps(r));
    const replicas = () =>
      Object.fromEntries((Testing.synth(milvusChart) as Obj[]).filter((o) => o.kind === 'Deployment').map((o) => [o.metadata.name, o.spec.replicas]));
    expect(replicas()['milvus-querynode']).toBe(2);
    const querynode = roleScaling(r).get('querynode')!;
    new RoleScaler(new Chart(app, 'u'), 'q', { target: milvus.roles.get('querynode')!, ...querynode });
    expect(replicas()['milvus-querynode']).toBeUndefined();
    expect(replicas()['milvus-mixcoord']).toBe(r.milvus.mixCoord.replicas);
    expect(() => milvus.roles.get('mixcoord')!.handOverReplicas()).toThrow('Deployment milvus-mixcoord runs a fixed count; no autoscaler may own it');
  });
});
