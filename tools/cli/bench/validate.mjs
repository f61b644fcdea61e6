// Benchmark: objects validated per second over the example clusters, cold (schema loading and
// compilation included) and warm (every schema already compiled). Prints figures; asserts nothing.
import { join } from 'node:path';
import { APPS, findRepoRoot, listClusters, loadClusterSpec, renderCluster, resolveSchemaSource, validateCluster } from '../dist/index.js';
import { SchemaValidator } from '@milvus-gitops/k8s-schema';

const root = findRepoRoot(process.cwd());
const clusters = [];
for (const source of await listClusters(join(root, 'clusters'))) {
  const r = renderCluster(await loadClusterSpec(source), APPS);
  clusters.push({ minor: r.kubernetesVersion, files: r.files.map((f) => ({ file: `${r.cluster}/${f.path}`, object: f.object })) });
}
const objects = clusters.reduce((n, c) => n + c.files.length, 0);
const source = resolveSchemaSource(root);

const run = (validator) => clusters.reduce((n, c) => n + validateCluster(validator, c.minor, c.files).length, 0);
const rate = (n, ms) => `${Math.round((n / ms) * 1000)} objects/s`;

let t = performance.now();
const validator = await SchemaValidator.load(source);
const loadMs = performance.now() - t;
const failures = run(validator);
const coldMs = performance.now() - t;
console.log(`schemas: ${source.describe}`);
console.log(`cold: ${objects} objects in ${coldMs.toFixed(0)} ms (${loadMs.toFixed(0)} ms loading) -> ${rate(objects, coldMs)}${failures ? `, ${failures} failures` : ''}`);

const rounds = 20;
t = performance.now();
for (let i = 0; i < rounds; i++) run(validator);
const warmMs = performance.now() - t;
console.log(`warm: ${objects * rounds} objects in ${warmMs.toFixed(0)} ms -> ${rate(objects * rounds, warmMs)}`);
const mem = process.memoryUsage();
console.log(`memory: ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB heap, ${(mem.rss / 2 ** 20).toFixed(0)} MiB rss`);
