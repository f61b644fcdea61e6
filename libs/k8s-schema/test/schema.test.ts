import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { podTemplateCases } from './pod-template-cases.js';
import { evaluateRules, folderSource, rulesOnly, jsonPath, PINNED_FILES, pullPinnedFiles, SchemaValidator, upstreamSource } from '../src/index.js';

const MIRROR = resolve(import.meta.dirname, '../../../../shared/schemas');
const expectedFailures = JSON.parse(readFileSync(join(import.meta.dirname, 'pod-template-failures.json'), 'utf8')) as Record<string, unknown>;

describe('jsonPath', () => {
  it('turns JSON pointers into the paths people type', () => {
    expect(jsonPath('/spec/template/spec/containers/0/image')).toBe('spec.template.spec.containers[0].image');
    expect(jsonPath('/data', 'user.yaml')).toBe('data["user.yaml"]');
    expect(jsonPath('')).toBe('(object)');
  });
});

describe('SchemaValidator', () => {
  let v: SchemaValidator;
  beforeAll(async () => {
    v = await SchemaValidator.load(folderSource(MIRROR));
  });

  it('loads every Kubernetes version of the mirror', () => {
    expect(v.versions).toEqual(['1.29', '1.33']);
    expect(v.floor).toBe('1.29');
  });

  it('checks a cluster at the API floor and at its own version, or the nearest newer one the source has', () => {
    expect(v.versionsFor('1.33')).toEqual({ versions: ['1.29', '1.33'] });
    expect(v.versionsFor('1.29')).toEqual({ versions: ['1.29'] });
    expect(v.versionsFor('1.32')).toEqual({ versions: ['1.29', '1.33'], substitute: '1.33' });
  });

  it('accepts a minimal valid object and rejects unknown fields and wrong types', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: 'b' } };
    expect(v.validate(cm, '1.33')).toEqual([]);
    expect(v.validate({ ...cm, datta: {} }, '1.33')).toEqual([{ path: 'datta', message: 'unknown field' }]);
    expect(v.validate({ ...cm, metadata: { name: 1 } }, '1.33')).toEqual([{ path: 'metadata.name', message: 'must be a string' }]);
  });

  it('fails closed on a kind it has no schema for', () => {
    expect(v.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, '1.33')[0]!.message).toMatch(
      /^no schema for example\.com\/v1 Widget/,
    );
  });

  it('names both versions when an object is valid on one and not the other', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { trafficDistribution: 'PreferClose' } };
    expect(v.validate(svc, '1.33')).toEqual([{ path: 'spec.trafficDistribution', message: 'unknown field (invalid on Kubernetes 1.29, valid on 1.33)' }]);
  });
});

describe('pod templates', () => {
  let v: SchemaValidator;
  beforeAll(async () => {
    v = await SchemaValidator.load(folderSource(MIRROR), { cacheDir: false });
  });
  const cases = podTemplateCases();
  const byName = new Map(cases.map((c) => [c.name, c]));
  const failuresOf = (name: string) => {
    const c = byName.get(name)!;
    return v.validate(c.object, c.minor);
  };

  it('reports a pod template field at its place in each workload kind', () => {
    expect(failuresOf('Deployment imagePullPolicy a number @1.33')).toEqual([
      { path: 'spec.template.spec.containers[0].imagePullPolicy', message: 'must be a string' },
    ]);
    expect(failuresOf('StatefulSet unknown container field @1.29')).toEqual([{ path: 'spec.template.spec.containers[0].bogus', message: 'unknown field' }]);
    expect(failuresOf('CronJob imagePullPolicy a number @1.29')).toEqual([
      { path: 'spec.jobTemplate.spec.template.spec.containers[0].imagePullPolicy', message: 'must be a string' },
    ]);
    expect(failuresOf('PodTemplate template a string @1.33')).toEqual([{ path: 'template', message: 'must be an object' }]);
  });

  it("still catches problems outside the template, in their order among the template's", () => {
    expect(failuresOf('Deployment unknown field outside the template @1.33')).toEqual([{ path: 'spec.bogusOutside', message: 'unknown field' }]);
    expect(failuresOf('StatefulSet errors before, in and after the template @1.33').map((f) => f.path)).toEqual([
      'metadata.bogus',
      'spec.zzz',
      'spec.successfulJobsHistoryLimit',
      'spec.minReadySeconds',
      'spec.revisionHistoryLimit',
      'spec.template.metadata.annotations',
      'spec.template.spec.containers[0].imagePullPolicy',
      'spec.template.spec.containers[1].name',
      'spec.volumeClaimTemplates',
    ]);
  });

  it('names the versions a pod template field is valid on', () => {
    expect(failuresOf('CronJob pod-level resources (1.33 only) @1.33')).toEqual([
      { path: 'spec.jobTemplate.spec.template.spec.resources', message: 'unknown field (invalid on Kubernetes 1.29, valid on 1.33)' },
    ]);
    expect(failuresOf('Deployment pod-level resources (1.33 only) @1.29')).toEqual([{ path: 'spec.template.spec.resources', message: 'unknown field' }]);
  });

  it('reports of broken workloads are those of the validator that compiled each kind whole', () => {
    // pod-template-failures.json: written by the validator before kinds were compiled without their
    // pod templates (see pod-template-cases.ts).
    expect(Object.keys(expectedFailures)).toEqual(cases.map((c) => c.name));
    for (const c of cases) expect([c.name, v.validate(c.object, c.minor)]).toEqual([c.name, expectedFailures[c.name]]);
  });
});

describe('object metadata', () => {
  // ObjectMeta is checked by one validator per version wherever it occurs (validator.ts, Layout):
  // these are the reports the kinds compiled with ObjectMeta inlined gave.
  let v: SchemaValidator;
  beforeAll(async () => {
    v = await SchemaValidator.load(folderSource(MIRROR), { cacheDir: false });
  });
  const badMeta = { name: [], annotations: 5, bogus: 1 };
  const statefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 's', bogus: 1 },
    zzz: 1,
    spec: {
      zzz: 2,
      serviceName: 's',
      selector: { matchLabels: { app: 'a' } },
      template: { metadata: badMeta, spec: { containers: [{ name: 'c', image: 'i' }] } },
      volumeClaimTemplates: [{ metadata: badMeta, spec: { accessModes: ['ReadWriteOnce'] } }],
    },
  };

  it('reports metadata problems at the top, in a pod template and in a volume claim template at their places, in order', () => {
    expect(v.validate(statefulSet, '1.33')).toEqual([
      { path: 'zzz', message: 'unknown field' },
      { path: 'metadata.bogus', message: 'unknown field' },
      { path: 'spec.zzz', message: 'unknown field' },
      { path: 'spec.template.metadata.bogus', message: 'unknown field' },
      { path: 'spec.template.metadata.annotations', message: 'must be an object' },
      { path: 'spec.template.metadata.name', message: 'must be a string' },
      { path: 'spec.volumeClaimTemplates[0].metadata.bogus', message: 'unknown field' },
      { path: 'spec.volumeClaimTemplates[0].metadata.annotations', message: 'must be an object' },
      { path: 'spec.volumeClaimTemplates[0].metadata.name', message: 'must be a string' },
    ]);
    const ephemeral = { name: 'e', ephemeral: { volumeClaimTemplate: { metadata: { labels: { a: 2 } }, spec: { accessModes: ['ReadWriteOnce'] } } } };
    const withVolume = {
      ...statefulSet,
      spec: { ...statefulSet.spec, template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [ephemeral] } } },
    };
    expect(v.validate(withVolume, '1.29')).toContainEqual({
      path: 'spec.template.spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.labels.a',
      message: 'must be a string',
    });
    expect(v.validate({ ...statefulSet, metadata: 'x' }, '1.29')[1]).toEqual({ path: 'metadata', message: 'must be an object' });
  });

  it('checks the metadata of CRD objects as strictly as that of built-in kinds', () => {
    const nodePool = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: {
        name: 'p',
        creationTimestamp: 'x',
        ownerReferences: [{ kind: 1 }, 'x'],
        managedFields: [{ time: 'notatime', bogus: 1, fieldsV1: 3 }],
      },
      spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'x' }, requirements: [] } } },
    };
    expect(v.validate(nodePool, '1.33')).toEqual([
      { path: 'metadata.creationTimestamp', message: 'must be a valid date-time' },
      { path: 'metadata.managedFields[0].bogus', message: 'unknown field' },
      { path: 'metadata.managedFields[0].fieldsV1', message: 'must be an object' },
      { path: 'metadata.managedFields[0].time', message: 'must be a valid date-time' },
      { path: 'metadata.ownerReferences[0].apiVersion', message: 'required field is missing' },
      { path: 'metadata.ownerReferences[0].name', message: 'required field is missing' },
      { path: 'metadata.ownerReferences[0].uid', message: 'required field is missing' },
      { path: 'metadata.ownerReferences[0].kind', message: 'must be a string' },
      { path: 'metadata.ownerReferences[1]', message: 'must be an object' },
    ]);
    expect(v.validate({ ...nodePool, metadata: 'x' }, '1.33')).toEqual([{ path: 'metadata', message: 'must be an object' }]);
  });
});

describe('CEL rules', () => {
  it('evaluates rules at their node with self bound there, and skips transition rules', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [
            { rule: 'self.min <= self.max', message: 'min must not exceed max' },
            { rule: 'self.min == oldSelf.min', message: 'min is immutable' },
          ],
          properties: {
            min: { type: 'integer' },
            max: { type: 'integer' },
            name: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.find('^[a-z]+') == self", message: 'lowercase only' }] },
          },
        },
      },
    };
    expect(evaluateRules(schema, { spec: { min: 1, max: 2, name: 'abc' } })).toEqual([]);
    expect(evaluateRules(schema, { spec: { min: 3, max: 2, name: 'aB' } }).map((f) => [f.path, f.message])).toEqual([
      ['spec', 'min must not exceed max'],
      ['spec.name', 'lowercase only'],
    ]);
  });

  it('judges alike with the whole schema and with the part rulesOnly keeps', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            // No rules here: kept as {}, so `plain` is not judged as an additional property.
            plain: { type: 'string', description: 'dropped' },
            limits: {
              type: 'object',
              'x-kubernetes-validations': [{ rule: 'self.cpu < 100', message: 'at most 99 CPUs' }],
              properties: { cpu: { type: 'integer' } },
            },
          },
          additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != 'bad'", message: 'not bad' }] },
        },
        status: { type: 'object', properties: { n: { type: 'integer' } } },
      },
    };
    const kept = rulesOnly(schema);
    expect(kept.properties.status).toEqual({});
    expect(JSON.stringify(kept)).not.toContain('dropped');
    for (const value of [
      { spec: { plain: 'bad', limits: { cpu: 1 } } },
      { spec: { plain: 'x', limits: { cpu: 100 }, extra: 'bad' }, status: { n: 1 } },
      { spec: { extra: 'fine' } },
    ]) {
      expect(evaluateRules(kept, value)).toEqual(evaluateRules(schema, value));
    }
    expect(evaluateRules(kept, { spec: { plain: 'bad', limits: { cpu: 100 }, extra: 'bad' } }).map((f) => f.path)).toEqual(['spec.limits', 'spec.extra']);
  });
});

describe('upstream schema source', () => {
  let server: Server;
  let base: string;
  const served = new Map<string, Buffer>();
  beforeAll(async () => {
    for (const f of PINNED_FILES) {
      const path = new URL(f.url).pathname;
      served.set(path, await readFile(join(MIRROR, f.path)));
    }
    server = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      res.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('downloads the pinned files once, verifies their checksums and serves later reads from the cache', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'schemas-'));
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests += 1;
      return fetch(input, init);
    };
    const source = upstreamSource({ cacheDir, baseUrl: base, fetch: counting });
    const v = await SchemaValidator.load(source);
    expect(v.versions).toEqual(['1.29', '1.33']);
    const first = requests;
    expect(first).toBe(PINNED_FILES.length);
    await SchemaValidator.load(upstreamSource({ cacheDir, baseUrl: base, fetch: counting }));
    expect(requests).toBe(first);
  });

  it('pulls every pinned file into a mirror folder that a folder source then reads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mirror-'));
    expect(await pullPinnedFiles(dir, { cacheDir: await mkdtemp(join(tmpdir(), 'schemas-')), baseUrl: base })).toBe(PINNED_FILES.length);
    expect(existsSync(join(dir, 'crds/karpenter/karpenter.sh_nodepools.yaml'))).toBe(true);
    expect((await SchemaValidator.load(folderSource(dir))).versions).toEqual(['1.29', '1.33']);
  });

  it('says what it could not download, from where, and how to work offline', async () => {
    // A port on 127.0.0.1 that nothing listens on.
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const source = upstreamSource({ cacheDir: await mkdtemp(join(tmpdir(), 'schemas-')), baseUrl: `http://127.0.0.1:${port}` });
    await expect(source.kubernetesDefinitions('1.29')).rejects.toThrow(
      /cannot download http:\/\/127\.0\.0\.1:[0-9]+\/cdk8s-team\/cdk8s\/.*_definitions\.json \(ECONNREFUSED\), the schema kubernetes\/v1\.29\.0\/_definitions\.json \(pinned by SHA-256\): on a machine without network, copy a schema folder .* GITOPS_SCHEMAS/,
    );
  });

  it('refuses a file whose checksum is not the pinned one', async () => {
    const pinned = PINNED_FILES.find((f) => f.path.includes('v1.29.0'))!;
    served.set(new URL(pinned.url).pathname, Buffer.from('{"definitions":{}}'));
    const source = upstreamSource({ cacheDir: await mkdtemp(join(tmpdir(), 'schemas-')), baseUrl: base });
    await expect(source.kubernetesDefinitions('1.29')).rejects.toThrow(
      /has SHA-256 [0-9a-f]{64}, expected 522b38c0.*refusing a schema that is not the pinned one/,
    );
  });
});
