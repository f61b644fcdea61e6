#!/usr/bin/env node
// Writes the ClusterSpec validator, precompiled by ajv, into dist/ beside structure.js (run by the
// build after the transpile: package.json `generate`). Written to a temporary file and renamed, so
// a concurrent reader sees the old file or the new one.
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PRECOMPILED_VALIDATOR, precompiledValidatorCode } from '../dist/structure.js';

const out = fileURLToPath(new URL(`../dist/${PRECOMPILED_VALIDATOR}`, import.meta.url));
writeFileSync(`${out}.${process.pid}.tmp`, precompiledValidatorCode());
renameSync(`${out}.${process.pid}.tmp`, out);
