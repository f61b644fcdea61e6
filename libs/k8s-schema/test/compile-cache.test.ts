// The compile cache: validators compiled once per machine, loaded back with identical results,
// keyed by schema content, safe to damage or delete.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderSource, SchemaValidator, type SchemaFile, type SchemaSource } from '../src/index.js';

const MIRROR = resolve(import.meta.dirname, '../../../../shared/schemas');

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: 'b' } };
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'n' },
  spec: {
    selector: { matchLabels: { a: 'b' } },
    template: {
      metadata: { labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 'http' }], tty: 'yes', resources: { limits: { cpu: { n: 1 } } } }] },
    },
  },
};
const nodePool = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'p' },
  spec: {
    template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'x' }, requirements: [], expireAfter: 'soon' } },
    limits: { cpu: 'lots' },
  },
};
const objects = [cm, { ...cm, datta: 1 }, deployment, nodePool, { ...nodePool, spec: { ...nodePool.spec, weight: 500 } }];
const judge = (v: SchemaValidator) => objects.map((o) => v.validate(o, '1.33'));

describe('compile cache', () => {
  it('gives the same failures from cached code as from a fresh compile, and compiles nothing the second time', async () => {
    const fresh = judge(await SchemaValidator.load(folderSource(MIRROR), { cacheDir: false }));
    expect(fresh[2]!.length).toBeGreaterThan(2);
    const dir = await mkdtemp(join(tmpdir(), 'compile-cache-'));
    const first = await SchemaValidator.load(folderSource(MIRROR), { cacheDir: dir });
    expect(judge(first)).toEqual(fresh);
    first.saveCodeCache();
    const files = await readdir(join(dir, 'validators'));
    expect(files.filter((f) => f.endsWith('.cjs')).length).toBeGreaterThan(0);

    const second = await SchemaValidator.load(folderSource(MIRROR), { cacheDir: dir });
    expect(judge(second)).toEqual(fresh);
    second.saveCodeCache();
    expect(second.cache.stats.misses).toBe(0);
    // Nothing new was compiled; only V8 code caches for code loaded without one may be added.
    expect((await readdir(join(dir, 'validators'))).filter((f) => !files.includes(f) && !f.endsWith('.v8'))).toEqual([]);
  });

  it('recompiles a damaged or deleted entry and replaces it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compile-cache-'));
    const expected = judge(await SchemaValidator.load(folderSource(MIRROR), { cacheDir: dir }));
    const cjs = (await readdir(join(dir, 'validators'))).filter((f) => f.endsWith('.cjs'));
    for (const f of cjs.slice(0, 2)) await writeFile(join(dir, 'validators', f), 'module.exports = (((');
    for (const f of cjs.slice(2, 4)) await rm(join(dir, 'validators', f));
    const again = await SchemaValidator.load(folderSource(MIRROR), { cacheDir: dir });
    expect(judge(again)).toEqual(expected);
    for (const f of cjs.slice(0, 4)) expect(await readFile(join(dir, 'validators', f), 'utf8')).toMatch(/validate/);
    await rm(dir, { recursive: true });
    expect(judge(await SchemaValidator.load(folderSource(MIRROR), { cacheDir: dir }))).toEqual(expected);
  });

  it('keys compiled code by the schema content: a changed definition is never served from stale code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compile-cache-'));
    const v = await SchemaValidator.load(folderSource(MIRROR), { cacheDir: dir });
    expect(v.validate(cm, '1.29')).toEqual([]);
    // A mirror whose ConfigMap has no `data` field.
    const changed = await mkdtemp(join(tmpdir(), 'schemas-'));
    await cp(MIRROR, changed, { recursive: true });
    const file = join(changed, 'kubernetes', 'v1.29.0', '_definitions.json');
    const defs = JSON.parse(await readFile(file, 'utf8'));
    delete defs.definitions['io.k8s.api.core.v1.ConfigMap'].properties.data;
    await writeFile(file, JSON.stringify(defs));
    const w = await SchemaValidator.load(folderSource(changed), { cacheDir: dir });
    expect(w.validate(cm, '1.29')).toEqual([{ path: 'data', message: 'unknown field' }]);
  });

  it('reads no schema file when warm, and reads a file again once it is edited in place', async () => {
    const mirror = await mkdtemp(join(tmpdir(), 'schemas-'));
    await cp(MIRROR, mirror, { recursive: true });
    const dir = await mkdtemp(join(tmpdir(), 'compile-cache-'));
    const reads: string[] = [];
    const counted = (): SchemaSource => {
      const inner = folderSource(mirror);
      return {
        ...inner,
        files: async (versions) => {
          const f = await inner.files(versions);
          const count = (file: SchemaFile): SchemaFile => ({ identity: file.identity, read: () => (reads.push(file.identity), file.read()) });
          return { kubernetes: f.kubernetes.map(count), crds: f.crds.map(count) };
        },
      };
    };
    expect(judge(await SchemaValidator.load(counted(), { cacheDir: dir }))).toEqual(
      judge(await SchemaValidator.load(folderSource(MIRROR), { cacheDir: false })),
    );
    expect(reads.length).toBeGreaterThan(0);
    reads.length = 0;
    const warm = await SchemaValidator.load(counted(), { cacheDir: dir });
    judge(warm);
    expect(reads).toEqual([]);

    // The same path, new content: its identity changes, so it is read, hashed and compiled anew.
    const file = join(mirror, 'kubernetes', 'v1.29.0', '_definitions.json');
    const defs = JSON.parse(await readFile(file, 'utf8'));
    delete defs.definitions['io.k8s.api.core.v1.ConfigMap'].properties.data;
    await writeFile(file, JSON.stringify(defs));
    const edited = await SchemaValidator.load(counted(), { cacheDir: dir });
    expect(edited.validate(cm, '1.29')).toEqual([{ path: 'data', message: 'unknown field' }]);
    expect(reads.filter((r) => r.startsWith(file))).not.toEqual([]);
  });

  it('shares one compiled validator between versions whose definitions of a kind are identical', async () => {
    const v = await SchemaValidator.load(folderSource(MIRROR), { cacheDir: await mkdtemp(join(tmpdir(), 'compile-cache-')) });
    v.validate(cm, '1.33');
    // ConfigMap and ObjectMeta are the same in 1.29 and 1.33: one validator file each, run once per object.
    const cjs = (await readdir(v.cache.dir!)).filter((f) => f.endsWith('.cjs'));
    expect(cjs).toHaveLength(2);
  });

  it('compiles workloads without their pod templates and metadata: one PodTemplateSpec and one ObjectMeta validator per version serve them all', async () => {
    const v = await SchemaValidator.load(folderSource(MIRROR), { cacheDir: await mkdtemp(join(tmpdir(), 'compile-cache-')) });
    const template = deployment.spec.template;
    const statefulSet = { ...deployment, kind: 'StatefulSet', spec: { ...deployment.spec, serviceName: 's' } };
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: deployment.metadata,
      spec: { schedule: '@daily', jobTemplate: { spec: { template } } },
    };
    const failures = [deployment, statefulSet, cronJob].map((o) => v.validate(o, '1.29'));
    expect(failures[0]).toContainEqual({ path: 'spec.template.spec.containers[0].tty', message: 'must be true or false' });
    expect(failures[2]).toContainEqual({ path: 'spec.jobTemplate.spec.template.spec.containers[0].tty', message: 'must be true or false' });
    const sizes = await Promise.all(
      (await readdir(v.cache.dir!))
        .filter((f) => f.endsWith('.cjs') && !f.endsWith('-all.cjs'))
        .map(async (f) => (await readFile(join(v.cache.dir!, f))).length),
    );
    // Three kinds, one version: three small validators, the pod template's and the object metadata's.
    sizes.sort((a, b) => b - a);
    expect(sizes).toHaveLength(5);
    for (const size of sizes.slice(1)) expect(size * 3).toBeLessThan(sizes[0]!);
  });

  it('keys the shared pod template validator by its own definitions: a changed container definition is never served from stale code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compile-cache-'));
    const ok = { ...deployment, spec: { ...deployment.spec, template: { spec: { containers: [{ name: 'c', image: 'x:1', tty: true }] } } } };
    expect(await SchemaValidator.load(folderSource(MIRROR), { cacheDir: dir }).then((v) => v.validate(ok, '1.29'))).toEqual([]);
    const changed = await mkdtemp(join(tmpdir(), 'schemas-'));
    await cp(MIRROR, changed, { recursive: true });
    const file = join(changed, 'kubernetes', 'v1.29.0', '_definitions.json');
    const defs = JSON.parse(await readFile(file, 'utf8'));
    delete defs.definitions['io.k8s.api.core.v1.Container'].properties.tty;
    await writeFile(file, JSON.stringify(defs));
    const w = await SchemaValidator.load(folderSource(changed), { cacheDir: dir });
    expect(w.validate(ok, '1.29')).toEqual([{ path: 'spec.template.spec.containers[0].tty', message: 'unknown field' }]);
  });
});
