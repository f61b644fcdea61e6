import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { MilvusRoleWorkload } from '@milvus-gitops/milvus';
import { PROXY_BEHAVIOR, QUERY_QUEUE_DEPTH, RoleScaler, type RoleScaling } from '../src/index.js';
import { promtoolEval, taskCount } from './promtool.js';

// RoleScaler as a construct: given its props, not a spec (the autoscaling app maps the spec).

type Obj = Record<string, any>;

const resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };

/** One scaler over a proxy workload of cluster `c1` in namespace `vectors`. */
function scale(scaling: RoleScaling): Obj[] {
  const chart = new Chart(Testing.app(), 't');
  const target = new MilvusRoleWorkload(chart, 'proxy', {
    cluster: 'c1',
    milvus: { version: '2.6.15', image: 'milvusdb/milvus:v2.6.15', minor: '2.6', namespace: 'vectors', queryNodeCacheSize: '100Gi' },
    instance: { role: 'proxy', nodeClass: 'query', resources, replicas: { minReplicas: 2, maxReplicas: 9 } },
    serviceAccountName: 'milvus',
    userConfig: '{}',
  });
  new RoleScaler(chart, 'scaler', { target, ...scaling });
  return Testing.synth(chart) as Obj[];
}

describe('RoleScaler', () => {
  it('renders an HPA between the given bounds, on the given signals and behavior, and takes the replica count over', () => {
    const objs = scale({
      minReplicas: 2,
      maxReplicas: 9,
      signals: [{ kind: 'resource', resource: 'cpu', averageUtilization: 70 }],
      behavior: PROXY_BEHAVIOR,
    });
    const hpa = objs.find((o) => o.kind === 'HorizontalPodAutoscaler')!;
    expect(hpa.metadata).toMatchObject({ name: 'milvus-proxy', namespace: 'vectors' });
    expect(hpa.metadata.labels['app.kubernetes.io/component']).toBe('proxy');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'milvus-proxy' },
      minReplicas: 2,
      maxReplicas: 9,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: PROXY_BEHAVIOR,
    });
    expect(objs.find((o) => o.kind === 'Deployment')!.spec.replicas).toBeUndefined();
  });

  it('defaults to one replica at least and to the Kubernetes behavior', () => {
    const hpa = scale({
      maxReplicas: 4,
      signals: [{ kind: 'metric', metric: QUERY_QUEUE_DEPTH, target: { type: 'AverageValue', value: 10 } }],
    }).find((o) => o.kind === 'HorizontalPodAutoscaler')!;
    expect(hpa.spec.minReplicas).toBe(1);
    expect(hpa.spec.maxReplicas).toBe(4);
    expect(hpa.spec).not.toHaveProperty('behavior');
    expect(hpa.spec.metrics[0].pods.metric.name).toBe(QUERY_QUEUE_DEPTH.name);
  });

  it('refuses bounds that cross', () => {
    expect(() => scale({ minReplicas: 5, maxReplicas: 4, signals: [] })).toThrow('c1: HPA milvus-proxy: minReplicas (5) must be <= maxReplicas (4)');
  });

  it('renders a KEDA ScaledObject from zero to maxReplicas on pending index tasks', () => {
    const so = scale({ scaler: 'keda', maxReplicas: 6, pendingTasksPerReplica: 3, prometheusUrl: 'http://prom:9090' }).find((o) => o.kind === 'ScaledObject')!;
    expect(so.spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 6, scaleTargetRef: { name: 'milvus-proxy' } });
    expect(so.spec.triggers[0].metadata).toMatchObject({ serverAddress: 'http://prom:9090', threshold: '3', activationThreshold: '0' });
  });

  it("wakes index nodes from zero on sort jobs too: on 2.5 no index build is created before its segment's sort job ran", () => {
    const so = scale({ scaler: 'keda', maxReplicas: 6, pendingTasksPerReplica: 3, prometheusUrl: 'http://prom:9090' }).find((o) => o.kind === 'ScaledObject')!;
    const query = so.spec.triggers[0].metadata.query as string;
    const task = (type: string, state: string) => taskCount('vectors', type, state);
    const r = promtoolEval(
      [
        // Only sort jobs waiting: no index build exists yet. KEDA activates above 0.
        { series: task('JobTypeStatsJob', 'JobStateInit'), values: '4x10' },
        { series: task('JobTypeStatsJob', 'JobStateFinished'), values: '300x10' },
        { series: task('JobTypeIndexJob', 'JobStateFinished'), values: '900x10' },
      ],
      [{ expr: query, eval_time: '5m', exp_samples: [{ labels: '{}', value: 4 }] }],
    );
    expect(r.output).toContain('SUCCESS');
  });
});
