// The published JSON Schema (schema/cluster-spec.schema.json): equal to what the declaration
// generates (so it cannot drift), documented from the declaration's doc comments, and accepting the
// repository's example clusters as ajv reads it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import prettier from 'prettier';
import { clusterSpecDts } from '../scripts/cluster-spec-dts.mjs';
import { clusterSpecJsonSchema, schemaDocs } from '../scripts/json-schema.mjs';
import { validateClusterSpec } from '../src/index.js';
import { ClusterSpec as Declaration } from '../src/schema.js';
import { EXAMPLES as examples } from './examples.js';

const here = (p: string) => new URL(p, import.meta.url);
const declarationText = readFileSync(here('../src/schema.ts'), 'utf8');
const published = JSON.parse(readFileSync(here('../schema/cluster-spec.schema.json'), 'utf8')) as Record<string, unknown>;

/** Every (path, schema) of a property under `node`. */
function properties(node: unknown, path = ''): [string, Record<string, unknown>][] {
  if (typeof node !== 'object' || node === null) return [];
  const out: [string, Record<string, unknown>][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') {
      for (const [name, s] of Object.entries(value as Record<string, Record<string, unknown>>))
        out.push([`${path}.${name}`, s], ...properties(s, `${path}.${name}`));
    } else out.push(...properties(value, path));
  }
  return out;
}

describe('the published ClusterSpec JSON Schema', () => {
  it('is what the declaration generates (run `pnpm --filter @milvus-gitops/spec schema` after changing src/schema.ts)', () => {
    expect(JSON.stringify(published, null, 2)).toBe(JSON.stringify(clusterSpecJsonSchema(Declaration, declarationText), null, 2));
  });

  it('publishes the ClusterSpec type that clusters import as that schema generates it, each field with its doc comment', async () => {
    const file = fileURLToPath(here('../schema/cluster-spec.d.ts'));
    const committed = readFileSync(file, 'utf8');
    const options = (await prettier.resolveConfig(file)) ?? {};
    expect(committed, 'run `pnpm --filter @milvus-gitops/spec schema`').toBe(
      await prettier.format(await clusterSpecDts(published), { ...options, filepath: file }),
    );
    // The field's words, not its type's, above each field; test/cluster-spec-dts.ts checks the type itself.
    expect(committed).toMatch(
      /\/\*\*\n\s+\* Snapshots kept in the bucket; older ones are deleted by the backup job\. @default 48\n\s+\*\/\n\s+snapshotsRetained\?: number;/,
    );
    expect(committed).not.toMatch(/\bany\b/);
  });

  it('describes every field with its doc comment, defaults included', () => {
    const fields = properties(published);
    expect(fields.length).toBeGreaterThan(100);
    expect(fields.filter(([, s]) => typeof s.description !== 'string').map(([p]) => p)).toEqual([]);
    const docs = schemaDocs(declarationText);
    expect(docs.get('EtcdSpec')?.fields.get('snapshotsRetained')).toBe('Snapshots kept in the bucket; older ones are deleted by the backup job. @default 48');
    expect(properties(published).find(([p]) => p === '.milvus.etcd.snapshotsRetained')?.[1].description).toBe(
      'Snapshots kept in the bucket; older ones are deleted by the backup job. @default 48',
    );
  });

  it('accepts the example clusters, which validation accepts too', () => {
    expect(examples.map(([d]) => d)).toEqual(['dev-us-west-2', 'prod-us-east-1', 'staging-eu-west-1']);
    const validate = new Ajv({ allErrors: true, strict: true, keywords: ['errorMessage'] }).compile(published);
    for (const [, spec] of examples) {
      expect(validate(spec), JSON.stringify(validate.errors)).toBe(true);
      expect(validateClusterSpec(spec)).toEqual([]);
    }
  });

  it('refuses what validation refuses structurally: an unknown field, a value outside an enum, a bound', () => {
    const validate = new Ajv({ allErrors: true, strict: true, keywords: ['errorMessage'] }).compile(published);
    const spec = examples[0]![1];
    expect(validate({ ...spec, nmae: 'x' })).toBe(false);
    expect(validate({ ...spec, environment: 'production' })).toBe(false);
    expect(validate({ ...spec, milvus: { ...spec.milvus, queryNode: { minReplicas: 0 } } })).toBe(false);
  });
});
