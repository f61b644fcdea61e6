import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterPackageFiles, newCluster } from '../src/new-cluster.js';

const CLUSTERS = resolve(import.meta.dirname, '../../../clusters');

describe('new-cluster', () => {
  it("writes the package from the source cluster's file with the name replaced", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'new-cluster-'));
    await cp(join(CLUSTERS, 'prod-us-east-1'), join(dir, 'prod-us-east-1'), {
      recursive: true,
      filter: (p) => !p.includes('node_modules') && !p.includes('dist'),
    });
    const written = await newCluster({ clustersDir: dir, name: 'prod-eu-central-1', from: 'prod-us-east-1' });
    expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual(
      ['cluster.ts', 'package.json', 'tsconfig.json', 'turbo.json'].map((f) => `prod-eu-central-1/${f}`),
    );
    const ts = readFileSync(join(dir, 'prod-eu-central-1', 'cluster.ts'), 'utf8');
    expect(ts).toContain("name: 'prod-eu-central-1'");
    expect(ts).not.toContain('prod-us-east-1');
    const pkg = JSON.parse(readFileSync(join(dir, 'prod-eu-central-1', 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@milvus-gitops/cluster-prod-eu-central-1');
    expect(pkg.scripts.render).toBe(
      'tsc -p tsconfig.json --noEmit --incremental --tsBuildInfoFile node_modules/.cache/tsc/render.tsbuildinfo && node ../../tools/tsconfig/transpile.mjs && gitops render --cluster prod-eu-central-1',
    );
    // Nothing the registry must resolve: a new cluster links offline.
    expect(Object.values(pkg.devDependencies)).toEqual(['workspace:*', 'workspace:*', 'workspace:*']);
    expect(readFileSync(join(dir, 'prod-eu-central-1', 'turbo.json'), 'utf8')).toContain('$TURBO_ROOT$/rendered/prod-eu-central-1/**');
    // No staging folder is left behind.
    expect((await readdir(dir)).sort()).toEqual(['prod-eu-central-1', 'prod-us-east-1']);
  });

  it('refuses a bad name, an existing folder and an unknown source, writing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'new-cluster-'));
    await cp(join(CLUSTERS, 'dev-us-west-2', 'cluster.ts'), join(dir, 'dev-us-west-2', 'cluster.ts'));
    await expect(newCluster({ clustersDir: dir, name: 'Dev_2', from: 'dev-us-west-2' })).rejects.toThrow('new-cluster: "Dev_2" is not a cluster name');
    await expect(newCluster({ clustersDir: dir, name: 'dev-us-west-2', from: 'dev-us-west-2' })).rejects.toThrow(
      `new-cluster: ${join(dir, 'dev-us-west-2')} already exists`,
    );
    await expect(newCluster({ clustersDir: dir, name: 'qa-1', from: 'nope' })).rejects.toThrow('new-cluster: no cluster named nope');
    expect(existsSync(join(dir, 'qa-1'))).toBe(false);
    expect(await readdir(dir)).toEqual(['dev-us-west-2']);
  });

  it("keeps every cluster's package files what the command would write", async () => {
    const names = (await readdir(CLUSTERS, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const expected = clusterPackageFiles(name, '');
      for (const file of ['package.json', 'tsconfig.json', 'turbo.json']) {
        expect(readFileSync(join(CLUSTERS, name, file), 'utf8'), `clusters/${name}/${file}`).toBe(expected[file]);
      }
    }
  });
});
