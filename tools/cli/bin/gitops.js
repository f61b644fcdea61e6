#!/usr/bin/env node
// Entry point of the `gitops` command; the implementation is compiled to dist/. The build also
// bundles it into one CommonJS file (dist/main.bundle.cjs, see tools/tsconfig/transpile.mjs), which
// this launcher compiles with V8's code cache: Node 20 has no compile cache for modules (22's
// module.enableCompileCache would still resolve and read some fifty files), and
// compiling the command's functions again on every run is a good part of a small `validate`.
// The cache entry is named by the hash of the bundle, V8's version and the subcommand (each
// command compiles different functions), lives beside the validators' compile cache
// ($GITOPS_CACHE_DIR, else $XDG_CACHE_HOME/milvus-gitops, else ~/.cache/milvus-gitops: the rule of
// defaultCacheDir in libs/k8s-schema, written out here because it applies before any module is
// loaded), is written after the command ran (so that the functions it compiled lazily are in it)
// to a temporary file renamed into place (which prunes the folder to its most recently used
// entries), and is only an optimisation: a missing, damaged or foreign entry is ignored and
// rewritten. Other CommonJS files the command loads come through the same loader
// (`globalThis.__gitopsLoadCommonJs`): rendering's bundle (dist/render-modules.bundle.cjs) and the
// ClusterSpec's precompiled validator (libs/spec/dist/cluster-spec.validate.cjs).
// Without a bundle (a build that skipped it), the per-file output.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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
/**
 * Entries of the command folder kept when a new one is written: the most recently used (an entry
 * is touched when a run uses it). One build writes an entry per CommonJS file and subcommand it
 * runs (the command's bundle, rendering's, the ClusterSpec validator; about two dozen), so this
 * keeps what the current build and the one before use and drops what older builds wrote, which
 * nothing reads again. A temporary file a killed run left behind goes after an hour.
 */
const KEEP_ENTRIES = 48;
function prune(dir) {
  const now = Date.now();
  const entries = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return; // pruning is housekeeping: a folder that cannot be read is pruned another time
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const { mtimeMs } = statSync(path);
      if (name.endsWith('.v8')) entries.push({ path, mtimeMs });
      else if (name.endsWith('.tmp') && now - mtimeMs > 3_600_000) rmSync(path, { force: true });
    } catch {
      // Gone meanwhile: another run pruned or replaced it.
    }
  }
  entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { path } of entries.slice(KEEP_ENTRIES)) rmSync(path, { force: true });
}

if (code === undefined) {
  const { main } = await import('../dist/main.js');
  process.exitCode = await main(process.argv);
} else {
  const dir = join(process.env.GITOPS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'milvus-gitops'), 'command');
  const command = /^[a-z][a-z0-9-]*$/.test(process.argv[2] ?? '') ? process.argv[2] : 'none';
  /** Bundles compiled in this run, whose code cache is written once the command has run. */
  const loaded = [];
  const importer = (specifier) => import(specifier);
  /** Compiles a CommonJS bundle with its code cache (one entry per bundle, V8 and subcommand) and runs it; returns its exports. */
  const loadBundle = (file, text = readFileSync(file, 'utf8')) => {
    const entry = join(dir, `${createHash('sha1').update(text).update(process.versions.v8).update(process.arch).digest('hex')}-${command}.v8`);
    let cachedData;
    try {
      cachedData = readFileSync(entry);
    } catch {
      cachedData = undefined;
    }
    const script = new Script(`(function (exports, require, module, __filename, __dirname, __launcherImport) {${text}\n})`, { filename: file, cachedData });
    const module = { exports: {} };
    script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), importer);
    if (cachedData === undefined || script.cachedDataRejected) loaded.push({ script, entry });
    else {
      try {
        const now = new Date();
        utimesSync(entry, now, now); // used: pruning keeps the most recently used entries
      } catch {
        // A read-only cache is still a cache.
      }
    }
    return module.exports;
  };
  // What the command loads later (rendering's bundle, the ClusterSpec validator) comes through here too.
  globalThis.__gitopsLoadCommonJs = (file) => loadBundle(file);
  process.exitCode = await loadBundle(bundle, code).main(process.argv);
  for (const { script, entry } of loaded) {
    const tmp = `${entry}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, entry);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
  if (loaded.length > 0) prune(dir);
}
// main() resolves once the command's work is done (every action awaits all of it: see main.ts), so
// leave now rather than wait for V8 to tear the heap down and wind up its background compile and
// GC jobs (~20 ms of a short command); only when nothing is still buffered for stdout or stderr
// (pipes are asynchronous on macOS).
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
