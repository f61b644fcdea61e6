import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLUSTER_COUNT } from './clusters.js';
import { GITOPS, gitops, REPO, run } from './helpers.js';

const SCHEMAS = resolve(REPO, '..', 'shared', 'schemas');

describe('gitops validate', () => {
  it('validates every rendered cluster clean, then reports a broken file in the documented format with exit 1', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'validate-')), 'rendered');
    expect((await gitops('render', '--out', out, '--schemas', SCHEMAS)).code).toBe(0);
    const clean = await gitops('validate', out, '--schemas', SCHEMAS);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(new RegExp(`^validated [0-9]+ objects in ${CLUSTER_COUNT} clusters against .*: 0 failures \\([0-9.]+s\\)\\n$`));

    const file = join(out, 'prod-us-east-1', 'milvus', 'deployment-milvus-milvus-proxy.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: IfNotPresent\n          tty: "yes"'));
    const broken = await gitops('validate', out, '--schemas', SCHEMAS);
    expect(broken.code).toBe(1);
    expect(broken.stdout.split('\n')[0]).toBe(
      'prod-us-east-1/milvus/deployment-milvus-milvus-proxy.yaml: Deployment milvus/milvus-proxy: spec.template.spec.containers[0].tty: must be true or false',
    );
    expect(broken.stdout).toMatch(/: 1 failure \(/);
  });

  it('render validates before it swaps: output that fails is never written and the previous render stays', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'validate-')), 'rendered');
    expect((await gitops('render', '--out', out, '--schemas', SCHEMAS)).code).toBe(0);
    const before = await readFile(join(out, 'prod-us-east-1', 'node-pools', 'nodepool-query.yaml'), 'utf8');
    // A schema source without Karpenter's CRDs: every NodePool is now an object without a schema.
    const partial = await mkdtemp(join(tmpdir(), 'schemas-'));
    await cp(SCHEMAS, partial, { recursive: true });
    await rm(join(partial, 'crds', 'karpenter'), { recursive: true });
    const r = await gitops('render', '--out', out, '--schemas', partial);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: prod-us-east-1/node-pools/nodepool-query.yaml: NodePool query: apiVersion: no schema for karpenter.sh/v1 NodePool');
    expect(r.stderr).toMatch(/previous output in .* left untouched/);
    expect(await readFile(join(out, 'prod-us-east-1', 'node-pools', 'nodepool-query.yaml'), 'utf8')).toBe(before);
  });

  it('fails a cluster that would not come up: no metrics-server, an admin Secret nothing creates, a metric Milvus does not export', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'validate-')), 'rendered');
    expect((await gitops('render', '--out', out, '--schemas', SCHEMAS)).code).toBe(0);
    const controllers = join(out, 'prod-us-east-1', 'autoscaling-controllers');
    await rm(join(controllers, 'helmrelease-flux-system-metrics-server.yaml'));
    const stack = join(out, 'prod-us-east-1', 'monitoring', 'helmrelease-flux-system-kube-prometheus-stack.yaml');
    await writeFile(stack, (await readFile(stack, 'utf8')).replace('existingSecret: ""', 'existingSecret: grafana-admin'));
    const adapter = join(controllers, 'helmrelease-flux-system-prometheus-adapter.yaml');
    await writeFile(
      adapter,
      (await readFile(adapter, 'utf8')).replace('seriesQuery: milvus_querynode_read_task_ready_len{', 'seriesQuery: milvus_querynode_read_task_ready_length{'),
    );
    const r = await gitops('validate', out, '--schemas', SCHEMAS);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'HorizontalPodAutoscaler milvus/milvus-querynode: spec.metrics[0]: [metrics-served] Resource metric cpu needs metrics.k8s.io, which nothing serves: render metrics-server',
    );
    expect(r.stdout).toContain(
      'spec.values.grafana.admin.existingSecret: [references-exist] Secret monitoring/grafana-admin is neither rendered nor provided to this cluster',
    );
    expect(r.stdout).toContain(
      'spec.values.rules.custom[0].seriesQuery: [metrics-exist] milvus_querynode_read_task_ready_length is not exported by Milvus 2.6.15',
    );
    // The other clusters are untouched and pass.
    expect(r.stdout).not.toMatch(/^(dev-us-west-2|staging-eu-west-1)\//m);
  });

  it("keeps the command's compiled code per subcommand; a damaged entry is ignored and rewritten", async () => {
    const work = await mkdtemp(join(tmpdir(), 'validate-'));
    const cache = join(work, 'cache');
    const file = join(work, 'cm.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  a: b\n');
    const env = { ...process.env, GITOPS_CACHE_DIR: cache };
    const validate = () => run(process.execPath, [GITOPS, 'validate', file, '--schemas', SCHEMAS], REPO, env);
    const first = await validate();
    // A loose ConfigMap without the recommended labels: judged by the schemas and the policies.
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/\nvalidated 1 object 1 outside any cluster \(Kubernetes 1\.29\) against .*: 3 failures/);
    const entries = await readdir(join(cache, 'command'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^[0-9a-f]{40}-validate\.v8$/);
    const entry = join(cache, 'command', entries[0]!);
    expect((await stat(entry)).size).toBeGreaterThan(10_000);

    await writeFile(entry, 'not a code cache');
    const again = await validate();
    expect([again.code, again.stdout.replace(/\([0-9.]+s\)/, '')]).toEqual([first.code, first.stdout.replace(/\([0-9.]+s\)/, '')]);
    expect((await stat(entry)).size).toBeGreaterThan(10_000);
    // Without $GITOPS_CACHE_DIR, the validators' rule: $XDG_CACHE_HOME/milvus-gitops.
    const xdg = join(work, 'xdg');
    const { GITOPS_CACHE_DIR: _unset, ...rest } = env;
    await run(process.execPath, [GITOPS, 'validate', file, '--schemas', SCHEMAS], REPO, { ...rest, XDG_CACHE_HOME: xdg });
    expect(await readdir(join(xdg, 'milvus-gitops', 'command'))).toEqual(entries);
    // Exit statuses come through the launcher unchanged.
    await rm(file);
    expect((await validate()).code).toBe(2);
  });

  it("prunes the command's code cache to its 48 most recently used entries when it writes one", async () => {
    const work = await mkdtemp(join(tmpdir(), 'validate-prune-'));
    const folder = join(work, 'cache', 'command');
    await mkdir(folder, { recursive: true });
    // Sixty entries of older builds, a minute apart, and a temporary file a killed run left.
    const old = Array.from({ length: 60 }, (_, i) => `${String(i).padStart(40, '0')}-validate.v8`);
    for (const [i, name] of old.entries()) {
      await writeFile(join(folder, name), 'old');
      const when = new Date(Date.now() - (120 - i) * 60_000);
      await utimes(join(folder, name), when, when);
    }
    await writeFile(join(folder, 'x-validate.v8.123.tmp'), 'half');
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    await utimes(join(folder, 'x-validate.v8.123.tmp'), twoHoursAgo, twoHoursAgo);
    const file = join(work, 'cm.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    const r = await run(process.execPath, [GITOPS, 'validate', file, '--schemas', SCHEMAS], REPO, { ...process.env, GITOPS_CACHE_DIR: join(work, 'cache') });
    expect(r.code, r.stderr).toBe(1);
    const left = (await readdir(folder)).sort();
    expect(left).toHaveLength(48);
    // This build's entry and the 47 newest old ones stay; the 13 oldest and the stale temporary file go.
    expect(left.filter((e) => !old.includes(e))).toEqual([expect.stringMatching(/^[0-9a-f]{40}-validate\.v8$/)]);
    expect(left.filter((e) => old.includes(e))).toEqual(old.slice(13));
    // An entry a run uses is touched, so that pruning keeps what is used, not what was written last.
    const mine = join(
      folder,
      left.find((e) => !old.includes(e))!,
    );
    const yesterday = new Date(Date.now() - 86_400_000);
    await utimes(mine, yesterday, yesterday);
    const again = await run(process.execPath, [GITOPS, 'validate', file, '--schemas', SCHEMAS], REPO, {
      ...process.env,
      GITOPS_CACHE_DIR: join(work, 'cache'),
    });
    expect(again.code, again.stderr).toBe(1);
    expect((await stat(mine)).mtimeMs).toBeGreaterThan(Date.now() - 600_000);
  });

  it('renders through its own bundle with a code cache too; a damaged entry is ignored and rewritten, the output unchanged', async () => {
    const work = await mkdtemp(join(tmpdir(), 'render-cache-'));
    const cache = join(work, 'cache');
    const env = { ...process.env, GITOPS_CACHE_DIR: cache };
    const render = (out: string) => run(process.execPath, [GITOPS, 'render', '--cluster', 'dev-us-west-2', '--out', out, '--schemas', SCHEMAS], REPO, env);
    const first = await render(join(work, 'a'));
    expect(first.code, first.stderr).toBe(0);
    // The command's bundle, rendering's (dist/render-modules.bundle.cjs) and the ClusterSpec's
    // precompiled validator (libs/spec/dist/cluster-spec.validate.cjs), one entry each.
    const entries = (await readdir(join(cache, 'command'))).sort();
    expect(entries).toHaveLength(3);
    for (const e of entries) expect(e).toMatch(/^[0-9a-f]{40}-render\.v8$/);
    const sizes = await Promise.all(entries.map(async (e) => (await stat(join(cache, 'command', e))).size));
    const renderEntry = join(cache, 'command', entries[sizes.indexOf(Math.max(...sizes))]!);
    await writeFile(renderEntry, 'not a code cache');
    const again = await render(join(work, 'b'));
    expect(again.code, again.stderr).toBe(0);
    expect((await stat(renderEntry)).size).toBeGreaterThan(100_000);
    const files = (await readdir(join(work, 'a', 'dev-us-west-2'), { recursive: true })).sort();
    expect(files.length).toBeGreaterThan(20);
    expect((await readdir(join(work, 'b', 'dev-us-west-2'), { recursive: true })).sort()).toEqual(files);
    for (const f of files.filter((x) => x.endsWith('.yaml'))) {
      expect(await readFile(join(work, 'b', 'dev-us-west-2', f), 'utf8'), f).toBe(await readFile(join(work, 'a', 'dev-us-west-2', f), 'utf8'));
    }
  });

  it('exits 2 when there is nothing to validate', async () => {
    const r = await gitops('validate', join(tmpdir(), 'no-such-rendered-folder'), '--schemas', SCHEMAS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${join(tmpdir(), 'no-such-rendered-folder')}: no such file or folder`);
  });
});
