import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, REPO, run } from './helpers.js';

const TURBO = join(REPO, 'node_modules/.bin/turbo');

/** `Cached: X cached, Y total` from turbo's closing lines. */
function cacheStats(stdout: string): { cached: number; total: number } {
  const m = /Cached:\s+([0-9]+) cached, ([0-9]+) total/.exec(stdout);
  if (!m) throw new Error(`no cache summary in turbo output:\n${stdout}`);
  return { cached: Number(m[1]), total: Number(m[2]) };
}

describe('turbo render', () => {
  it('renders a single cluster with --filter and serves an unchanged second render entirely from cache', async () => {
    const filter = '--filter=@milvus-gitops/cluster-dev-us-west-2';
    const dry = await run(TURBO, ['run', 'render', filter, '--dry=json']);
    expect(dry.code).toBe(0);
    const tasks = (JSON.parse(dry.stdout) as { tasks: { taskId: string }[] }).tasks.map((t) => t.taskId);
    expect(tasks.filter((t) => t.endsWith('#render'))).toEqual(['@milvus-gitops/cluster-dev-us-west-2#render']);

    const first = await run(TURBO, ['run', 'render', filter, '--output-logs=none']);
    expect(first.code).toBe(0);
    const out = join(REPO, 'rendered', 'dev-us-west-2');
    const rendered = await readTree(out);
    expect(Object.keys(rendered).length).toBeGreaterThan(0);

    // The cache must also restore the output itself, not only skip the work.
    await rm(out, { recursive: true, force: true });
    const second = await run(TURBO, ['run', 'render', filter, '--output-logs=none']);
    expect(second.code).toBe(0);
    const stats = cacheStats(second.stdout);
    expect(stats.cached).toBe(stats.total);
    expect(await readTree(out)).toEqual(rendered);
  });
});
