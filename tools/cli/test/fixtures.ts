// Specs and helpers shared by the CLI tests.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';

/** A valid dev cluster named `name`, with a VPC of its own per name: the fleet check refuses overlapping VPCs. */
export const spec = (name = 'test-us-east-1'): ClusterSpec =>
  testClusterSpec({ name, environment: 'dev', aws: { vpcCidr: `10.${[...name].reduce((n, c) => n + c.charCodeAt(0), 0) % 250}.0.0/16` } });

/** A clusters/ folder with compiled cluster packages holding the given specs. */
export async function clustersDir(specs: readonly ClusterSpec[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gitops-clusters-'));
  for (const s of specs) {
    const pkg = join(dir, s.name);
    await mkdir(join(pkg, 'dist'), { recursive: true });
    await writeFile(join(pkg, 'cluster.ts'), `export const cluster = ${JSON.stringify(s)};\n`);
    await writeFile(join(pkg, 'dist', 'cluster.js'), `export const cluster = ${JSON.stringify(s)};\n`);
  }
  return dir;
}
