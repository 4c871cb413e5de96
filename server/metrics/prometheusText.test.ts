import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../tests/helpers/prometheusText.ts';
import { createHistogram } from './histogram.ts';
import { counter, renderMetricFamilies } from './prometheusText.ts';

describe('Prometheus text rendering', () => {
  it('writes HELP and TYPE before the samples, and histograms as cumulative buckets ending in +Inf', () => {
    const histogram = createHistogram([0.001, 0.01]);
    for (const seconds of [0.0004, 0.002, 0.003, 5]) histogram.observe(seconds);
    const text = renderMetricFamilies([
      counter('demo_total', 'Things done.', 3),
      { name: 'demo_seconds', help: 'How long.', type: 'histogram', histogram: histogram.snapshot() },
    ]);
    expect(text).toBe(
      [
        '# HELP demo_total Things done.',
        '# TYPE demo_total counter',
        'demo_total 3',
        '# HELP demo_seconds How long.',
        '# TYPE demo_seconds histogram',
        'demo_seconds_bucket{le="0.001"} 1',
        'demo_seconds_bucket{le="0.01"} 3',
        'demo_seconds_bucket{le="+Inf"} 4',
        'demo_seconds_sum 5.0054',
        'demo_seconds_count 4',
        '',
      ].join('\n'),
    );
    expect(parsePrometheusText(text).samples).toHaveLength(6);
  });

  it('escapes label values and help text so that no input can break a line', () => {
    const text = renderMetricFamilies([{ name: 'demo', help: 'two\nlines \\ here', type: 'gauge', samples: [{ labels: { kind: 'a "quoted"\nvalue' }, value: Number.NaN }] }]);
    expect(text).toContain('# HELP demo two\\nlines \\\\ here');
    expect(parsePrometheusText(text).samples[0]?.labels['kind']).toBe('a "quoted"\nvalue');
  });

  it('refuses a metric name Prometheus would reject', () => {
    expect(() => renderMetricFamilies([counter('meeting-123 total', 'x', 1)])).toThrow(/invalid metric name/);
  });

  it('ignores negative or non-finite durations instead of corrupting the sum', () => {
    const histogram = createHistogram([1]);
    histogram.observe(-1);
    histogram.observe(Number.NaN);
    histogram.observe(0.5);
    expect(histogram.snapshot()).toEqual({ buckets: [1], counts: [1, 0], sum: 0.5 });
  });
});
