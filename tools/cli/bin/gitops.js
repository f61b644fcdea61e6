#!/usr/bin/env node
// Entry point of the `gitops` command; the implementation is compiled to dist/. The build also
// bundles it (dist/main.bundle.js, see tools/tsconfig/transpile.mjs): one file to load instead of
// some fifty, which is most of a small `validate`'s start. Without a bundle, the per-file output.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/main.bundle.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/main.js');

process.exitCode = await main(process.argv);
