#!/usr/bin/env node
// The build: a per-file TypeScript -> ESM transpile with esbuild (no bundling, no type-check, no
// .d.ts) of each package folder given (default: the current one) into a fresh dist/ that mirrors
// its src/ (a cluster package: cluster.ts -> dist/cluster.js). One process transpiles every
// library (the root `transpile` task), so a cold build costs one node start, not one per package.
// Types come from the sources themselves (package.json `exports["."].types`); type errors are
// `pnpm typecheck`'s job (tsc --noEmit per package), and `pnpm test` runs it too.
//
// A package may also name entry points to bundle (package.json `"bundle": ["dist/main.js"]`): after
// every package given is transpiled, each entry is bundled with what it imports statically (the
// workspace libraries' dist/ and their dependencies) into `<entry>.bundle.js` beside it, so that a
// command starts by loading one file instead of resolving and reading dozens. Dynamic imports stay
// as they are (the files beside the bundle, loaded on demand), and `import.meta.url` keeps meaning
// the bundled file's own location, so `createRequire` finds that package's dependencies (ajv's
// runtime, which compiled validators require) and relative URLs such as worker files still resolve.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * Bundles the entries a package names (see above); run after the packages they import are
 * transpiled. The bundle is CommonJS (`<entry>.bundle.cjs`) so that the command's launcher can
 * compile it with V8's code cache (node:vm, which Node 20 offers for scripts, not for ES modules);
 * `import.meta.url` becomes the URL of the file the code came from, computed from the bundle's own
 * location, and dynamic imports stay dynamic imports of the files beside it.
 */
async function bundle(dir) {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return;
  const entries = JSON.parse(readFileSync(pkg, 'utf8')).bundle ?? [];
  await Promise.all(
    entries.map(async (entry) => {
      const outfile = join(dir, entry.replace(/\.js$/, '.bundle.cjs'));
      const outdir = dirname(outfile);
      await build({
        entryPoints: [join(dir, entry)],
        outfile,
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        logLevel: 'warning',
        // Dynamic imports go through the launcher's import (a script compiled by node:vm with a
        // code cache loses its own import callback); run any other way, the bundle's own.
        banner: {
          js: [
            "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;",
            "const __bundleImport = typeof __launcherImport === 'function' ? __launcherImport : (specifier) => import(specifier);",
          ].join('\n'),
        },
        plugins: [
          {
            name: 'lazy-and-located',
            setup(b) {
              b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
              b.onLoad({ filter: /\.m?js$/ }, async (args) => {
                const text = await readFile(args.path, 'utf8');
                if (!text.includes('import.meta.url') && !/\bimport\(/.test(text)) return undefined;
                const rel = relative(outdir, args.path).split('\\').join('/');
                const here = `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, __bundleUrl).href`;
                // Relative dynamic imports resolve from the file they were written in, not the bundle.
                const contents = text
                  .replaceAll('import.meta.url', here)
                  .replace(/\bimport\((['"])(\.{1,2}\/[^'"]+)\1\)/g, (_, q, spec) => `import(new URL(${q}${spec}${q}, ${here}).href)`)
                  .replace(/(?<![\w$.])import\(/g, '__bundleImport(');
                return { contents, loader: 'js', resolveDir: dirname(args.path) };
              });
            },
          },
        ],
      });
    }),
  );
}

/**
 * Runs the scripts a package names to generate build output (package.json `"generate"`, e.g. a
 * validator precompiled from the package's own transpiled code), after every package given is
 * transpiled and before any bundle is made.
 */
async function generate(dir) {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return;
  for (const script of JSON.parse(readFileSync(pkg, 'utf8')).generate ?? []) await import(pathToFileURL(join(dir, script)).href);
}

const dirs = (process.argv.length > 2 ? process.argv.slice(2) : ['.']).map((d) => resolve(d));
await Promise.all(dirs.map((d) => transpile(d)));
for (const d of dirs) await generate(d);
await Promise.all(dirs.map((d) => bundle(d)));
