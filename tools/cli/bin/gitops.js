#!/usr/bin/env node
// Entry point of the `gitops` command; the implementation is compiled to dist/. The build also
// bundles it into one CommonJS file (dist/main.bundle.cjs, see tools/tsconfig/transpile.mjs), which
// this launcher compiles with V8's code cache: Node 20 has no compile cache for modules, and
// compiling the command's functions again on every run is a good part of a small `validate`.
// The cache entry is named by the hash of the bundle, V8's version and the subcommand (each
// command compiles different functions), lives beside the validators' compile cache
// ($GITOPS_CACHE_DIR, else $XDG_CACHE_HOME/milvus-gitops, else ~/.cache/milvus-gitops: the rule of
// defaultCacheDir in libs/k8s-schema, written out here because it applies before any module is
// loaded), is written after the command ran (so that the functions it compiled lazily are in it)
// to a temporary file renamed into place, and is only an optimisation: a missing, damaged or
// foreign entry is ignored and rewritten.
// Without a bundle (a build that skipped it), the per-file output.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/main.bundle.cjs', import.meta.url));
let code;
try {
  code = readFileSync(bundle, 'utf8');
} catch {
  code = undefined;
}
if (code === undefined) {
  const { main } = await import('../dist/main.js');
  process.exitCode = await main(process.argv);
} else {
  const dir = join(process.env.GITOPS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'milvus-gitops'), 'command');
  const command = /^[a-z][a-z0-9-]*$/.test(process.argv[2] ?? '') ? process.argv[2] : 'none';
  const entry = join(dir, `${createHash('sha1').update(code).update(process.versions.v8).update(process.arch).digest('hex')}-${command}.v8`);
  let cachedData;
  try {
    cachedData = readFileSync(entry);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __launcherImport) {${code}\n})`, {
    filename: bundle,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle), (specifier) => import(specifier));
  process.exitCode = await module.exports.main(process.argv);
  if (cachedData === undefined || script.cachedDataRejected) {
    const tmp = `${entry}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, entry);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}
