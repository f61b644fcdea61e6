import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec, type DeepPartial } from '@milvus-gitops/spec/testing';
import { alertGroups, dashboards, GRAFANA_ADMIN_SECRET, KNOWN_SERIES, kubePrometheusStackValues, MilvusDashboards, seriesIn } from '../src/index.js';

type Obj = Record<string, any>;
/** A staging cluster of the given Milvus version; a 2.5 one gets the Kafka queue it requires. */
const spec = (version: string, extra: DeepPartial<ClusterSpec> = {}) =>
  resolveClusterSpec(
    testClusterSpec({
      name: 'staging-eu-west-1',
      environment: 'staging',
      milvus: version.startsWith('2.5') ? { version, messageQueue: { type: 'kafka', brokers: ['b:9092'] } } : { version },
      ...extra,
    }),
  );

describe('kube-prometheus-stack values', () => {
  it('take retention and gp3 storage from the spec and place everything on system nodes', () => {
    const v = kubePrometheusStackValues(spec('2.5.26', { monitoring: { retention: '21d', storageSize: '300Gi' } }));
    expect(v.prometheus.prometheusSpec.retention).toBe('21d');
    expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec).toMatchObject({
      storageClassName: 'gp3-encrypted',
      resources: { requests: { storage: '300Gi' } },
    });
    expect(v.prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues).toBe(false);
    expect(v.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: 'grafana_dashboard' });
    // The chart creates and keeps its own admin Secret: no existingSecret that nothing creates.
    expect(v.grafana.admin.existingSecret).toBe('');
    expect(GRAFANA_ADMIN_SECRET).toBe('kube-prometheus-stack-grafana');
    for (const placed of [v.prometheus.prometheusSpec, v.alertmanager.alertmanagerSpec, v.grafana, v.prometheusOperator]) {
      expect(JSON.stringify(placed.affinity)).toContain('"system"');
    }
  });

  it('spreads Prometheus and Alertmanager replicas over zones, so a zone loss keeps the HPAs their metrics', () => {
    const v = kubePrometheusStackValues(spec('2.6.15', { environment: 'prod' }));
    for (const s of [v.prometheus.prometheusSpec, v.alertmanager.alertmanagerSpec]) {
      expect(s).toMatchObject({ replicas: 2, podAntiAffinity: 'soft', podAntiAffinityTopologyKey: 'topology.kubernetes.io/zone' });
    }
  });
});

describe('dashboards', () => {
  const s = spec('2.6.15');
  const all = dashboards(s);

  it('cover query performance, the cluster, storage and autoscaling', () => {
    expect(all.map((d) => d.title)).toEqual([
      'Milvus query performance (staging-eu-west-1)',
      'Milvus cluster overview (staging-eu-west-1)',
      'Milvus storage health (staging-eu-west-1)',
      'Milvus autoscaling (staging-eu-west-1)',
    ]);
  });

  it('load as Grafana dashboard JSON: unique uids and panel ids, a Prometheus datasource, queries on every panel', () => {
    const chart = new Chart(Testing.app(), 't');
    new MilvusDashboards(chart, 'd', { dashboards: all, namespace: 'monitoring', instance: s.name });
    const maps = Testing.synth(chart) as Obj[];
    expect(maps).toHaveLength(4);
    const uids = new Set<string>();
    for (const cm of maps) {
      expect(cm.metadata.labels.grafana_dashboard).toBe('1');
      const [file, json] = Object.entries(cm.data as Record<string, string>)[0]!;
      const d = JSON.parse(json);
      expect(file).toBe(`${d.uid}.json`);
      expect(d.uid.length).toBeLessThanOrEqual(40);
      uids.add(d.uid);
      expect(typeof d.schemaVersion).toBe('number');
      expect(new Set(d.panels.map((p: Obj) => p.id)).size).toBe(d.panels.length);
      for (const p of d.panels) {
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(p.targets.length).toBeGreaterThan(0);
        for (const t of p.targets) expect(t.expr).toMatch(/\S/);
      }
    }
    expect(uids.size).toBe(4);
  });

  it('name no metric outside the metrics module, in dashboards and in alerts', () => {
    const exprs = [...all.flatMap((d) => d.panels.flatMap((p) => p.targets.map((t) => t.expr))), ...alertGroups(s).flatMap((g) => g.rules.map((r) => r.expr))];
    const unknown = [...new Set(exprs.flatMap(seriesIn))].filter((n) => !KNOWN_SERIES.has(n));
    expect(unknown).toEqual([]);
  });

  it('would catch an unknown metric', () => {
    expect(seriesIn('sum by (pod) (rate(milvus_made_up_total{namespace="milvus"}[5m]))')).toEqual(['milvus_made_up_total']);
  });
});
