import { describe, expect, it } from 'vitest';
import { AppChart, synthApp, synthCluster, type AppDefinition } from '@milvus-gitops/core';
import { milvusClusterProps } from '../src/milvus.js';
import { MilvusCluster } from '@milvus-gitops/milvus';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { alertGroupsProps, dashboardsProps, kubePrometheusStackValuesProps, monitoringApp, monitoringConfigApp } from '../src/monitoring.js';

const spec = resolveClusterSpec(testClusterSpec({ environment: 'dev' }));

describe('monitoring apps', () => {
  it('installs the stack in its own namespace before anything uses its CRDs', () => {
    const kinds = synthApp(monitoringApp, spec)
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();
    expect(kinds).toEqual(['HelmRelease/kube-prometheus-stack', 'HelmRepository/prometheus-community', 'Namespace/monitoring']);
    expect(monitoringConfigApp.dependsOn).toContain('monitoring');
  });

  it("renders scrape configs for the milvus app's workloads, one PrometheusRule and four dashboards", () => {
    const milvus: AppDefinition = {
      name: 'milvus',
      description: 'Milvus workloads',
      build: (scope, s) => new MilvusCluster(new AppChart(scope, 'milvus', { cluster: s.name, app: 'milvus' }), 'Milvus', milvusClusterProps(s)),
    };
    const result = synthCluster([milvus, monitoringConfigApp], spec)[1]!;
    if ('errors' in result) throw new Error(result.errors.join('; '));
    const objects = result.objects;
    expect(objects.filter((o) => o.kind === 'PodMonitor')).toHaveLength(6);
    expect(objects.filter((o) => o.kind === 'PrometheusRule')).toHaveLength(1);
    expect(objects.filter((o) => o.kind === 'ConfigMap')).toHaveLength(4);
  });

  it('needs the milvus app of the same render for its monitors, and says so', () => {
    expect(() => synthApp(monitoringConfigApp, spec)).toThrow("prod-us-east-1: the monitoring-config app needs the milvus app's workloads in the same render");
  });
});

describe('monitoring inputs of a cluster', () => {
  it('take retention, storage and Grafana from the spec, and two Prometheus and Alertmanager replicas in prod only', () => {
    const prod = resolveClusterSpec(testClusterSpec({ environment: 'prod', monitoring: { retention: '21d', storageSize: '300Gi' } }));
    expect(kubePrometheusStackValuesProps(prod)).toEqual({ retention: '21d', storageSize: '300Gi', replicas: 2, grafana: prod.monitoring.grafana });
    expect(kubePrometheusStackValuesProps(spec).replicas).toBe(1);
  });

  it("take the alert thresholds from the spec and select Milvus' namespace, as the dashboards do under the cluster's name", () => {
    const s = resolveClusterSpec(
      testClusterSpec({
        name: 'staging-eu-west-1',
        milvus: { namespace: 'vectors', etcd: { snapshotSchedule: '15 */6 * * *' } },
        monitoring: { searchLatencySloMs: 200, queryNodeMemoryAlertRatio: 0.85 },
      }),
    );
    expect(alertGroupsProps(s)).toEqual({
      namespace: 'vectors',
      searchLatencySloMs: 200,
      queryNodeMemoryAlertRatio: 0.85,
      etcdSnapshotIntervalSeconds: 6 * 3600,
    });
    expect(dashboardsProps(s)).toEqual({ instance: 'staging-eu-west-1', namespace: 'vectors' });
  });
});
