// Sums vitest's JSON reports (<package>/.test-results/vitest.json) into one closing line.
// Exits 1 when no report exists, so a run that executed no test cannot look green.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['apps', ...['clusters', 'libs', 'tools'].flatMap((r) => (existsSync(r) ? readdirSync(r).map((d) => join(r, d)) : []))];
roots.push('policies', 'test');
let passed = 0;
let failed = 0;
let reports = 0;
for (const dir of roots) {
  const file = join(dir, '.test-results', 'vitest.json');
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  reports += 1;
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  console.log(`${dir}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(reports === 0 || passed === 0 ? 1 : 0);
