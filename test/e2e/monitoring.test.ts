import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { APPS, renderCluster } from '@milvus-gitops/cli';
import { resolveClusterSpec } from '@milvus-gitops/spec';
// The catalog is not (yet) exported by @milvus-gitops/milvus' index, and this package does not
// depend on that one: read the module itself, a dependency-free data file.
import { metricProblems, milvusMetricCatalog, selectorsIn } from '@milvus-gitops/milvus';
import { EXAMPLES } from './clusters.js';

type Obj = Record<string, any>;

describe.each(Object.keys(EXAMPLES))('monitoring of %s', (name) => {
  const objects = renderCluster(EXAMPLES[name]!, APPS).files.map((f) => f.object as Obj);

  it('renders the monitoring apps', () => {
    expect(objects.some((o) => o.kind === 'HelmRelease' && o.metadata.name === 'kube-prometheus-stack')).toBe(true);
    expect(objects.filter((o) => o.kind === 'PodMonitor').length).toBeGreaterThanOrEqual(6);
  });

  it('ships rule files that pass promtool check rules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rules-'));
    const rules = objects.filter((o) => o.kind === 'PrometheusRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      const file = join(dir, `${r.metadata.name}.yaml`);
      await writeFile(file, stringify({ groups: r.spec.groups }));
      const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(out).toContain('SUCCESS');
    }
  });

  it('gives Grafana an admin Secret that exists: the chart-created one, not an existingSecret nothing renders', () => {
    const stack = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'kube-prometheus-stack')!;
    const existing = stack.spec.values.grafana?.admin?.existingSecret ?? '';
    if (existing !== '') expect(objects.some((o) => o.kind === 'Secret' && o.metadata.name === existing)).toBe(true);
    expect(stack.spec.values.grafana?.adminPassword).toBeUndefined();
  });

  it('ships dashboards that parse as Grafana JSON', () => {
    const maps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(maps).toHaveLength(4);
    for (const cm of maps) for (const json of Object.values(cm.data as Record<string, string>)) expect(JSON.parse(json).panels.length).toBeGreaterThan(0);
  });
});

/** Every PromQL expression a cluster's render runs, by where it comes from. */
function queriesOf(objects: Obj[]): Record<'adapter' | 'keda' | 'alerts' | 'dashboards', string[]> {
  const adapter = objects.filter((o) => o.kind === 'HelmRelease' && o.metadata.name === 'prometheus-adapter');
  const rules = adapter.flatMap((a) => [...(a.spec.values.rules.custom ?? []), ...(a.spec.values.rules.external ?? [])]) as Obj[];
  return {
    // The adapter substitutes the discovered series for <<.Series>>.
    adapter: rules.flatMap((r) => [r.seriesQuery as string, (r.metricsQuery as string).replaceAll('<<.Series>>', (r.seriesQuery as string).split('{')[0]!)]),
    keda: objects
      .filter((o) => o.kind === 'ScaledObject')
      .flatMap((o) => (o.spec.triggers as Obj[]).filter((t) => t.type === 'prometheus').map((t) => t.metadata.query as string)),
    alerts: objects
      .filter((o) => o.kind === 'PrometheusRule')
      .flatMap((o) => (o.spec.groups as Obj[]).flatMap((g) => (g.rules as Obj[]).map((r) => r.expr as string))),
    dashboards: objects
      .filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1')
      .flatMap((cm) =>
        Object.values(cm.data as Record<string, string>).flatMap((json) =>
          (JSON.parse(json).panels as Obj[]).flatMap((p) => (p.targets as Obj[]).map((t) => t.expr as string)),
        ),
      ),
  };
}

describe.each(Object.keys(EXAMPLES))('metrics queried by %s', (name) => {
  const version = resolveClusterSpec(EXAMPLES[name]!).milvus.version;
  const objects = renderCluster(EXAMPLES[name]!, APPS).files.map((f) => f.object as Obj);
  const queries = queriesOf(objects);

  it(`are all exported by Milvus ${version} (its catalog, exact release) and not deprecated, or are allowlisted exporter metrics`, () => {
    expect(milvusMetricCatalog(version)).toMatchObject({ version, exact: true });
    for (const [source, exprs] of Object.entries(queries)) {
      if (source !== 'keda') expect({ source, count: exprs.length > 0 }).toEqual({ source, count: true });
      expect({ source, problems: metricProblems(version, exprs) }).toEqual({ source, problems: [] });
    }
  });

  it('would catch a metric renamed to one Milvus does not export, a deprecated one, or a wrong label', () => {
    const all = Object.values(queries).flat();
    const milvusExpr = all.find((e) => selectorsIn(e).some((s) => s.name.startsWith('milvus_querynode_')))!;
    const used = selectorsIn(milvusExpr).find((s) => s.name.startsWith('milvus_querynode_'))!.name;
    expect(metricProblems(version, [milvusExpr.replaceAll(used, `${used}_renamed`)]).map((p) => p.metric)).toContain(`${used}_renamed`);
    expect(metricProblems(version, ['sum(milvus_datacoord_index_task_count{namespace="milvus",index_task_status="unissued"})'])[0]!.problem).toMatch(
      /deprecated/,
    );
    expect(metricProblems(version, ['sum(milvus_datacoord_task_count{index_task_status="unissued"})'])[0]!.problem).toMatch(/no label index_task_status/);
    expect(metricProblems(version, ['sum(kube_made_up_total)'])[0]!.problem).toMatch(/EXPORTER_METRICS/);
  });
});
