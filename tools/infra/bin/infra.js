#!/usr/bin/env node
// `pnpm infra synth [--cluster NAME]`: one Terraform stack per cluster under <repo>/cdktf.out/.
// `pnpm infra synth --bootstrap [--cluster NAME]`: instead, the bootstrap stack `bootstrap-<account>`
// of each account of those clusters (the Terraform state bucket `<account>-terraform-state`).
// `pnpm infra validate [--cluster NAME] [--mirror DIR] [--provider-version V]`: synthesizes, then
// runs `terraform init -backend=false` and `terraform validate` on each stack, offline, with the AWS
// provider from a local filesystem mirror (--mirror, else $TF_PROVIDER_MIRROR, else Terraform's
// implied mirror directories).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepoRoot, listClusters, loadClusterSpec } from '@milvus-gitops/workspace';
import { ClusterSpecError } from '@milvus-gitops/spec';
import { defaultMirror, synthBootstrapStacks, synthStacks, validateStacks } from '../dist/index.js';

const USAGE = `Usage: infra synth [--bootstrap] [--cluster NAME] [--out DIR]
       infra validate [--bootstrap] [--cluster NAME] [--out DIR] [--mirror DIR] [--provider-version V]

  synth       write one Terraform stack per cluster (with --bootstrap: the state bucket stack of each account)
  validate    synth, then terraform init -backend=false and terraform validate on each stack, offline

  --cluster NAME          only this cluster (default: every cluster under clusters/)
  --out DIR               where the stacks go (default: <repo>/cdktf.out)
  --mirror DIR            the AWS provider's filesystem mirror (default: $TF_PROVIDER_MIRROR, then Terraform's mirror folders)
  --provider-version V    validate against this mirrored provider version (default: the one the bindings pin)
  -h, --help              this text
`;
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      bootstrap: { type: 'boolean' },
      cluster: { type: 'string' },
      out: { type: 'string' },
      mirror: { type: 'string' },
      'provider-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (e) {
  process.stderr.write(`error: ${e.message.split('.')[0]}\n\n${USAGE}`);
  process.exit(2);
}
const { positionals, values } = parsed;
const command = positionals[0];
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (command !== 'synth' && command !== 'validate') {
  process.stderr.write(USAGE);
  process.exit(2);
}
const root = findRepoRoot(process.cwd());
const started = performance.now();
try {
  const sources = (await listClusters(join(root, 'clusters'))).filter((s) => !values.cluster || s.folder === values.cluster);
  if (sources.length === 0) throw new Error(`no cluster named ${values.cluster}`);
  const specs = await Promise.all(sources.map(loadClusterSpec));
  const outdir = values.out ?? join(root, 'cdktf.out');
  const files = (values.bootstrap ? synthBootstrapStacks : synthStacks)(specs, outdir);
  for (const [stack, file] of Object.entries(files)) process.stdout.write(`${stack}: ${file}\n`);
  process.stdout.write(`synthesized ${specs.length} stack(s) in ${((performance.now() - started) / 1000).toFixed(1)}s -> ${outdir}\n`);
  if (command === 'validate') {
    const mirror = values.mirror ?? defaultMirror();
    if (!mirror)
      throw new Error(
        'no provider mirror: pass --mirror DIR or set TF_PROVIDER_MIRROR (a folder holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/)',
      );
    const results = await validateStacks(files, { mirror, providerVersion: values['provider-version'] });
    for (const r of results) {
      process.stdout.write(`${r.cluster}: terraform validate (hashicorp/aws ${r.providerVersion}) ${r.ok ? 'ok' : 'FAILED'}\n`);
      if (!r.ok) process.stdout.write(`${r.output.trim().replace(/^/gm, '  ')}\n`);
    }
    const failed = results.filter((r) => !r.ok).length;
    process.stdout.write(`validated ${results.length} stack(s): ${failed} failed\n`);
    if (failed > 0) process.exit(1);
  }
} catch (e) {
  process.stderr.write(`error: ${e instanceof ClusterSpecError ? e.problems.join('\n  ') : e.message}\n`);
  process.exit(1);
}
