import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncLimits } from '../../shared/protocol/syncLimits.ts';
import type { AttackerStats } from './attackerProcess.ts';
import type { VictimFigures } from './victim.ts';

export interface IsolationRound {
  reference: VictimFigures;
  attacked: VictimFigures;
  attacker: AttackerStats;
}

export interface IsolationRun {
  measuredAt: string;
  minutes: number;
  quick: boolean;
  inserts: number;
  intervalMs: number;
  attackerConnections: number;
  attackedDocuments: number;
  rounds: IsolationRound[];
  /** Bytes stored for each attacked document at the end. */
  attackedStoredBytes: number[];
  limits: SyncLimits;
  loadAverage: { start: number; end: number };
}

/** The targets of issue 11. */
export const TARGET = { p99Ms: 50, maxGapMs: 1_000 } as const;

const START = '<!-- isolation:start -->';
const END = '<!-- isolation:end -->';
const BENCH_DIR = import.meta.dirname ? join(import.meta.dirname, '..') : 'bench';

/** The worst attacked round against the reference measured in the same round. */
export function headline(run: IsolationRun) {
  const worst = run.rounds.reduce((a, b) => (b.attacked.p99 > a.attacked.p99 ? b : a));
  const round = (value: number): number => Math.round(value * 10) / 10;
  return {
    victim_p99_ms: round(worst.attacked.p99),
    victim_max_gap_ms: round(worst.attacked.maxGap),
    reference_p99_ms: round(worst.reference.p99),
    reference_max_gap_ms: round(worst.reference.maxGap),
    p99_ratio: round(worst.attacked.p99 / worst.reference.p99),
    max_gap_ratio: round(worst.attacked.maxGap / worst.reference.maxGap),
    target_met: run.rounds.every((r) => r.attacked.p99 < TARGET.p99Ms && r.attacked.maxGap < TARGET.maxGapMs),
  };
}

export function renderIsolation(run: IsolationRun): string {
  const h = headline(run);
  const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '∞');
  const { limits } = run;
  const lines = [
    '## Isolation (`npm run bench:isolation`)',
    '',
    `Measured ${run.measuredAt} on this machine (${run.minutes.toFixed(1)} min, load average ${run.loadAverage.start.toFixed(1)} → ${run.loadAverage.end.toFixed(1)})${run.quick ? ', quick run' : ''}.`,
    '',
    `One attacker with ${run.attackerConnections} connections on ${run.attackedDocuments} documents (a meeting's and its network's, all an invite link opens) sends, on each`,
    `connection, the costliest updates the server accepts (${limits.maxUpdateStructs.toLocaleString('en')} structs each, XML elements at the front of the notes) and the largest`,
    `presence states (${limits.presence.maxStatesPerConnection} states of ${limits.presence.maxStateBytes / 1024} KiB, ${limits.presence.maxStateDepth} deep), paced together just under one person's rate`,
    `(${limits.connectionRate.bytesPerSecond / 1024} KiB/s for all their connections), reconnecting at once whenever it is closed. Meanwhile a victim pair in another meeting types (one insert`,
    `every ${run.intervalMs} ms, ${run.inserts} measured) and listens. Each round measures the victim without the attacker, then with it.`,
    '',
    `**Victim p99 with the attacker: ${ms(h.victim_p99_ms)} ms (${h.p99_ratio}× the ${ms(h.reference_p99_ms)} ms without it); longest silence ${ms(h.victim_max_gap_ms)} ms`,
    `(${h.max_gap_ratio}× the reference ${ms(h.reference_max_gap_ms)} ms).** Target (p99 under ${TARGET.p99Ms} ms, no gap over ${TARGET.maxGapMs} ms): ${h.target_met ? 'met' : '**not met**'}.`,
    '',
    '| round | victim | p50 ms | p99 ms | max ms | longest gap ms | p99 ratio | gap ratio |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  run.rounds.forEach((round, index) => {
    const row = (label: string, figures: VictimFigures, ratios: string): string =>
      `| ${index + 1} | ${label} | ${ms(figures.p50)} | ${ms(figures.p99)} | ${ms(figures.max)} | ${ms(figures.maxGap)} | ${ratios} |`;
    lines.push(row('alone', round.reference, '1 | 1'));
    lines.push(row('attacked', round.attacked, `${(round.attacked.p99 / round.reference.p99).toFixed(1)} | ${(round.attacked.maxGap / round.reference.maxGap).toFixed(1)}`));
  });
  const attacker = run.rounds.map((r) => r.attacker);
  const sum = (pick: (stats: AttackerStats) => number): number => attacker.reduce((total, stats) => total + pick(stats), 0);
  const closes = new Map<string, number>();
  for (const stats of attacker) for (const [code, count] of Object.entries(stats.closes)) closes.set(code, (closes.get(code) ?? 0) + count);
  lines.push(
    '',
    `The attacker sent ${sum((s) => s.updates)} updates and ${sum((s) => s.presence)} presence messages (${(sum((s) => s.bytes) / 2 ** 20).toFixed(1)} MiB) over ${sum((s) => s.connects)} connections;`,
    `closes by code: ${[...closes].map(([code, count]) => `${code} × ${count}`).join(', ') || 'none'}. Stored for the attacked documents at the end:`,
    `${run.attackedStoredBytes.map((bytes) => `${(bytes / 1024).toFixed(0)} KiB`).join(', ')} (quota ${limits.maxDocumentBytes / 1024} KiB each).`,
  );
  return lines.join('\n');
}

export function writeIsolation(run: IsolationRun): void {
  const resultsMd = join(BENCH_DIR, 'RESULTS.md');
  const current = existsSync(resultsMd) ? readFileSync(resultsMd, 'utf8') : '';
  const block = `${START}\n${renderIsolation(run).trim()}\n${END}`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? `${current.slice(0, start)}${block}${current.slice(end + END.length)}` : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(resultsMd, next);

  const resultsJson = join(BENCH_DIR, 'results.json');
  const existing: Record<string, unknown> = existsSync(resultsJson) ? (JSON.parse(readFileSync(resultsJson, 'utf8')) as Record<string, unknown>) : {};
  const isolation = {
    ...headline(run),
    measured_at: run.measuredAt,
    attacker_connections: run.attackerConnections,
    attacked_stored_bytes: run.attackedStoredBytes,
    rounds: run.rounds.map((round) => ({
      reference: { p99_ms: round.reference.p99, max_gap_ms: round.reference.maxGap },
      attacked: { p99_ms: round.attacked.p99, max_gap_ms: round.attacked.maxGap },
      attacker: round.attacker,
    })),
  };
  writeFileSync(resultsJson, `${JSON.stringify({ ...existing, isolation }, null, 2)}\n`);
}
