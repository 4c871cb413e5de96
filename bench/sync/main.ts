import { cpus, loadavg, totalmem } from 'node:os';
import { POSTGRES_KINDS, SERVER_KINDS, type ServerKind } from '../servers/childProcess.ts';
import { createBenchSigner, createStorage, startBenchServer } from './benchServer.ts';
import { createCleanup } from './cleanup.ts';
import { generateEditHistory } from './history.ts';
import { cpuPressurePercent } from './procStats.ts';
import { parseBenchArgs, SCENARIO_NAMES } from './options.ts';
import { startPostgresCluster } from './postgresCluster.ts';
import { settleDisk } from './settle.ts';
import { writeReports, type BenchRun, type ServerResults } from './report.ts';
import { runCapacity } from './scenarios/capacity.ts';
import { runColdLoad } from './scenarios/coldLoad.ts';
import type { ScenarioContext } from './scenarios/context.ts';
import { runFanout } from './scenarios/fanout.ts';
import { runIdleMemory } from './scenarios/idleMemory.ts';
import { installedVersion } from './versions.ts';

// `npm run bench:sync [-- --quick] [--servers=a,b] [--scenarios=fanout,capacity,coldLoad,idle] [--rooms=100,200] [--write]`
// Runs every scenario against each server in turn (a fresh server process per scenario), then writes
// bench/RESULTS.md and merges bench/results.json. A quick or filtered run prints its report and writes
// files only with --write, so it never replaces the full run's figures by accident.
const argv = process.argv.slice(2);
const options = parseBenchArgs(argv);
const complete = options.servers.length === SERVER_KINDS.length && options.scenarios.length === SCENARIO_NAMES.length;
const exploring = argv.some((arg) => arg.startsWith('--rooms='));
const write = argv.includes('--write') || (complete && !options.quick && !exploring);
const cleanup = createCleanup();
// Every WebsocketProvider adds a process 'exit' listener; a thousand idle clients are expected here.
process.setMaxListeners(options.idle.connections + 100);
const signer = createBenchSigner();
const startedAt = new Date();
const loadAtStart = loadavg()[0] ?? 0;
const pressureAtStart = cpuPressurePercent();
const log = (message: string): void => void process.stdout.write(`${message}\n`);
// One throw-away PostgreSQL for the PostgreSQL columns, started only when one of them runs.
const postgres = options.servers.some((kind) => POSTGRES_KINDS.includes(kind)) ? await startPostgresCluster(cleanup) : undefined;

const context: ScenarioContext = {
  options,
  cleanup,
  log,
  storage: (kind) => createStorage(cleanup, kind, postgres),
  startServer: async (kind, storage) => startBenchServer(kind, cleanup, { storage: storage ?? (await createStorage(cleanup, kind, postgres)), signer, postgres }),
  settle: () => settleDisk(postgres),
};

const results = Object.fromEntries(options.servers.map((kind) => [kind, {}])) as Partial<Record<ServerKind, ServerResults>>;
const resultsOf = (kind: ServerKind): ServerResults => {
  const entry = results[kind];
  if (!entry) throw new Error(`no results slot for ${kind}`);
  return entry;
};

try {
  log(`bench:sync ${options.quick ? 'quick' : 'full'} run: ${options.servers.join(', ')}; ${options.scenarios.join(', ')}`);
  // The machine's other work competes for the same two cores and the same disk: say so rather than hide it.
  if (loadAtStart > 1) {
    log(`note: load average ${loadAtStart.toFixed(1)}, CPU pressure ${pressureAtStart ?? '?'} % before the run: figures will be noisier than on an idle machine`);
  }
  // Scenario-major order, so that drift on the machine spreads over all servers alike.
  if (options.scenarios.includes('fanout')) {
    log('fan-out latency');
    for (const [kind, result] of await runFanout(context, options.servers)) resultsOf(kind).fanout = result;
  }
  if (options.scenarios.includes('coldLoad')) {
    log(`cold load (${options.coldLoad.updates} updates)`);
    const history = generateEditHistory(options.coldLoad.updates);
    for (const kind of options.servers) {
      resultsOf(kind).coldLoad = {
        received: await runColdLoad(context, kind, history, 'received'),
        log: await runColdLoad(context, kind, history, 'log'),
        snapshot: await runColdLoad(context, kind, history, 'snapshot'),
      };
    }
  }
  if (options.scenarios.includes('idle')) {
    log('memory per idle connection');
    for (const [kind, result] of await runIdleMemory(context, options.servers)) resultsOf(kind).idle = result;
  }
  if (options.scenarios.includes('capacity')) {
    log('capacity');
    for (const [kind, result] of await runCapacity(context, options.servers)) resultsOf(kind).capacity = result;
  }

  const run: BenchRun = {
    quick: options.quick,
    options,
    startedAt: startedAt.toISOString(),
    minutes: (Date.now() - startedAt.getTime()) / 60_000,
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: totalmem() / 2 ** 30,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      cpuPressure: { start: pressureAtStart, end: cpuPressurePercent() },
      postgres: postgres?.version ?? null,
    },
    versions: Object.fromEntries(
      ['yjs', 'y-protocols', 'y-websocket', 'ws', '@y/websocket-server', '@hocuspocus/server', '@hocuspocus/extension-database', '@hocuspocus/provider', 'pg'].map((name) => [name, installedVersion(name)]),
    ),
    results,
  };
  const markdown = writeReports(run, { write });
  log(write ? '\nwrote bench/RESULTS.md and bench/results.json' : `\n${markdown}\n(not written: pass --write to write bench/RESULTS.md and bench/results.json)`);
} catch (error) {
  process.stderr.write(`bench:sync failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanup.runAll();
}
// Providers keep reconnect timers; once everything is cleaned up nothing else should hold the process.
process.exit();
