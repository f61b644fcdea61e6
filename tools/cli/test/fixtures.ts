// Specs and helpers shared by the CLI tests.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterSpec } from '@milvus-gitops/spec';

export function spec(name = 'test-us-east-1'): ClusterSpec {
  return {
    name,
    environment: 'dev',
    // A VPC of its own per name: the fleet check refuses overlapping VPCs.
    aws: {
      accountId: '111122223333',
      region: 'us-east-1',
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      vpcCidr: `10.${[...name].reduce((n, c) => n + c.charCodeAt(0), 0) % 250}.0.0/16`,
    },
    kubernetes: { version: '1.33' },
    milvus: { version: '2.6.15' },
    nodes: { provisioner: 'karpenter' },
    gitops: { repositoryUrl: 'https://github.com/acme/gitops.git' },
  };
}

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
