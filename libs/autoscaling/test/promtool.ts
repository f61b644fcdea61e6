import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Evaluates expressions over input series with the real promtool (`promtool test rules`, promql_expr_test); JSON is YAML. */
export function promtoolEval(
  inputSeries: { series: string; values: string }[],
  cases: { expr: string; eval_time: string; exp_samples: { labels: string; value: number }[] }[],
) {
  const dir = mkdtempSync(join(tmpdir(), 'adapter-'));
  writeFileSync(join(dir, 'rules.yaml'), JSON.stringify({ groups: [] }));
  writeFileSync(
    join(dir, 'tests.yaml'),
    JSON.stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: [{ interval: '1m', input_series: inputSeries, promql_expr_test: cases }] }),
  );
  try {
    return { code: 0, output: execFileSync('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A `milvus_datacoord_task_count` series of the coordinator in `namespace`, as input to promtoolEval. */
export const taskCount = (namespace: string, type: string, state: string): string =>
  `milvus_datacoord_task_count{namespace="${namespace}",pod="milvus-mixcoord-0",task_type="${type}",task_state="${state}"}`;
