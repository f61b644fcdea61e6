import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { diffTrees, formatMarkdown, formatText } from '../src/index.js';

const hpa = (max: number) =>
  stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'q', namespace: 'milvus' }, spec: { minReplicas: 2, maxReplicas: max } });
const cm = (data: string) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'milvus' }, data: { 'user.yaml': data } });

describe('diffTrees', () => {
  it('reports a changed field with its path and both values, and nothing else', () => {
    const base = { 'prod/autoscaling/hpa.yaml': hpa(20), 'prod/milvus/cm.yaml': cm('a: 1\n') };
    const head = { 'prod/autoscaling/hpa.yaml': hpa(30), 'prod/milvus/cm.yaml': cm('a: 1\n') };
    expect(diffTrees(base, head)).toEqual([
      {
        cluster: 'prod',
        apps: [
          {
            app: 'autoscaling',
            objects: [
              {
                file: 'autoscaling/hpa.yaml',
                object: 'HorizontalPodAutoscaler milvus/q',
                status: 'changed',
                fields: [{ path: 'spec.maxReplicas', type: 'changed', base: 20, head: 30 }],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('reports added and removed objects per cluster', () => {
    const d = diffTrees({ 'a/milvus/cm.yaml': cm('x') }, { 'b/milvus/cm.yaml': cm('x') });
    expect(d.map((c) => [c.cluster, c.apps[0]!.objects[0]!.status])).toEqual([
      ['a', 'removed'],
      ['b', 'added'],
    ]);
  });

  it('ignores formatting-only differences', () => {
    const a = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    const b = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    expect(diffTrees({ 'p/m/c.yaml': a }, { 'p/m/c.yaml': b })).toEqual([]);
  });
});

describe('formats', () => {
  const d = diffTrees(
    { 'prod/autoscaling/hpa.yaml': hpa(20), 'prod/milvus/cm.yaml': cm('a: 1\nb: 2\n') },
    { 'prod/autoscaling/hpa.yaml': hpa(30), 'prod/milvus/cm.yaml': cm('a: 1\nb: 3\n') },
  );

  it('prints plain text with one line per field and a line diff for multi-line strings', () => {
    const text = formatText(d, 3);
    expect(text).toContain('objects: 2 changed, 0 added, 0 removed, in 1 of 3 clusters');
    expect(text).toContain('    ~ HorizontalPodAutoscaler milvus/q\n        spec.maxReplicas: 20 -> 30\n');
    expect(text).toMatch(/data\["user\.yaml"\]:\n[\s\S]*-b: 2\n[\s\S]*\+b: 3/);
  });

  it('prints Markdown with one collapsible section per cluster and a field table', () => {
    const md = formatMarkdown(d, 3, 'origin/main');
    expect(md).toContain('### Rendered changes against `origin/main`');
    expect(md).toContain('<details>\n<summary><b>prod</b>: 0 added, 0 removed, 2 changed</summary>');
    expect(md).toContain('  | `spec.maxReplicas` | `20` | `30` |');
    expect(md).toContain('  ```diff');
    expect(md.match(/<details>/g)).toHaveLength(1);
  });

  it('says so when nothing changed', () => {
    expect(formatText([], 3)).toBe('no changes to the rendered output of 3 clusters\n');
  });
});
