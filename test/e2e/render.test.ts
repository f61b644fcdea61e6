import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLUSTER_COUNT, EXAMPLES } from './clusters.js';
import { gitops, readTree, REPO } from './helpers.js';

const CLUSTERS = Object.keys(EXAMPLES);

async function tmp(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

describe('gitops render over the example clusters', () => {
  it('renders every cluster to byte-identical output twice and ends with a summary line', async () => {
    const a = join(await tmp('render-a-'), 'rendered');
    const b = join(await tmp('render-b-'), 'rendered');
    const first = await gitops('render', '--out', a);
    const second = await gitops('render', '--out', b);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.stdout.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^rendered ${CLUSTER_COUNT} clusters, [0-9]+ apps?, [0-9]+ objects in [0-9.]+s -> .*rendered$`),
    );
    const treeA = await readTree(a);
    expect(Object.keys(treeA).map((p) => p.split('/')[0])).toEqual(expect.arrayContaining(CLUSTERS));
    expect(await readTree(b)).toEqual(treeA);
  });

  it('configures S3 through IRSA on every cluster and the queue each spec chose', async () => {
    const out = join(await tmp('render-'), 'rendered');
    expect((await gitops('render', '--out', out)).code).toBe(0);
    const tree = await readTree(out);
    const userYaml = (cluster: string): Record<string, any> => parse(parse(tree[`${cluster}/milvus/configmap-milvus-milvus-config.yaml`]!).data['user.yaml']);
    expect(userYaml('prod-us-east-1').mq).toEqual({ type: 'woodpecker' });
    expect(userYaml('staging-eu-west-1').mq).toEqual({ type: 'kafka' });
    expect(userYaml('staging-eu-west-1').kafka.brokerList).toContain(':9092');
    for (const c of CLUSTERS) {
      expect(userYaml(c).minio).toMatchObject({ useIAM: true, cloudProvider: 'aws', useSSL: true, port: 443 });
      expect(JSON.stringify(userYaml(c))).not.toMatch(/accessKeyID|secretAccessKey/);
      const sa = parse(tree[`${c}/milvus/serviceaccount-milvus-milvus.yaml`]!);
      expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(new RegExp(`^arn:aws:iam::[0-9]{12}:role/${c}-milvus$`));
    }
  });

  it('exits 1 on a broken cluster spec and leaves the previous render in place', async () => {
    const clusters = await tmp('clusters-');
    for (const c of CLUSTERS)
      await cp(join(REPO, 'clusters', c), join(clusters, c), { recursive: true, preserveTimestamps: true, filter: (p) => !p.includes('node_modules') });
    const out = join(await tmp('render-'), 'rendered');
    expect((await gitops('render', '--clusters-dir', clusters, '--out', out)).code).toBe(0);
    const before = await readTree(out);

    // A reviewer's typo: max below min on the query nodes of one cluster.
    const compiled = join(clusters, 'prod-us-east-1', 'dist', 'cluster.js');
    await writeFile(compiled, (await readFile(compiled, 'utf8')).replace('maxReplicas: 20', 'maxReplicas: 1'));
    const broken = await gitops('render', '--clusters-dir', clusters, '--out', out);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('error: prod-us-east-1: milvus.queryNode.maxReplicas (1) must be >= minReplicas (8)');
    expect(await readTree(out)).toEqual(before);
  });
});
