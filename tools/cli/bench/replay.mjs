// Benchmark of `gitops replay` as a user runs it (the whole process: render in memory, replay,
// text output) for every profile of prod-us-east-1, and of the replay alone in this process.
// Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { APPS, findRepoRoot, listClusters, loadClusterSpec, renderCluster } from '../dist/index.js';
import { PROFILES, replayCluster } from '../dist/replay/index.js';
import { resolveClusterSpec } from '@milvus-gitops/spec';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = findRepoRoot(process.cwd());
const gitops = join(root, 'tools', 'cli', 'bin', 'gitops.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const source = (await listClusters(join(root, 'clusters'))).find((s) => s.folder === 'prod-us-east-1');
const input = await loadClusterSpec(source);
const spec = resolveClusterSpec(input);
const objects = renderCluster(input, APPS).files.map((f) => f.object);

console.log(`gitops replay --cluster prod-us-east-1, median of ${RUNS} runs`);
console.log('| profile | seconds replayed | whole process (s) | replay alone (ms) |');
console.log('|---|---|---|---|');
for (const profile of PROFILES) {
  const whole = [];
  const alone = [];
  let replayed = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [gitops, 'replay', '--cluster', 'prod-us-east-1', '--profile', profile], { cwd: root });
    whole.push((performance.now() - t) / 1000);
    const u = performance.now();
    replayed = replayCluster(spec, objects, profile).timeline.length;
    alone.push(performance.now() - u);
  }
  console.log(`| ${profile} | ${replayed} | ${median(whole).toFixed(2)} | ${median(alone).toFixed(0)} |`);
}
