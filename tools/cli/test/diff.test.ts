import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_LIST_KEYS, diffTrees, formatMarkdown, formatText, listKeysOf } from '../src/index.js';

const hpa = (max: number) =>
  stringify({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'q', namespace: 'milvus' },
    spec: { minReplicas: 2, maxReplicas: max },
  });
const cm = (data: string) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'milvus' }, data: { 'user.yaml': data } });

const deployment = (env: { name: string; value: string }[], ports = [{ name: 'grpc', containerPort: 19530 }]) =>
  stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'p', namespace: 'milvus' },
    spec: { template: { spec: { containers: [{ name: 'proxy', image: 'milvus:1', env, ports }] } } },
  });

describe('diffTrees on Kubernetes keyed lists', () => {
  const fields = (base: string, head: string) => diffTrees({ 'c/milvus/d.yaml': base }, { 'c/milvus/d.yaml': head })[0]!.apps[0]!.objects[0]!.fields;

  it('shows one added env var as one added item, not a rename of the first', () => {
    const before = [{ name: 'LOCAL_STORAGE_SIZE', value: '100' }];
    const after = [{ name: 'AAA_NEW', value: '1' }, ...before];
    expect(fields(deployment(before), deployment(after))).toEqual([
      { path: 'spec.template.spec.containers[name=proxy].env[name=AAA_NEW]', type: 'added', head: { name: 'AAA_NEW', value: '1' } },
    ]);
  });

  it('names the changed item by its key and keeps lists without keys positional', () => {
    const a = deployment([{ name: 'X', value: '1' }], [{ name: 'grpc', containerPort: 19530 }]);
    const b = deployment([{ name: 'X', value: '2' }], [{ name: 'grpc', containerPort: 19531 }]);
    expect(fields(a, b)).toEqual([
      { path: 'spec.template.spec.containers[name=proxy].env[name=X].value', type: 'changed', base: '1', head: '2' },
      { path: 'spec.template.spec.containers[name=proxy].ports[containerPort=19530]', type: 'removed', base: { name: 'grpc', containerPort: 19530 } },
      { path: 'spec.template.spec.containers[name=proxy].ports[containerPort=19531]', type: 'added', head: { name: 'grpc', containerPort: 19531 } },
    ]);
  });

  it('reads the keys from the schema: the built-in table agrees with the Kubernetes definitions', () => {
    const defs = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../../shared/schemas/kubernetes/v1.29.0/_definitions.json'), 'utf8')).definitions;
    const fromSchema = listKeysOf(defs);
    for (const [prop, keys] of DEFAULT_LIST_KEYS) expect({ prop, keys: fromSchema.get(prop) }).toEqual({ prop, keys });
  });
});

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
