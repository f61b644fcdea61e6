import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { APPS, renderCluster } from '@milvus-gitops/cli';
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

  it('ships dashboards that parse as Grafana JSON', () => {
    const maps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(maps).toHaveLength(4);
    for (const cm of maps) for (const json of Object.values(cm.data as Record<string, string>)) expect(JSON.parse(json).panels.length).toBeGreaterThan(0);
  });
});
