import { describe, expect, it } from 'vitest';
import { PENDING_INDEX_TASKS, SEARCH_P99_LATENCY_MS } from '../src/index.js';
import { promtoolEval, taskCount } from './promtool.js';

/** The query prometheus-adapter sends for an external metric of namespace `milvus` (its Go template, `<<` `>>` delimiters). */
function adapterQuery(metricsQuery: string, series: string): string {
  return metricsQuery.replaceAll('<<.Series>>', series).replaceAll('<<.LabelMatchers>>', 'namespace="milvus"').replaceAll('<<.GroupBy>>', 'namespace');
}

describe('external metrics as prometheus-adapter computes them', () => {
  const bucket = (le: string) => `milvus_proxy_sq_latency_bucket{namespace="milvus",pod="milvus-proxy-0",query_type="search",le="${le}"}`;
  const p99 = adapterQuery(SEARCH_P99_LATENCY_MS.metricsQuery, SEARCH_P99_LATENCY_MS.series);
  const pending = adapterQuery(PENDING_INDEX_TASKS.metricsQuery, PENDING_INDEX_TASKS.series);

  it('P99 latency is 0, not NaN, without searches (so an idle HPA can scale down), and the P99 with them', () => {
    // 0-10 min: 100 searches/min, all between 64 and 128 ms; 10-20 min: no searches (counters flat).
    const series = [
      { series: bucket('64'), values: '0x20' },
      { series: bucket('128'), values: '0+100x10 1000x10' },
      { series: bucket('+Inf'), values: '0+100x10 1000x10' },
    ];
    const r = promtoolEval(series, [
      { expr: p99, eval_time: '8m', exp_samples: [{ labels: '{}', value: 127.36 }] },
      { expr: p99, eval_time: '18m', exp_samples: [{ labels: '{}', value: 0 }] },
    ]);
    expect(r.output).toContain('SUCCESS');
    // And with no series at all (no proxy scraped yet).
    expect(
      promtoolEval([{ series: 'up{job="x"}', values: '1x5' }], [{ expr: p99, eval_time: '3m', exp_samples: [{ labels: '{}', value: 0 }] }]).output,
    ).toContain('SUCCESS');
  });

  it('without the guard the same idle window yields NaN (what the adapter used to serve)', () => {
    const old = adapterQuery(
      'histogram_quantile(0.99, sum(rate(<<.Series>>{<<.LabelMatchers>>,query_type="search"}[2m])) by (le))',
      SEARCH_P99_LATENCY_MS.series,
    );
    const r = promtoolEval(
      [
        { series: bucket('128'), values: '1000x20' },
        { series: bucket('+Inf'), values: '1000x20' },
      ],
      [
        { expr: `${old} >= 0`, eval_time: '18m', exp_samples: [] },
        { expr: `count(${old})`, eval_time: '18m', exp_samples: [{ labels: '{}', value: 1 }] },
      ],
    );
    expect(r.output).toContain('SUCCESS');
  });

  it('pending index builds count JobStateInit, InProgress and Retry index jobs only, 0 when there are none', () => {
    const task = (type: string, state: string) => taskCount('milvus', type, state);
    const r = promtoolEval(
      [
        { series: task('JobTypeIndexJob', 'JobStateInit'), values: '5x10' },
        { series: task('JobTypeIndexJob', 'JobStateInProgress'), values: '2x10' },
        { series: task('JobTypeIndexJob', 'JobStateRetry'), values: '1x10' },
        { series: task('JobTypeIndexJob', 'JobStateFinished'), values: '900x10' },
        { series: task('JobTypeStatsJob', 'JobStateInit'), values: '40x10' },
      ],
      [{ expr: pending, eval_time: '5m', exp_samples: [{ labels: '{}', value: 8 }] }],
    );
    expect(r.output).toContain('SUCCESS');
    expect(
      promtoolEval([{ series: 'up{job="x"}', values: '1x5' }], [{ expr: pending, eval_time: '3m', exp_samples: [{ labels: '{}', value: 0 }] }]).output,
    ).toContain('SUCCESS');
  });
});
