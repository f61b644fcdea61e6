#!/usr/bin/env node
// The build: a per-file TypeScript -> ESM transpile with esbuild (no bundling, no type-check, no
// .d.ts) of each package folder given (default: the current one) into a fresh dist/ that mirrors
// its src/ (a cluster package: cluster.ts -> dist/cluster.js). One process transpiles every
// library (the root `transpile` task), so a cold build costs one node start, not one per package.
// Types come from the sources themselves (package.json `exports["."].types`); type errors are
// `pnpm typecheck`'s job (tsc --noEmit per package), and `pnpm test` runs it too.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const isSource = (e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts');

async function transpile(dir) {
  if (!statSync(dir).isDirectory()) return; // a glob such as tools/* also matches scripts
  const src = join(dir, 'src');
  const fromSrc = existsSync(src);
  const base = fromSrc ? src : dir;
  const entryPoints = readdirSync(base, { recursive: fromSrc, withFileTypes: true })
    .filter(isSource)
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
  if (entryPoints.length === 0) return;
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: join(dir, 'dist'),
    outbase: base,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['.'];
await Promise.all(dirs.map((d) => transpile(resolve(d))));
