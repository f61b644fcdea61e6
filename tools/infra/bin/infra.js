#!/usr/bin/env node
// `pnpm infra synth [--cluster NAME]`: one Terraform stack per cluster under <repo>/cdktf.out/.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepoRoot, listClusters, loadClusterSpec } from '@milvus-gitops/cli';
import { ClusterSpecError } from '@milvus-gitops/spec';
import { synthStacks } from '../dist/index.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { cluster: { type: 'string' }, out: { type: 'string' } } });
if (positionals[0] !== 'synth') {
  process.stderr.write('usage: infra synth [--cluster NAME] [--out DIR]\n');
  process.exit(2);
}
const root = findRepoRoot(process.cwd());
const started = performance.now();
try {
  const sources = (await listClusters(join(root, 'clusters'))).filter((s) => !values.cluster || s.folder === values.cluster);
  if (sources.length === 0) throw new Error(`no cluster named ${values.cluster}`);
  const specs = await Promise.all(sources.map(loadClusterSpec));
  const outdir = values.out ?? join(root, 'cdktf.out');
  const files = synthStacks(specs, outdir);
  for (const [cluster, file] of Object.entries(files)) process.stdout.write(`${cluster}: ${file}\n`);
  process.stdout.write(`synthesized ${specs.length} stack(s) in ${((performance.now() - started) / 1000).toFixed(1)}s -> ${outdir}\n`);
} catch (e) {
  process.stderr.write(`error: ${e instanceof ClusterSpecError ? e.problems.join('\n  ') : e.message}\n`);
  process.exit(1);
}
