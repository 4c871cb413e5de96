/**
 * The Prometheus text exposition format (version 0.0.4), for the few metric kinds this server has. Metric
 * and label names are fixed in code; label values are only ever bounded enums (never document names,
 * ids or user input), so a scrape can never reveal what a meeting is about or who is in it.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricFamily =
  | { name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[] }
  | { name: string; help: string; type: 'histogram'; histogram: HistogramSnapshot };

export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

export interface HistogramSnapshot {
  /** Upper bounds, ascending, without +Inf. */
  buckets: readonly number[];
  /** Observations per bucket (not cumulative), one more entry than `buckets` for +Inf. */
  counts: readonly number[];
  sum: number;
}

/** A counter family with one unlabelled sample. */
export function counter(name: string, help: string, value: number): MetricFamily {
  return { name, help, type: 'counter', samples: [{ value }] };
}

/** A gauge family with one unlabelled sample. */
export function gauge(name: string, help: string, value: number): MetricFamily {
  return { name, help, type: 'gauge', samples: [{ value }] };
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function renderMetricFamilies(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name: ${family.name}`);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type === 'histogram') {
      lines.push(...histogramLines(family.name, family.histogram));
    } else {
      for (const sample of family.samples) lines.push(`${family.name}${labelSet(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function histogramLines(name: string, histogram: HistogramSnapshot): string[] {
  const lines: string[] = [];
  let cumulative = 0;
  histogram.buckets.forEach((bound, index) => {
    cumulative += histogram.counts[index] ?? 0;
    lines.push(`${name}_bucket{le="${formatValue(bound)}"} ${cumulative}`);
  });
  cumulative += histogram.counts[histogram.buckets.length] ?? 0;
  lines.push(`${name}_bucket{le="+Inf"} ${cumulative}`, `${name}_sum ${formatValue(histogram.sum)}`, `${name}_count ${cumulative}`);
  return lines;
}

function labelSet(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  const pairs = Object.entries(labels).map(([key, value]) => {
    if (!LABEL_NAME.test(key)) throw new Error(`invalid label name: ${key}`);
    return `${key}="${escapeLabelValue(value)}"`;
  });
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}
