// Adding a cluster the way a platform engineer does, in a copy of the workspace: `gitops
// new-cluster`, edit cluster.ts, `pnpm install --offline`, `pnpm render`; then the whole
// end-to-end suite runs there against four clusters without a test edit. A type error in the new
// cluster.ts stops `pnpm render` with the compiler's file, line and message.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, run } from './helpers.js';

const NEW = 'qa-ap-south-1';

describe('adding a cluster', () => {
  let tmp = '';
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('takes one command and one edited file, renders, stops on a type error, and passes every end-to-end test with four clusters', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'add-cluster-'));
    const copy = join(tmp, 'repo');
    // The workspace's sources (tracked and untracked, not ignored), and ../shared beside it as here.
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of files) {
      if (!existsSync(join(REPO, f))) continue;
      mkdirSync(dirname(join(copy, f)), { recursive: true });
      cpSync(join(REPO, f), join(copy, f));
    }
    const shared = join(REPO, '..', 'shared');
    if (existsSync(shared)) symlinkSync(realpathSync(shared), join(tmp, 'shared'));
    const sh = (cmd: string, args: string[], cwd = copy) => run(cmd, args, cwd);
    const ok = async (cmd: string, args: string[], cwd = copy) => {
      const r = await sh(cmd, args, cwd);
      expect(r.code, `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
      return r;
    };
    await ok('pnpm', ['install', '--offline', '--frozen-lockfile', '--reporter=silent']);

    // 1. The command writes the package; the author edits what must differ (here the address space).
    const created = await ok('pnpm', ['-s', 'gitops', 'new-cluster', NEW, '--from', 'dev-us-west-2']);
    expect(created.stdout).toContain(`wrote clusters/${NEW}/cluster.ts`);
    const clusterTs = join(copy, 'clusters', NEW, 'cluster.ts');
    const source = readFileSync(clusterTs, 'utf8');
    expect(source).toContain(`name: '${NEW}'`);
    const edited = source.replace(/vpcCidr: '[0-9./]+'/, "vpcCidr: '10.99.0.0/16'");
    expect(edited).not.toBe(source);
    writeFileSync(clusterTs, edited);
    // Only workspace packages: linking the new one needs no registry.
    // --no-frozen-lockfile: pnpm freezes the lockfile by itself when CI=true, as in CI.
    await ok('pnpm', ['install', '--offline', '--no-frozen-lockfile']);
    expect(readFileSync(join(copy, 'pnpm-lock.yaml'), 'utf8')).toContain(`clusters/${NEW}:`);

    // 2. A type error stops the render with the compiler's message; nothing is rendered for it.
    writeFileSync(clusterTs, edited.replace(/size: '[a-z]+'/, "size: 'enormous'"));
    const bad = await sh('pnpm', ['render']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/cluster\.ts\([0-9]+,[0-9]+\): error TS2322: Type '"enormous"' is not assignable/);
    expect(existsSync(join(copy, 'rendered', NEW))).toBe(false);
    writeFileSync(clusterTs, edited);

    // 3. It renders beside the others, and the end-to-end suite (but this file) passes with four
    //    clusters.
    await ok('git', ['init', '-q']);
    await ok('git', ['add', '-A']);
    await ok('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qm', `add ${NEW}`]);
    await ok('pnpm', ['render']);
    expect(existsSync(join(copy, 'rendered', NEW, 'milvus'))).toBe(true);
    const results = join(tmp, 'inner.json');
    const inner = await run(
      'pnpm',
      ['exec', 'vitest', 'run', '--exclude', 'e2e/add-cluster.test.ts', '--reporter=json', `--outputFile=${results}`],
      join(copy, 'test'),
    ).catch((e: unknown) => ({ code: 1, stdout: '', stderr: String(e) }));
    const report = JSON.parse(readFileSync(results, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    const all = report.testResults.flatMap((f) => f.assertionResults);
    const failed = all.filter((a) => a.status === 'failed');
    expect(
      failed.map((a) => `${a.fullName}: ${a.failureMessages.join('\n').slice(0, 400)}`),
      inner.stderr.slice(-2000),
    ).toEqual([]);
    expect(report.numPassedTests).toBeGreaterThan(100);
    // The suite discovered the new cluster: its per-cluster tests ran and passed.
    expect(all.filter((a) => a.fullName.includes(NEW) && a.status === 'passed').length).toBeGreaterThan(10);
  }, 600_000);
});
