// The build precompiles the ClusterSpec validator (scripts/write-validator.mjs, run by the root
// transpile that every test task depends on); the built library loads it and says what the
// validator compiled from the sources says.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { structuralProblems, validatorOrigin } from '../src/structure.js';
import { testClusterSpec } from '../src/testing.js';

const DIST = new URL('../dist/structure.js', import.meta.url);

describe('precompiled spec validator', () => {
  it('is loaded by the built library and reports what a validator compiled now reports', async () => {
    expect(existsSync(new URL('../dist/cluster-spec.validate.cjs', import.meta.url))).toBe(true);
    const built = (await import(DIST.href)) as { structuralProblems: typeof structuralProblems; validatorOrigin: typeof validatorOrigin };
    const bad = [
      testClusterSpec(),
      { ...testClusterSpec(), environment: 'prd' },
      { ...testClusterSpec(), milvus: { ...testClusterSpec().milvus, queryNode: { maxReplicas: 'ten' } } },
      { ...testClusterSpec(), nodez: {} },
      { name: '' },
    ];
    for (const spec of bad) expect(built.structuralProblems(spec)).toEqual(structuralProblems(spec));
    expect(structuralProblems(bad[1])).not.toEqual([]);
    expect(built.validatorOrigin()).toBe('precompiled');
    // The sources have no build beside them: compiled in the process.
    expect(validatorOrigin()).toBe('compiled');
  });
});
