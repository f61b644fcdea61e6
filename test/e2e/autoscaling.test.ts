import { describe, expect, it } from 'vitest';
import { APPS, renderCluster } from '@milvus-gitops/cli';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { EXAMPLES } from './clusters.js';

type Obj = Record<string, any>;

describe.each(Object.keys(EXAMPLES))('autoscaling of %s', (name) => {
  const spec = resolveClusterSpec(EXAMPLES[name]!);
  const objects = renderCluster(EXAMPLES[name]!, APPS).files.map((f) => ({ path: f.path, o: f.object as Obj }));
  const hpas = objects.filter((x) => x.o.kind === 'HorizontalPodAutoscaler').map((x) => x.o);
  const query = hpas.find((h) => h.metadata.name === 'milvus-querynode')!;
  const release = (n: string) => objects.find((x) => x.o.kind === 'HelmRelease' && x.o.metadata.name === n)?.o;
  const keda = release('keda') !== undefined;

  it('scales query nodes between the spec bounds on the spec targets', () => {
    const q = spec.autoscaling.queryNode;
    expect([query.spec.minReplicas, query.spec.maxReplicas]).toEqual([spec.milvus.queryNode.minReplicas, spec.milvus.queryNode.maxReplicas]);
    expect(query.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: q.cpuUtilization } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: q.memoryUtilization } } },
      {
        type: 'Pods',
        pods: { metric: { name: 'milvus_querynode_read_task_ready_len' }, target: { type: 'AverageValue', averageValue: String(q.queueDepthPerPod) } },
      },
      // Where KEDA runs it owns the external metrics API, so the P99 signal is left out there.
      ...(keda
        ? []
        : [{ type: 'External', external: { metric: { name: 'milvus_search_latency_p99_ms' }, target: { type: 'Value', value: String(q.p99LatencyMs) } } }]),
    ]);
    expect(query.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(query.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
  });

  it('serves every custom and external metric its HPAs name through a prometheus-adapter rule', () => {
    const adapter = objects.find((x) => x.o.kind === 'HelmRelease' && x.o.metadata.name === 'prometheus-adapter')!.o;
    const served = {
      Pods: new Set(adapter.spec.values.rules.custom.map((r: Obj) => r.name.as)),
      External: new Set(adapter.spec.values.rules.external.map((r: Obj) => r.name.as)),
    };
    const named = hpas.flatMap((h) => h.spec.metrics).filter((m: Obj) => m.type === 'Pods' || m.type === 'External');
    expect(named.length).toBeGreaterThan(0);
    for (const m of named) {
      const metric = (m.type === 'Pods' ? m.pods : m.external).metric.name as string;
      expect({ metric, served: served[m.type as 'Pods' | 'External'].has(metric) }).toEqual({ metric, served: true });
    }
  });

  it('serves the CPU and memory of every HPA through metrics-server, and metrics.k8s.io through nothing else', () => {
    expect(hpas.some((h) => h.spec.metrics.some((m: Obj) => m.type === 'Resource'))).toBe(true);
    expect(release('metrics-server')!.spec.chart.spec).toMatchObject({ chart: 'metrics-server', version: '3.13.1' });
    expect(release('prometheus-adapter')!.spec.values.rules.resource).toBeUndefined();
  });

  it('has one owner of APIService v1beta1.external.metrics.k8s.io: KEDA where installed, else prometheus-adapter', () => {
    const external = release('prometheus-adapter')!.spec.values.rules.external as Obj[];
    if (keda) expect(external).toEqual([]);
    const kedaTriggers = objects.filter((x) => x.o.kind === 'ScaledObject').length;
    expect(keda).toBe(kedaTriggers > 0);
  });

  it('scales the index builders of its version on pending index tasks', () => {
    const builder = spec.milvus.minor === '2.5' ? 'milvus-indexnode' : 'milvus-datanode';
    const scaler = objects.find((x) => x.o.metadata.name === builder && x.path.startsWith('autoscaling/'))!.o;
    if (spec.autoscaling.indexBuild.scaleToZero) {
      expect(scaler.kind).toBe('ScaledObject');
      expect(scaler.spec.minReplicaCount).toBe(0);
    } else {
      expect(scaler.spec.metrics[0].external.metric.name).toBe('milvus_index_tasks_pending');
    }
  });
});
