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

  it('scales query nodes between the spec bounds on the spec targets', () => {
    const q = spec.autoscaling.queryNode;
    expect([query.spec.minReplicas, query.spec.maxReplicas]).toEqual([spec.milvus.queryNode.minReplicas, spec.milvus.queryNode.maxReplicas]);
    expect(query.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: q.cpuUtilization } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: q.memoryUtilization } } },
      { type: 'Pods', pods: { metric: { name: 'milvus_querynode_read_task_ready_len' }, target: { type: 'AverageValue', averageValue: String(q.queueDepthPerPod) } } },
      { type: 'External', external: { metric: { name: 'milvus_search_latency_p99_ms' }, target: { type: 'Value', value: String(q.p99LatencyMs) } } },
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
