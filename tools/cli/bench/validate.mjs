// Benchmark of `gitops validate` as a user runs it (the whole process), over the rendered example
// clusters and over a generated fleet of at least 7,000 objects; and, when a `kubeconform` binary is
// on PATH, of `kubeconform -strict` on the same files and schemas. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { APPS, findRepoRoot, listClusters, loadClusterSpec, renderCluster, resolveSchemaLocation, writeRendered } from '../dist/index.js';
import { writeKubeconformSchemas } from './kubeconform-schemas.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = findRepoRoot(process.cwd());
const gitops = join(root, 'tools', 'cli', 'bin', 'gitops.js');
const mirror = resolveSchemaLocation(root);
if (mirror === 'upstream') throw new Error('the benchmark reads a schema folder: run `pnpm -s gitops schemas-pull ../shared/schemas` first');
const work = mkdtempSync(join(tmpdir(), 'gitops-bench-'));
const cache = join(work, 'cache');

// The example clusters, rendered, and a fleet of copies (each copy a folder of cluster folders).
const rendered = join(work, 'rendered');
const clusters = [];
for (const source of await listClusters(join(root, 'clusters'))) clusters.push(renderCluster(await loadClusterSpec(source), APPS));
await writeRendered(rendered, clusters, true);
const perCopy = clusters.reduce((n, c) => n + c.files.length, 0);
const copies = Math.ceil(7000 / perCopy);
const fleet = join(work, 'fleet');
for (let i = 0; i < copies; i++) cpSync(rendered, join(fleet, `copy-${String(i + 1).padStart(2, '0')}`), { recursive: true });

const hasTime = existsSync('/usr/bin/time');
/** Runs a command, returns wall seconds and peak RSS (MiB, when GNU time is there). */
function measure(cmd, args, env = {}) {
  const full = hasTime ? ['/usr/bin/time', ['-f', '%e %M', cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(full[0], full[1], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wall = (performance.now() - t) / 1000;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const rss = hasTime ? Number(last.split(' ')[1]) / 1024 : NaN;
  return { wall, rss, status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const line = (label, objects, runs, first) => {
  const wall = median(runs.map((r) => r.wall));
  const rss = Math.max(...runs.map((r) => r.rss));
  const mem = Number.isNaN(rss) ? 'peak memory n/a (no /usr/bin/time)' : `peak ${rss.toFixed(0)} MiB`;
  console.log(
    `${label.padEnd(40)} ${String(objects).padStart(5)} objects  ${wall.toFixed(2)} s  ${String(Math.round(objects / wall)).padStart(5)} objects/s  ${mem}${first ? `  (cold cache ${first.wall.toFixed(2)} s)` : ''}`,
  );
  return wall;
};

console.log(
  `schemas: ${mirror}; median of ${RUNS} runs with a warm compile cache, whole process, wall time; ${new Date().toISOString().slice(0, 10)}, ${process.platform} ${process.arch}, node ${process.version}`,
);
const env = { GITOPS_CACHE_DIR: cache };
// Node 20 parses the certificates this file holds when the process starts, whatever the command
// does (nodejs/node#40524; Node 24 defers them until tls is first loaded,
// nodejs/node#59856: `pnpm bench` runs on the pinned 24, where both figures agree); kubeconform never
// reads it. Where it is set, validate is timed without it too.
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const kubeconform = spawnSync('kubeconform', ['-v'], { encoding: 'utf8' });
let kubeconformArgs;
if (kubeconform.error) {
  console.log('kubeconform: not on PATH, no comparison (the README says how to build it)');
} else {
  const kinds = new Set();
  for (const f of readdirSync(rendered, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
    const o = load(readFileSync(join(f.parentPath, f.name), 'utf8'));
    kinds.add(`${o.apiVersion}/${o.kind}`);
  }
  const minor = '1.29';
  // Local schemas only: kubeconform never reaches for its default (remote) schema location.
  const locations = writeKubeconformSchemas(mirror, join(work, 'kubeconform-schemas'), kinds, minor);
  kubeconformArgs = (dir) => ['-strict', '-summary', '-kubernetes-version', `${minor}.0`, ...locations.flatMap((l) => ['-schema-location', l]), dir];
}
for (const [name, dir, n] of [
  ['rendered', rendered, perCopy],
  ['fleet', fleet, perCopy * copies],
]) {
  rmSync(cache, { recursive: true, force: true });
  const ours = [process.execPath, [gitops, 'validate', dir, '--schemas', mirror], env];
  const first = measure(...ours);
  if (first.status !== 0) console.log(first.stdout.split('\n').slice(-5).join('\n'), first.stderr.split('\n').slice(0, 5).join('\n'));
  measure(...ours); // the second run keeps V8's code cache of the compiled validators
  // Interleaved, so that a noisy neighbour slows both alike.
  const mine = [];
  const theirs = [];
  const bare = [];
  for (let i = 0; i < RUNS; i++) {
    mine.push(measure(...ours));
    if (kubeconformArgs) theirs.push(measure('kubeconform', kubeconformArgs(dir)));
    if (extraCa) bare.push(measure(ours[0], ours[1], { ...env, NODE_EXTRA_CA_CERTS: '' }));
  }
  const a = line(`gitops validate (${name})`, n, mine, first);
  const c = extraCa ? line(`  the same without NODE_EXTRA_CA_CERTS`, n, bare) : undefined;
  if (kubeconformArgs) {
    if (theirs[0].status !== 0) console.log(theirs[0].stdout.split('\n').slice(-5).join('\n'));
    const b = line(`kubeconform ${kubeconform.stdout.trim()} -strict (${name})`, n, theirs);
    const without = c === undefined ? '' : ` (${(c / b).toFixed(2)}x without NODE_EXTRA_CA_CERTS=${extraCa}, which Node reads when it starts)`;
    console.log(`  ${name}: gitops validate takes ${(a / b).toFixed(2)}x kubeconform's wall time${without}`);
  }
}
rmSync(work, { recursive: true, force: true });
