/** One sample line of a Prometheus text exposition. */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  /** Family name → declared type (from `# TYPE`). */
  types: Map<string, string>;
  samples: ParsedSample[];
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE_LINE = new RegExp(`^(${METRIC_NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL_PAIR = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * A strict reader of the text format 0.0.4, as Prometheus scrapes it: throws on any line it would reject
 * (bad names, bad label syntax, bad values, a TYPE after the family's samples, a family declared twice,
 * a sample whose family was not declared).
 */
export function parsePrometheusText(text: string): ParsedExposition {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const types = new Map<string, string>();
  const samples: ParsedSample[] = [];
  const seenSamplesOf = new Set<string>();
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${index + 1}: ${line}`;
    if (line === '') continue;
    if (line.startsWith('#')) {
      const comment = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!comment) continue; // Plain comments are allowed.
      const [, kind, name = '', rest = ''] = comment;
      if (!new RegExp(`^${METRIC_NAME}$`).test(name)) throw new Error(`bad metric name, ${where}`);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`unknown type, ${where}`);
        if (types.has(name)) throw new Error(`family declared twice, ${where}`);
        if (seenSamplesOf.has(name)) throw new Error(`TYPE after samples, ${where}`);
        types.set(name, rest);
      }
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`bad sample, ${where}`);
    const [, name = '', labelText = '', rawValue = ''] = match;
    const family = familyOf(name, types);
    if (!family) throw new Error(`sample of an undeclared family, ${where}`);
    seenSamplesOf.add(family);
    samples.push({ name, labels: parseLabels(labelText, where), value: parseValue(rawValue, where) });
  }
  return { types, samples };
}

function familyOf(sampleName: string, types: Map<string, string>): string | undefined {
  if (types.has(sampleName)) return sampleName;
  const base = sampleName.replace(/_(bucket|sum|count)$/, '');
  return types.get(base) === 'histogram' || types.get(base) === 'summary' ? base : undefined;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const pair = LABEL_PAIR.exec(rest);
    if (!pair) throw new Error(`bad labels, ${where}`);
    const [whole, key = '', value = ''] = pair;
    labels[key] = value.replace(/\\(["\\n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    rest = rest.slice(whole.length);
  }
  return labels;
}

function parseValue(raw: string, where: string): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  if (raw === 'NaN') return Number.NaN;
  const value = Number(raw);
  if (raw.trim() === '' || Number.isNaN(value)) throw new Error(`bad value, ${where}`);
  return value;
}
