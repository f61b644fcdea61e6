// Synthesizes one stack per cluster into cdktf.out/stacks/<cluster>/cdk.tf.json. No Terraform
// binary is needed to synthesize; `cdktf deploy` or `terraform apply` in that folder applies it.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { App } from 'cdktf';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { BootstrapStack, bootstrapStackId, bootstrapTargets } from './bootstrap.js';
import { ClusterStack } from './stack.js';

/** Synthesizes the stacks of `specs` into `outdir`; returns the stack file of each cluster. */
export function synthStacks(specs: readonly ClusterSpec[], outdir: string): Record<string, string> {
  const app = new App({ outdir, skipValidation: false });
  const files: Record<string, string> = {};
  for (const input of specs) {
    const spec = resolveClusterSpec(input);
    new ClusterStack(app, spec.name, { spec });
    files[spec.name] = join(outdir, 'stacks', spec.name, 'cdk.tf.json');
  }
  app.synth();
  return files;
}

/**
 * Synthesizes the bootstrap stack of each account of `specs` (the Terraform state bucket) into
 * `outdir`; returns the stack file of each, by stack id `bootstrap-<account>`.
 */
export function synthBootstrapStacks(specs: readonly ClusterSpec[], outdir: string): Record<string, string> {
  const app = new App({ outdir, skipValidation: false });
  const files: Record<string, string> = {};
  for (const target of bootstrapTargets(specs.map((s) => resolveClusterSpec(s)))) {
    const id = bootstrapStackId(target.accountId);
    new BootstrapStack(app, id, target);
    files[id] = join(outdir, 'stacks', id, 'cdk.tf.json');
  }
  app.synth();
  return files;
}

/** Reads a synthesized stack. */
export async function readStack(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}
