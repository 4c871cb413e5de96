import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { findHaproxy } from '../../scripts/cluster/haproxyProcess.ts';
import { createBenchSigner } from '../sync/benchServer.ts';
import { createCleanup } from '../sync/cleanup.ts';
import { startPostgresCluster } from '../sync/postgresCluster.ts';
import { cpuPressurePercent } from '../sync/procStats.ts';
import { installedVersion } from '../sync/versions.ts';
import { parseClusterArgs } from './options.ts';
import { startBenchRedis } from './redisServer.ts';
import { writeClusterReports } from './report.ts';
import { runClusterBench } from './run.ts';

// `npm run bench:cluster [-- --quick] [--systems=polyphony,hocuspocus-redis] [--write]`
// Polyphony behind HAProxy and Hocuspocus with its Redis extension, each as 1 and as 3 instances on one
// throw-away PostgreSQL (and Redis), measured with bench:sync's fan-out and capacity scenarios; then the
// cluster section of bench/RESULTS.md and the "cluster" key of bench/results.json. A quick or partial run
// prints its report and writes the files only with --write.
const argv = process.argv.slice(2);
const options = parseClusterArgs(argv);
const write = argv.includes('--write') || (!options.quick && options.systems.length === 2);
const cleanup = createCleanup();
process.setMaxListeners(200); // every real client's provider adds an 'exit' listener
const startedAt = new Date();
const loadAtStart = loadavg()[0] ?? 0;
const pressureAtStart = cpuPressurePercent();
const log = (message: string): void => void process.stdout.write(`${message}\n`);

try {
  log(`bench:cluster ${options.quick ? 'quick' : 'full'} run: ${options.systems.join(', ')}`);
  if (loadAtStart > 1) log(`note: load average ${loadAtStart.toFixed(1)} before the run: figures will be noisier than on an idle machine`);
  const postgres = await startPostgresCluster(cleanup);
  const redis = await startBenchRedis(cleanup);
  const results = await runClusterBench(options, { cleanup, signer: createBenchSigner(), postgres, redis }, log);
  const markdown = writeClusterReports(
    {
      options,
      startedAt: startedAt.toISOString(),
      minutes: (Date.now() - startedAt.getTime()) / 60_000,
      machine: {
        cores: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
        cpuPressure: { start: pressureAtStart, end: cpuPressurePercent() },
        postgres: postgres.version,
        redis: versionLine('/usr/bin/redis-server', ['--version']),
        haproxy: versionLine(findHaproxy() ?? 'haproxy', ['-v']),
      },
      versions: Object.fromEntries(['@hocuspocus/server', '@hocuspocus/extension-redis', '@hocuspocus/extension-database', '@hocuspocus/provider', 'yjs', 'y-websocket', 'pg'].map((name) => [name, installedVersion(name)])),
      results,
    },
    { write },
  );
  log(write ? '\nwrote bench/RESULTS.md and bench/results.json' : `\n${markdown}\n(not written: pass --write to write bench/RESULTS.md and bench/results.json)`);
} catch (error) {
  process.stderr.write(`bench:cluster failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanup.runAll();
}
// Providers keep reconnect timers; once everything is cleaned up nothing else should hold the process.
process.exit();

/** The first line a program prints for its version (e.g. "Redis server v=7.0.15 …"), or "unknown". */
function versionLine(program: string, args: readonly string[]): string {
  try {
    return execFileSync(program, args, { encoding: 'utf8' }).split('\n')[0]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
