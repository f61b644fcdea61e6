#!/usr/bin/env node
// Writes schema/cluster-spec.schema.json from the declaration, and schema/cluster-spec.d.ts from
// that (run after the build: `pnpm --filter @milvus-gitops/spec schema`), formatted as prettier
// formats the repository.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { ClusterSpec } from '../dist/schema.js';
import { clusterSpecDts } from './cluster-spec-dts.mjs';
import { clusterSpecJsonSchema } from './json-schema.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here('../schema/cluster-spec.schema.json');
const schema = clusterSpecJsonSchema(ClusterSpec, await readFile(here('../src/schema.ts'), 'utf8'));
const options = (await prettier.resolveConfig(out)) ?? {};
await writeFile(out, await prettier.format(JSON.stringify(schema), { ...options, parser: 'json' }));
console.log(`wrote ${out}`);
const dts = here('../schema/cluster-spec.d.ts');
await writeFile(dts, await prettier.format(await clusterSpecDts(schema), { ...options, filepath: dts }));
console.log(`wrote ${dts}`);
