// The README's claims table and replay chart are what the commands print today.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { APPS } from '../../src/apps.js';
import { renderCluster } from '../../src/render.js';
import { claimRow, formatClaimsMarkdown, formatReplaySvg, replayCluster } from '../../src/replay/index.js';
import { findRepoRoot, listClusters, loadClusterSpec } from '../../src/workspace.js';

const root = findRepoRoot(import.meta.dirname);

async function examples() {
  const out = [];
  for (const source of await listClusters(join(root, 'clusters'))) {
    const input = await loadClusterSpec(source);
    out.push({ spec: resolveClusterSpec(input), objects: renderCluster(input, APPS).files.map((f) => f.object) });
  }
  return out;
}

describe('README: capacity replay', () => {
  it('shows the claims table `gitops claims` prints', async () => {
    const table = formatClaimsMarkdown((await examples()).map((c) => claimRow(c.spec, c.objects)));
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(readme, 'run `pnpm -s gitops claims` and paste its table into the README').toContain(table);
  });

  it('shows the chart `gitops replay --cluster prod-us-east-1 --chart` writes', async () => {
    const prod = (await examples()).find((c) => c.spec.name === 'prod-us-east-1')!;
    const svg = formatReplaySvg(replayCluster(prod.spec, prod.objects, 'spike10x'));
    expect(
      await readFile(join(root, 'docs/replay/prod-us-east-1-spike10x.svg'), 'utf8'),
      'run `pnpm -s gitops replay --cluster prod-us-east-1 --chart docs/replay/prod-us-east-1-spike10x.svg`',
    ).toBe(svg);
  });
});
