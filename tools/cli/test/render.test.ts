import { mkdtemp, readdir, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { ApiObject, Chart } from 'cdk8s';
import type { AppDefinition } from '@milvus-gitops/core';
import { APPS, fileNameOf, parseInput, readRenderedTree, renderCluster, renderCommand, RenderError, toYaml, writeRendered } from '../src/index.js';
import { clustersDir, spec } from './fixtures.js';

const tree = readRenderedTree;

function captureStderr(): { text: () => string; restore: () => void } {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return { text: () => text, restore: () => (spy.mockRestore(), out.mockRestore()) };
}

describe('serialization', () => {
  it('names files kind-namespace-name.yaml, and kind-name.yaml for cluster-scoped objects', () => {
    expect(fileNameOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'milvus-config', namespace: 'milvus' } })).toBe(
      'configmap-milvus-milvus-config.yaml',
    );
    expect(fileNameOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'milvus' } })).toBe('namespace-milvus.yaml');
  });

  it('sorts map keys but keeps list order', () => {
    const yaml = toYaml({ kind: 'X', apiVersion: 'v1', metadata: { name: 'a' }, spec: { z: 1, a: [3, 1, 2] } });
    expect(yaml).toBe('apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  a:\n    - 3\n    - 1\n    - 2\n  z: 1\n');
  });

  it('quotes the strings Kubernetes would read as something else, and reads back what it wrote', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', labels: { on: 'y' } },
      data: { a: 'on', b: 'yes', c: 'n', d: 'OFF', e: '2024-01-01', f: 'plain' },
    };
    const yaml = toYaml(cm);
    for (const v of ['"on"', '"yes"', '"n"', '"OFF"', '"2024-01-01"', '"y"']) expect(yaml).toContain(v);
    expect(yaml).toContain('f: plain');
    // Read as `gitops validate` (and so Kubernetes) reads YAML: every value comes back a string.
    const back = parseInput(yaml, { path: 'a.yaml', label: 'a.yaml', group: '' });
    expect(back.objects.map((o) => o.object)).toEqual([cm]);
  });
});

describe('renderCluster', () => {
  it('renders the same bytes twice', () => {
    const a = renderCluster(spec(), APPS);
    const b = renderCluster(spec(), APPS);
    expect(a.files.map((f) => [f.path, f.content])).toEqual(b.files.map((f) => [f.path, f.content]));
    expect(a.files.length).toBeGreaterThan(0);
  });

  it('puts each object in <app>/<kind-namespace-name>.yaml, sorted by path, with no timestamps', () => {
    const r = renderCluster(spec(), APPS);
    const paths = r.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    for (const f of r.files) {
      expect(f.path).toBe(`${f.path.split('/')[0]}/${fileNameOf(f.object)}`);
      expect(parse(f.content)).toEqual(f.object);
      expect(f.content).not.toMatch(/creationTimestamp|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:/);
    }
  });

  it('refuses a bad spec with every problem', () => {
    const bad = spec();
    bad.milvus.queryNode = { minReplicas: 4, maxReplicas: 2 };
    bad.aws.accountId = '42';
    expect(() => renderCluster(bad, APPS)).toThrowError(
      expect.objectContaining({
        problems: [
          'test-us-east-1: aws.accountId ("42") must be a 12-digit AWS account id',
          'test-us-east-1: milvus.queryNode.maxReplicas (2) must be >= minReplicas (4)',
        ],
      }),
    );
  });

  it('refuses two objects that would share a file', () => {
    const clash: AppDefinition = {
      name: 'clash',
      description: 'the same ConfigMap from two charts',
      build(scope) {
        for (const id of ['one', 'two']) {
          new ApiObject(new Chart(scope, id), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'ns' } });
        }
      },
    };
    expect(() => renderCluster(spec(), [clash])).toThrowError(
      expect.objectContaining({
        problems: ['test-us-east-1: app clash: ConfigMap ns/same and ConfigMap ns/same both render to clash/configmap-ns-same.yaml'],
      }),
    );
  });
});

describe('writeRendered', () => {
  it('replaces the whole tree on a full render, dropping clusters that no longer exist', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'gitops-out-')), 'rendered');
    await mkdir(join(out, 'removed-cluster', 'milvus'), { recursive: true });
    await writeFile(join(out, 'removed-cluster', 'milvus', 'x.yaml'), 'stale');
    await writeRendered(out, [renderCluster(spec(), APPS)], true);
    expect(await readdir(out)).toEqual(['test-us-east-1']);
  });

  it('replaces only the given cluster on a single-cluster render', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'gitops-out-')), 'rendered');
    await writeRendered(out, [renderCluster(spec('a-us-east-1'), APPS), renderCluster(spec('b-us-east-1'), APPS)], true);
    const before = await tree(join(out, 'b-us-east-1'));
    await writeFile(join(out, 'a-us-east-1', 'milvus', 'stale.yaml'), 'stale');
    await writeRendered(out, [renderCluster(spec('a-us-east-1'), APPS)], false);
    expect(Object.keys(await tree(join(out, 'a-us-east-1')))).not.toContain('milvus/stale.yaml');
    expect(await tree(join(out, 'b-us-east-1'))).toEqual(before);
    expect((await readdir(join(out, '..'))).filter((n) => n.includes('staging'))).toEqual([]);
  });
});

describe('gitops render', () => {
  it('exits 1 on a bad spec, prints each problem and leaves the previous output untouched', async () => {
    const good = spec('good-us-east-1');
    const dir = await clustersDir([good]);
    const out = join(await mkdtemp(join(tmpdir(), 'gitops-out-')), 'rendered');
    const io = captureStderr();
    try {
      expect(await renderCommand({ clustersDir: dir, out })).toBe(0);
      const before = await tree(out);
      const bad = spec('good-us-east-1');
      bad.milvus.queryNode = { minReplicas: 4, maxReplicas: 2 };
      await writeFile(join(dir, 'good-us-east-1', 'dist', 'cluster.js'), `export const cluster = ${JSON.stringify(bad)};\n`);
      expect(await renderCommand({ clustersDir: dir, out })).toBe(1);
      expect(io.text()).toContain('error: good-us-east-1: milvus.queryNode.maxReplicas (2) must be >= minReplicas (4)');
      expect(io.text()).toContain('previous output');
      expect(await tree(out)).toEqual(before);
    } finally {
      io.restore();
    }
  });

  it('renders one cluster with --cluster and rejects an unknown one with exit 2', async () => {
    const dir = await clustersDir([spec('a-us-east-1'), spec('b-us-east-1')]);
    const out = join(await mkdtemp(join(tmpdir(), 'gitops-out-')), 'rendered');
    const io = captureStderr();
    try {
      expect(await renderCommand({ clustersDir: dir, out, cluster: 'b-us-east-1' })).toBe(0);
      expect(await readdir(out)).toEqual(['b-us-east-1']);
      expect(await renderCommand({ clustersDir: dir, out, cluster: 'c-us-east-1' })).toBe(2);
      expect(io.text()).toContain('no cluster named c-us-east-1');
    } finally {
      io.restore();
    }
  });

  it('refuses a cluster whose Kubernetes version has no schemas, unless its spec accepts another', async () => {
    const lacking = { ...spec('a-us-east-1'), kubernetes: { version: '1.32' as const } };
    const out = join(await mkdtemp(join(tmpdir(), 'gitops-out-')), 'rendered');
    const io = captureStderr();
    try {
      expect(await renderCommand({ clustersDir: await clustersDir([lacking]), out })).toBe(1);
      expect(io.text()).toMatch(
        /error: a-us-east-1: no Kubernetes 1\.32 schemas in .* \(it has 1\.29, 1\.33\): add them to the schema folder, or accept checking against one of those by setting kubernetes\.schemaVersion/,
      );
      const accepted = { ...lacking, kubernetes: { version: '1.32' as const, schemaVersion: '1.33' as const } };
      expect(await renderCommand({ clustersDir: await clustersDir([accepted]), out })).toBe(0);
    } finally {
      io.restore();
    }
  });

  it('refuses a fleet in which two clusters share a bucket, naming both, even when rendering one', async () => {
    const a = { ...spec('a-us-east-1'), storage: { bucket: 'acme-shared' } };
    const b = { ...spec('b-us-east-1'), storage: { bucket: 'acme-shared' } };
    const dir = await clustersDir([a, b]);
    const out = join(await mkdtemp(join(tmpdir(), 'gitops-out-')), 'rendered');
    const io = captureStderr();
    try {
      expect(await renderCommand({ clustersDir: dir, out, cluster: 'a-us-east-1' })).toBe(1);
      expect(io.text()).toContain('error: b-us-east-1: storage.bucket (acme-shared) is also the bucket of a-us-east-1: every cluster needs its own buckets');
    } finally {
      io.restore();
    }
  });

  it('refuses a cluster whose folder and name differ', async () => {
    const dir = await clustersDir([spec('a-us-east-1')]);
    const s = spec('other-name');
    await writeFile(join(dir, 'a-us-east-1', 'dist', 'cluster.js'), `export const cluster = ${JSON.stringify(s)};\n`);
    const io = captureStderr();
    try {
      expect(await renderCommand({ clustersDir: dir, out: join(dir, 'out') })).toBe(1);
      expect(io.text()).toContain('a-us-east-1: name ("other-name") must equal the folder name clusters/a-us-east-1');
    } finally {
      io.restore();
    }
  });

  it('RenderError lists problems', () => {
    expect(new RenderError(['a', 'b']).message).toBe('a\nb');
  });
});
