// Every command answers --help with its usage and exit 0, never a stack trace.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitops, REPO, run } from './helpers.js';

describe('--help', () => {
  it.each(['', 'render', 'validate', 'diff', 'publish', 's3-check', 'schemas-pull', 'new-cluster'])('gitops %s --help prints its usage', async (command) => {
    const r = await gitops(...(command ? [command] : []), '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: gitops/);
    expect(r.stderr).not.toMatch(/at .*\.js:[0-9]+/);
  });

  it.each(['', 'synth', 'validate'])('infra %s --help prints its usage', async (command) => {
    const r = await run(process.execPath, [join(REPO, 'tools/infra/bin/infra.js'), ...(command ? [command] : []), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: infra/);
    expect(r.stderr).not.toMatch(/at .*\.js:[0-9]+/);
  });
});
