// `gitops validate` on the inputs people write: multi-document files, List kinds, JSON, odd folder
// layouts, standard input; and every way input can be unreadable, each with its message and exit 2.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GITOPS, gitops, REPO, type Run } from './helpers.js';

const SCHEMAS = resolve(REPO, '..', 'shared', 'schemas');

/** Runs `gitops validate` with `args`, feeding `stdin` to its standard input. */
function validate(args: string[], stdin?: string): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [GITOPS, 'validate', '--schemas', SCHEMAS, ...args], { cwd: REPO, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

const labels = {
  'app.kubernetes.io/name': 'web',
  'app.kubernetes.io/instance': 'web',
  'app.kubernetes.io/part-of': 'web',
  'app.kubernetes.io/managed-by': 'kubectl',
};
const configMap = (name: string, extra = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: default
  labels: ${JSON.stringify(labels)}
data:
  key: value${extra}
`;

async function scratch(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'validate-inputs-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('gitops validate reads every document of every file', () => {
  it('validates each document of a multi-document file and names the failing one by its line', async () => {
    const dir = await scratch({ 'all.yaml': `---\n${configMap('one')}---\n# a comment\n${configMap('two', '\n  other: 3')}---\n` });
    const r = await validate([join(dir, 'all.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'all.yaml')}:12: ConfigMap default/two: data.other: must be a string`);
    expect(r.stdout).toMatch(/^validated 2 objects 2 outside any cluster \(Kubernetes 1\.29\) against .*: 1 failure/m);
  });

  it('reads YAML as Kubernetes does: a date-like value is a string, merge keys merge, yes is true', async () => {
    const dir = await scratch({
      'dated.yaml': `${configMap('dated', '\n  since: 2024-01-01\n  at: 2024-01-01T10:00:00Z')}immutable: yes
---
${configMap('merged').replace('data:\n  key: value', 'data:\n  <<: {merged: "yes"}\n  key: value')}`,
    });
    const r = await validate([join(dir, 'dated.yaml')]);
    expect([r.code, r.stdout]).toEqual([0, expect.stringMatching(/^validated 2 objects 2 outside any cluster .*: 0 failures/)]);
    // Unquoted, `on` is a boolean to Kubernetes, not a ConfigMap value; and so is the key `n`.
    const onOff = await scratch({ 'on.yaml': configMap('switch', '\n  enabled: on\n  n: "1"') });
    const o = await validate([join(onOff, 'on.yaml')]);
    expect(o.stdout).toContain(`${join(onOff, 'on.yaml')}: ConfigMap default/switch: data.enabled: must be a string`);
    expect(o.stdout).not.toContain('data.n:');
    // A merged key is a key like any other: a number merged in is still judged.
    const bad = await scratch({ 'bad.yaml': configMap('merged').replace('data:\n  key: value', 'data:\n  <<: {merged: 3}\n  key: value') });
    const b = await validate([join(bad, 'bad.yaml')]);
    expect(b.stdout).toContain(`${join(bad, 'bad.yaml')}: ConfigMap default/merged: data.merged: must be a string`);
  });

  it('expands List kinds into their items and reads JSON files', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', labels }, data: { k: 'v' } })),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default', labels }, data: { k: 1 } },
      ],
    };
    const dir = await scratch({ 'list.json': JSON.stringify(list, null, 2) });
    const r = await validate([join(dir, 'list.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'list.json')} items[1]: ConfigMap default/b: data.k: must be a string`);
    expect(r.stdout).toMatch(/validated 2 objects 2 outside any cluster/);
  });

  it('walks folders of any layout, skipping hidden folders, and judges loose objects as one set by every policy', async () => {
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: default
  labels: ${JSON.stringify(labels)}
spec:
  minReplicas: 5
  maxReplicas: 2
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
`;
    const dir = await scratch({
      'manifests/base/hpa.yml': hpa,
      'manifests/extra/deep/cm.yaml': configMap('cm'),
      'manifests/.git/ignored.yaml': 'not: [valid',
      'manifests/README.md': '# not a manifest',
    });
    const r = await validate([join(dir, 'manifests')]);
    expect(r.code).toBe(1);
    // autoscaler-targets is a cluster-scope policy: it runs on loose files too.
    expect(r.stdout).toContain('base/hpa.yml: HorizontalPodAutoscaler default/web: spec.minReplicas: [autoscaler-targets] minimum (5) is above maximum (2)');
    expect(r.stdout).toContain('[autoscaler-targets] targets Deployment default/web, which this cluster does not render');
    expect(r.stdout).toMatch(/validated 2 objects 2 outside any cluster \(Kubernetes 1\.29\)/);
  });

  it('follows linked folders, each folder once: a link back up the tree is no loop', async () => {
    const dir = await scratch({ 'manifests/a/cm.yaml': configMap('cm') });
    await symlink('..', join(dir, 'manifests/a/up')); // manifests/a/up/a/up/... would never end
    await symlink(join(dir, 'manifests/a'), join(dir, 'manifests/alias'));
    const r = await validate([join(dir, 'manifests')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^validated 1 object 1 outside any cluster \(Kubernetes 1\.29\) against .*: 0 failures/);
    expect(r.code).toBe(0);
  });

  it('reads a folder given twice, or again through a link, once', async () => {
    const dir = await scratch({ 'manifests/cm.yaml': configMap('cm') });
    await symlink(join(dir, 'manifests'), join(dir, 'again'));
    const r = await validate([join(dir, 'manifests'), join(dir, 'manifests'), join(dir, 'again'), join(dir, 'manifests/cm.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^validated 1 object 1 outside any cluster .*: 0 failures/);
    expect(r.code).toBe(0);
  });

  it('places a folder linked to a cluster folder in that cluster', async () => {
    const dir = await scratch({ 'out/dev-us-west-2/web/cm.yaml': configMap('cm') });
    await symlink(join(dir, 'out/dev-us-west-2'), join(dir, 'current'));
    const linked = await validate([join(dir, 'current')]);
    expect(linked.stdout).toMatch(/validated 1 object in 1 cluster against/);
    const file = await validate([join(dir, 'current/web/cm.yaml')]);
    expect(file.stdout).toMatch(/validated 1 object in 1 cluster against/);
  });

  it('exits 2 naming each folder it cannot read or look into, and still judges the rest', async () => {
    const dir = await scratch({ 'tree/ok/cm.yaml': configMap('ok'), 'tree/locked/cm.yaml': configMap('locked'), 'tree/listed/sub/cm.yaml': configMap('sub') });
    await chmod(join(dir, 'tree/locked'), 0o000);
    await chmod(join(dir, 'tree/listed'), 0o644); // its entries can be listed, not looked at
    // root reads any folder: as root the command runs without the capabilities that let it
    // (util-linux's setpriv), as itself otherwise.
    const asRoot = process.getuid?.() === 0;
    const r = await new Promise<Run>((done) => {
      const argv = [process.execPath, GITOPS, 'validate', '--schemas', SCHEMAS, join(dir, 'tree')];
      const [cmd, ...args] = asRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-all', ...argv] : argv;
      execFile(cmd!, args, { cwd: REPO }, (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    });
    expect(r.stderr).toContain(`error: ${join(dir, 'tree')}/locked: cannot read this folder (EACCES)`);
    expect(r.stderr).toContain(`error: ${join(dir, 'tree')}/listed/sub: cannot read this folder (EACCES)`);
    expect(r.stdout).toMatch(/validated 1 object 1 outside any cluster .*: 0 failures, 2 unreadable inputs/);
    expect(r.code).toBe(2);
  });

  it('reads standard input as "-"', async () => {
    const r = await validate(['-'], configMap('from-stdin', '\n  count: 1'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(stdin): ConfigMap default/from-stdin: data.count: must be a string');
    const clean = await validate(['-'], configMap('from-stdin'));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^validated 1 object 1 outside any cluster \(Kubernetes 1\.29\) against .*: 0 failures/);
  });

  it('judges objects at --kube-version and refuses a version it has no schemas for', async () => {
    const dir = await scratch({ 'cm.yaml': configMap('cm') });
    expect((await validate([join(dir, 'cm.yaml'), '--kube-version', '1.33'])).stdout).toMatch(/outside any cluster \(Kubernetes 1\.33\)/);
    const r = await validate([join(dir, 'cm.yaml'), '--kube-version', '1.27']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no Kubernetes 1.27 schemas in');
  });
});

describe('gitops validate never passes what it did not read', () => {
  const cases: [string, Record<string, string>, (dir: string) => string[], string][] = [
    [
      'malformed YAML, with the parser line and column',
      { 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n' },
      (d) => [join(d, 'bad.yaml')],
      'bad.yaml:5:1: not valid YAML: unexpected end of the stream within a flow collection',
    ],
    [
      'a duplicated key',
      { 'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\n' },
      (d) => [join(d, 'dup.yaml')],
      'dup.yaml:3:1: not valid YAML: duplicated mapping key',
    ],
    ['an empty file', { 'empty.yaml': '' }, (d) => [join(d, 'empty.yaml')], 'empty.yaml: empty: no YAML document (nothing to validate)'],
    [
      'a file of comments and separators only',
      { 'c.yaml': '# nothing\n---\n---\n' },
      (d) => [join(d, 'c.yaml')],
      'c.yaml: no object: every document is empty or an empty List',
    ],
    ['a path that does not exist', {}, (d) => [join(d, 'missing')], 'missing: no such file or folder'],
    [
      'a folder with no manifest',
      { 'docs/README.md': '# hi' },
      (d) => [join(d, 'docs')],
      'docs: no .yaml, .yml or .json file in this folder (nothing to validate)',
    ],
  ];
  for (const [what, files, args, message] of cases) {
    it(`exits 2 on ${what}`, async () => {
      const dir = await scratch(files);
      const r = await validate(args(dir));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    });
  }

  it('exits 2 on empty standard input, and when one of several inputs is unreadable while the rest pass', async () => {
    const empty = await validate(['-'], '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error: (stdin): empty: no YAML document (nothing to validate)');
    const dir = await scratch({ 'good.yaml': configMap('good'), 'bad.yaml': 'a: [' });
    const mixed = await validate([join(dir, 'good.yaml'), join(dir, 'bad.yaml')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stdout).toMatch(/validated 1 object .*: 0 failures, 1 unreadable input/);
  });

  it('says so when rendered/ is missing', async () => {
    const r = await gitops('validate', '--schemas', SCHEMAS, join(tmpdir(), 'no-such-rendered-folder'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-rendered-folder: no such file or folder/);
  });
});
