import { describe, expect, it } from 'vitest';
import { AppChart, synthApp, synthCluster, type AppDefinition, type Manifest } from '@milvus-gitops/core';
import { milvusClusterProps } from '../src/milvus.js';
import { MilvusCluster } from '@milvus-gitops/milvus';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { autoscalingApp, autoscalingControllersApp } from '../src/autoscaling.js';

const spec = (scaleToZero: boolean): ClusterSpec =>
  testClusterSpec({
    environment: 'staging',
    milvus: { version: '2.5.26', messageQueue: { type: 'kafka', brokers: ['b:9092'] } },
    autoscaling: { indexBuild: { scaleToZero } },
  });

/** A milvus app of the same render: the scalers reach its workloads. */
const milvus: AppDefinition = {
  name: 'milvus',
  description: 'Milvus workloads',
  build: (scope, s) => new MilvusCluster(new AppChart(scope, 'milvus', { cluster: s.name, app: 'milvus' }), 'Milvus', milvusClusterProps(s)),
};

/** The autoscaling app's objects, rendered with the milvus app as the pipeline does. */
function scalersOf(s: ClusterSpec): Manifest[] {
  const result = synthCluster([milvus, autoscalingApp], resolveClusterSpec(s)).find((r) => r.app === 'autoscaling')!;
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.objects;
}

describe('autoscaling apps', () => {
  it('needs the milvus app of the same render, and says so', () => {
    expect(() => synthApp(autoscalingApp, resolveClusterSpec(spec(false)))).toThrow(
      "prod-us-east-1: the autoscaling app needs the milvus app's workloads in the same render",
    );
  });

  it('installs KEDA only where a role scales to zero', () => {
    const names = (s: ClusterSpec) =>
      synthApp(autoscalingControllersApp, resolveClusterSpec(s))
        .filter((o) => o.kind === 'HelmRelease')
        .map((o) => o.metadata.name);
    expect(names(spec(true))).toEqual(['metrics-server', 'prometheus-adapter', 'keda']);
    expect(names(spec(false))).toEqual(['metrics-server', 'prometheus-adapter']);
  });

  it('installs metrics-server, which serves the CPU and memory every HPA reads, from its own pinned repository', () => {
    const objects = synthApp(autoscalingControllersApp, resolveClusterSpec(spec(false)));
    const hr = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'metrics-server') as unknown as { spec: { chart: { spec: object } } };
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'metrics-server', version: '3.13.1', sourceRef: { name: 'metrics-server' } });
    expect(objects.some((o) => o.kind === 'HelmRepository' && o.metadata.name === 'metrics-server')).toBe(true);
    const hpas = scalersOf(spec(false)).filter((o) => o.kind === 'HorizontalPodAutoscaler') as unknown as {
      spec: { metrics: { type: string }[] };
    }[];
    expect(hpas.some((h) => h.spec.metrics.some((m) => m.type === 'Resource'))).toBe(true);
  });

  it('applies the scalers after Milvus and the controllers', () => {
    expect(autoscalingApp.dependsOn).toEqual(['milvus', 'autoscaling-controllers']);
    const kinds = scalersOf(spec(true))
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();
    expect(kinds).toEqual([
      'HorizontalPodAutoscaler/milvus-datanode',
      'HorizontalPodAutoscaler/milvus-proxy',
      'HorizontalPodAutoscaler/milvus-querynode',
      'ScaledObject/milvus-indexnode',
    ]);
  });
});
