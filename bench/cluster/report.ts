import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { finiteOrNull, mib, ms, show } from '../sync/report.ts';
import type { CapacityResult, CapacityStep } from '../sync/scenarios/capacity.ts';
import { CLUSTER_SYSTEMS, type ClusterSystem } from './clusterServer.ts';
import type { ClusterBenchOptions } from './options.ts';
import type { ClusterResults } from './run.ts';

export interface ClusterRun {
  options: ClusterBenchOptions;
  startedAt: string;
  minutes: number;
  machine: { cores: number; cpuModel: string; node: string; loadAverage: { start: number; end: number }; cpuPressure: { start: number | null; end: number | null }; postgres: string; redis: string; haproxy: string };
  versions: Record<string, string>;
  results: ClusterResults;
}

/** The figures of bench/results.json's "cluster" key, per system. */
export interface ClusterFigures {
  cross_instance_p99_ms_room10: number | null;
  rooms_at_p99_100ms_1: number | null;
  rooms_at_p99_100ms_3: number | null;
  cpu_pct_per_100_rooms: number | null;
}

const BENCH_DIR = resolve(import.meta.dirname, '..');
const START = '<!-- cluster:start -->';
const END = '<!-- cluster:end -->';
const NOTES_START = '<!-- cluster-notes:start -->';
const NOTES_END = '<!-- cluster-notes:end -->';
const LABEL: Record<ClusterSystem, string> = { polyphony: 'Polyphony + HAProxy', 'hocuspocus-redis': 'Hocuspocus + Redis' };

/**
 * Renders the cluster section of RESULTS.md (keeping its hand-written notes) and, if `write`, puts it between
 * its markers (appended when absent; the other sections stay as they are) and sets results.json's "cluster"
 * key, plus "cluster_run" saying when and whether it was a quick run.
 */
export function writeClusterReports(run: ClusterRun, options: { write: boolean }): string {
  const resultsMd = join(BENCH_DIR, 'RESULTS.md');
  const current = existsSync(resultsMd) ? readFileSync(resultsMd, 'utf8') : '# Benchmarks\n';
  const section = renderMarkdown(run, keptNotes(current));
  if (options.write) {
    writeFileSync(resultsMd, withSection(current, section));
    const path = join(BENCH_DIR, 'results.json');
    const existing: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
    const base = typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? existing : {};
    const cluster_run = { quick: run.options.quick, started_at: run.startedAt, load_average_1min: run.machine.loadAverage };
    writeFileSync(path, `${JSON.stringify({ ...base, cluster: clusterFigures(run.results), cluster_run }, null, 2)}\n`);
  }
  return section;
}

export function clusterFigures(results: ClusterResults): Partial<Record<ClusterSystem, ClusterFigures>> {
  const figures: Partial<Record<ClusterSystem, ClusterFigures>> = {};
  for (const system of CLUSTER_SYSTEMS) {
    const result = results[system];
    if (!result) continue;
    figures[system] = {
      cross_instance_p99_ms_room10: finiteOrNull(result.fanout?.latency.p99),
      rooms_at_p99_100ms_1: result.capacity[1]?.roomsAtLimit ?? null,
      rooms_at_p99_100ms_3: result.capacity[3]?.roomsAtLimit ?? null,
      cpu_pct_per_100_rooms: finiteOrNull(cpuCost(result.capacity[3])?.per100Rooms),
    };
  }
  return figures;
}

/**
 * What serving rooms costs the instances (their CPU summed; HAProxy, Redis and PostgreSQL not included), in %
 * of one core: a straight line fitted (least squares) through the steps that passed, `per100Rooms` its slope
 * and `fixed` its value at no rooms (timers, lease renewals, idle connections to the store). With one
 * passing step there is no slope to fit: its CPU ÷ rooms, fixed 0. Undefined when no step passed. With the
 * rooms spread evenly, `per100Rooms` is what one instance spends per 100 rooms it serves.
 */
export function cpuCost(capacity: CapacityResult | undefined): { per100Rooms: number; fixed: number; steps: number } | undefined {
  const points = (capacity?.steps ?? []).filter((step) => step.passed).map((step) => ({ rooms: step.rooms, cpu: instancesCpu(step) }));
  const [only] = points;
  if (!only) return undefined;
  const meanRooms = points.reduce((sum, point) => sum + point.rooms, 0) / points.length;
  const meanCpu = points.reduce((sum, point) => sum + point.cpu, 0) / points.length;
  const spread = points.reduce((sum, point) => sum + (point.rooms - meanRooms) ** 2, 0);
  if (spread === 0) return { per100Rooms: (meanCpu / meanRooms) * 100, fixed: 0, steps: points.length };
  const slope = points.reduce((sum, point) => sum + (point.rooms - meanRooms) * (point.cpu - meanCpu), 0) / spread;
  return { per100Rooms: slope * 100, fixed: meanCpu - slope * meanRooms, steps: points.length };
}

function instancesCpu(step: CapacityStep): number {
  const parts = Object.entries(step.partsCpuPercent ?? {}).filter(([name]) => name.startsWith('instance'));
  return parts.length > 0 ? parts.reduce((sum, [, cpu]) => sum + cpu, 0) : step.serverCpuPercent;
}

function withSection(current: string, section: string): string {
  const block = `${START}\n${section.trim()}\n${END}`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  if (start >= 0 && end > start) return `${current.slice(0, start)}${block}${current.slice(end + END.length)}`;
  return `${current.trimEnd()}\n\n${block}\n`;
}

function keptNotes(markdown: string): string | null {
  const start = markdown.indexOf(NOTES_START);
  const end = markdown.indexOf(NOTES_END);
  if (start === -1 || end === -1 || end < start) return null;
  return markdown.slice(start + NOTES_START.length, end).trim();
}

function renderMarkdown(run: ClusterRun, notes: string | null): string {
  const { machine, options } = run;
  const systems = CLUSTER_SYSTEMS.filter((system) => run.results[system]);
  const figures = clusterFigures(run.results);
  const cell = (system: ClusterSystem, key: keyof ClusterFigures, format: (value: number) => string): string => show(figures[system]?.[key], format);
  const row = (label: string, key: keyof ClusterFigures, format: (value: number) => string): string => `| ${label} | ${systems.map((system) => cell(system, key, format)).join(' | ')} |`;
  const whole = (value: number): string => value.toFixed(0);
  const lines = [
    '## Several instances (`npm run bench:cluster`)',
    '',
    options.quick
      ? `**QUICK RUN (\`--quick\`, smoke-sized: tiny room steps, one round, 4 s steps) on a machine shared with other work: these figures show the bench works, they are not the measurement.** Generated on ${run.startedAt.slice(0, 10)} (${run.minutes.toFixed(1)} min); rerun \`npm run bench:cluster\` on a quiet machine for the figures.`
      : `Generated by \`npm run bench:cluster\` on ${run.startedAt.slice(0, 10)} (${run.minutes.toFixed(1)} min).`,
    `Machine: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}; PostgreSQL ${machine.postgres}, ${machine.redis}, ${machine.haproxy}. Load average (1 min) at start ${machine.loadAverage.start.toFixed(1)}, at end ${machine.loadAverage.end.toFixed(1)}; CPU pressure (PSI some avg60) ${machine.cpuPressure.start ?? '?'} % and ${machine.cpuPressure.end ?? '?'} %.`,
    '',
    `Versions: ${Object.entries(run.versions).map(([name, version]) => `${name} ${version}`).join(', ')}.`,
    '',
    '### Summary',
    '',
    `| Measure | ${systems.map((system) => LABEL[system]).join(' | ')} |`,
    `|---|${systems.map(() => '---:').join('|')}|`,
    row(`Fan-out p99, room of 10, writer and readers on different instances (${options.fanoutInstances} instances; ms)`, 'cross_instance_p99_ms_room10', ms),
    row('Rooms of 8 held with p99 < 100 ms, 1 instance', 'rooms_at_p99_100ms_1', whole),
    row('Rooms of 8 held with p99 < 100 ms, 3 instances', 'rooms_at_p99_100ms_3', whole),
    row('Server CPU per 100 rooms, per instance (% of one core, 3 instances)', 'cpu_pct_per_100_rooms', (value) => value.toFixed(1)),
    '',
    '### Set-up',
    '',
    '- **Polyphony + HAProxy**: Polyphony\'s sync server (`bench/servers/polyphony.ts`: `createSyncServer`, PostgreSQL store with group commit, every update committed before anyone else receives it) as N processes on one PostgreSQL database, each taking **document leases** (`server/cluster`, as `server/main.ts` does), behind HAProxy running the shipped `deploy/haproxy/polyphony.cfg` (loopbackHaproxyConfig: the same hash of `/sync/<doc>`, health checks on `/healthz`). Every client connects through HAProxy, whose hash sends all of a document\'s sockets to the one instance that owns it. **So "writer and readers on different instances" is realised by routing, not by fan-out between instances: the measured path is client → HAProxy → owner instance → HAProxy → client**, and no update crosses from one instance to another. Redis is not on Polyphony\'s sync path (it serves LiveKit\'s multi-node mode only).',
    '- **Hocuspocus + Redis**: `@hocuspocus/server` with `@hocuspocus/extension-redis` (on the same Redis, `scripts/redis.sh`) and the Database extension over PostgreSQL (`bench/servers/hocuspocusRedis.ts`: the table and upsert of `hocuspocusPostgres.ts`, `debounce: 0`), N processes. Clients connect straight to instances. Fan-out: the writer on instance 1, the 9 readers round-robin over instances 2 and 3, so every update crosses Redis (the extension publishes a SyncStep1 on each change and peers answer through Redis). Capacity: each room\'s 8 clients round-robin over all instances. **Its broadcasts are not held until stored** (unlike bench:sync\'s Hocuspocus on PostgreSQL): with the Redis extension a store is skipped while another instance holds the document\'s lock and updates from Redis are never stored by their receiver, so a held broadcast could wait for ever; this only flatters its latency.',
    `- **Fan-out**: bench:sync's fan-out scenario, a room of 10 real clients (y-websocket's WebsocketProvider or HocuspocusProvider), one typing every 50 ms (${options.scenarios.fanout.inserts} measured after ${options.scenarios.fanout.warmupInserts} warm-up), ${options.scenarios.fanout.rounds} round(s), the round with the median p99 kept. Latency from the insert to each reader's receipt.`,
    `- **Capacity**: bench:sync's capacity scenario (lean clients, rooms of 8, each client typing every 1–2 s with a cursor update), room steps ${options.scenarios.capacity.roomSteps.join(', ')}, ${options.scenarios.capacity.warmupMs / 1000} s warm-up and ${options.scenarios.capacity.measureMs / 1000} s measured per step, stopping at the first failure past ${options.scenarios.capacity.referenceRooms} rooms${options.scenarios.capacity.bisections > 0 ? `, then ${options.scenarios.capacity.bisections} bisection(s)` : ''}; a step passes with p99 < ${options.scenarios.capacity.p99LimitMs} ms and every client connected. Run with 1 and with 3 instances.`,
    '- **CPU**: read from `/proc/<pid>/stat` of every server process (each instance, HAProxy, Redis, PostgreSQL\'s postmaster and children) over each measured window; % of one core. "Per 100 rooms, per instance" is the slope of a straight line fitted through the passing steps of the 3-instance run (the instances\' CPU summed against rooms), so that the instances\' fixed cost (timers, lease renewals, pools) is not spread over the rooms; with the rooms spread evenly, it is what one instance spends per 100 rooms it serves. The fixed cost is shown below; HAProxy, Redis and PostgreSQL are shown apart in the step tables.',
    `- **Two shared cores.** All instances, HAProxy, Redis, PostgreSQL and the load generator share ${machine.cores} cores: three instances cannot hold three times the rooms here, they split the same cores and add their coordination. Read the per-instance cost, not the 3-instance capacity, for what more machines would hold (README, "Capacity on paper").`,
    '',
  ];
  lines.push('### CPU cost (instances summed, % of one core)', '', '| System | Instances | Per 100 rooms | Fixed | Passing steps fitted |', '|---|---:|---:|---:|---:|');
  for (const system of systems) {
    for (const count of options.instanceCounts) {
      const cost = cpuCost(run.results[system]?.capacity[count]);
      lines.push(`| ${LABEL[system]} | ${count} | ${show(cost?.per100Rooms, (value) => value.toFixed(1))} | ${show(cost?.fixed, (value) => value.toFixed(1))} | ${cost?.steps ?? 0} |`);
    }
  }
  lines.push('');
  lines.push('### Fan-out, room of 10, across instances (ms)', '', '| System | p50 | p99 | Rounds p99 | Missing | Stored |', '|---|---:|---:|---|---:|:---:|');
  for (const system of systems) {
    const fanout = run.results[system]?.fanout;
    if (!fanout) continue;
    lines.push(`| ${LABEL[system]} | ${ms(fanout.latency.p50)} | ${ms(fanout.latency.p99)} | ${fanout.roundsP99.map(ms).join(', ')} | ${fanout.latency.missing} | ${fanout.storedAll ? 'yes' : 'no'} |`);
  }
  lines.push('');
  for (const system of systems) {
    for (const count of options.instanceCounts) {
      const capacity = run.results[system]?.capacity[count];
      if (capacity) lines.push(...capacityTable(`${LABEL[system]}, ${count} instance${count === 1 ? '' : 's'}: ${capacity.roomsAtLimit} rooms held`, capacity));
    }
  }
  lines.push('### Notes', '', NOTES_START, notes ?? '(Hand-written notes go here; the generator keeps them.)', NOTES_END);
  return lines.join('\n');
}

function capacityTable(title: string, capacity: CapacityResult): string[] {
  const partNames = [...new Set(capacity.steps.flatMap((step) => Object.keys(step.partsCpuPercent ?? {})))];
  return [
    `#### ${title}`,
    '',
    `| Rooms | Clients | p50 ms | p99 ms | Missing | Failed clients | Instances CPU % | ${partNames.map((name) => `${name} CPU %`).join(' | ')} | Instances RSS max MiB | Generator CPU % | Machine CPU pressure % | Pass |`,
    `|---:|---:|---:|---:|---:|---:|---:|${partNames.map(() => '---:').join('|')}|---:|---:|---:|:---:|`,
    ...capacity.steps.map(
      (step) =>
        `| ${step.rooms} | ${step.clients} | ${ms(step.latency.p50)} | ${ms(step.latency.p99)} | ${step.latency.missing} | ${step.failedClients} | ${step.serverCpuPercent.toFixed(0)} | ${partNames.map((name) => show(step.partsCpuPercent?.[name], (value) => value.toFixed(0))).join(' | ')} | ${mib(step.serverRssMaxBytes)} | ${step.generatorCpuPercent.toFixed(0)} | ${step.cpuPressurePercent ?? '?'} | ${step.passed ? 'yes' : 'no'} |`,
    ),
    '',
  ];
}
