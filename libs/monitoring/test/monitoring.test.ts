import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  alertGroups,
  dashboards,
  GRAFANA_ADMIN_SECRET,
  KNOWN_SERIES,
  kubePrometheusStackValues,
  MilvusDashboards,
  seriesIn,
  type KubePrometheusStackValuesProps,
} from '../src/index.js';

type Obj = Record<string, any>;
/** The stack's input for a staging cluster (one replica each), with overrides. */
const stack = (over: Partial<KubePrometheusStackValuesProps> = {}): KubePrometheusStackValuesProps => ({
  retention: '15d',
  storageSize: '100Gi',
  replicas: 1,
  grafana: true,
  ...over,
});

describe('kube-prometheus-stack values', () => {
  it('take retention and gp3 storage as given and place everything on system nodes', () => {
    const v = kubePrometheusStackValues(stack({ retention: '21d', storageSize: '300Gi' }));
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
    const v = kubePrometheusStackValues(stack({ replicas: 2 }));
    for (const s of [v.prometheus.prometheusSpec, v.alertmanager.alertmanagerSpec]) {
      expect(s).toMatchObject({ replicas: 2, podAntiAffinity: 'soft', podAntiAffinityTopologyKey: 'topology.kubernetes.io/zone' });
    }
  });
});

describe('dashboards', () => {
  const s = { name: 'staging-eu-west-1', namespace: 'milvus' };
  const all = dashboards({ instance: s.name, namespace: s.namespace });

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
    const exprs = [
      ...all.flatMap((d) => d.panels.flatMap((p) => p.targets.map((t) => t.expr))),
      ...alertGroups({ namespace: s.namespace, searchLatencySloMs: 200, queryNodeMemoryAlertRatio: 0.85 }).flatMap((g) => g.rules.map((r) => r.expr)),
    ];
    const unknown = [...new Set(exprs.flatMap(seriesIn))].filter((n) => !KNOWN_SERIES.has(n));
    expect(unknown).toEqual([]);
  });

  it('would catch an unknown metric', () => {
    expect(seriesIn('sum by (pod) (rate(milvus_made_up_total{namespace="milvus"}[5m]))')).toEqual(['milvus_made_up_total']);
  });
});
