import { loadavg } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { createBenchSigner, createDataDir, startBenchServer } from '../sync/benchServer.ts';
import { createCleanup } from '../sync/cleanup.ts';
import { freshDocName } from '../sync/scenarios/context.ts';
import { sleep } from '../sync/waiting.ts';
import { startAttacker } from './attackerProcess.ts';
import { renderIsolation, writeIsolation, type IsolationRound, type IsolationRun } from './report.ts';
import { measureVictim } from './victim.ts';

// `npm run bench:isolation [-- --quick] [--write]`: issue 11's isolation benchmark (see bench/isolation/attacker.ts).
// Polyphony's sync server as bench:sync runs it (own process, defaults), a victim pair in one meeting, an
// attacker in another. A full run writes bench/RESULTS.md (its isolation section) and bench/results.json
// (the "isolation" key); a quick one prints, and writes only with --write.
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const write = argv.includes('--write') || !quick;
const options = quick ? { rounds: 1, inserts: 100, warmupInserts: 10, intervalMs: 50, attackWarmupMs: 2_000 } : { rounds: 3, inserts: 300, warmupInserts: 20, intervalMs: 50, attackWarmupMs: 3_000 };
const PER_DOC = 4;
const cleanup = createCleanup();
const log = (message: string): void => void process.stdout.write(`${message}\n`);
const startedAt = new Date();
const loadAtStart = loadavg()[0] ?? 0;

try {
  const server = await startBenchServer('polyphony', cleanup, { storage: { dataDir: createDataDir(cleanup, 'polyphony'), databaseUrl: undefined }, signer: createBenchSigner() });
  const rounds: IsolationRound[] = [];
  const attacked: string[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const reference = await measureVictim(server, options);
    log(`round ${round} alone:    p99 ${reference.p99.toFixed(1)} ms, longest gap ${reference.maxGap.toFixed(1)} ms`);
    // A meeting's document and its network's: what one invite link opens. Fresh each round, so every
    // round sees the climb to the quota as well as the full document.
    const docNames = [freshDocName('attacked-meeting'), freshDocName('attacked-network')];
    attacked.push(...docNames);
    const attacker = startAttacker(server, cleanup, docNames, PER_DOC);
    await sleep(options.attackWarmupMs);
    const underAttack = await measureVictim(server, options);
    const stats = await attacker.stop();
    log(`round ${round} attacked: p99 ${underAttack.p99.toFixed(1)} ms, longest gap ${underAttack.maxGap.toFixed(1)} ms, missing ${underAttack.missing}; attacker ${JSON.stringify(stats)}`);
    rounds.push({ reference, attacked: underAttack, attacker: stats });
  }
  const run: IsolationRun = {
    measuredAt: startedAt.toISOString(),
    minutes: (Date.now() - startedAt.getTime()) / 60_000,
    quick,
    inserts: options.inserts,
    intervalMs: options.intervalMs,
    attackerConnections: 2 * PER_DOC,
    attackedDocuments: 2,
    rounds,
    attackedStoredBytes: attacked.map((docName) => storedBytes(server.storage.dataDir, docName)),
    limits: SYNC_LIMITS,
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  };
  await server.stop();
  if (write) writeIsolation(run);
  log(`\n${renderIsolation(run)}\n${write ? '\nwrote bench/RESULTS.md and bench/results.json' : '(not written: pass --write)'}`);
} catch (error) {
  process.stderr.write(`bench:isolation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanup.runAll();
}
process.exit();

/** Bytes the server stored for `docName`, read through a read-only connection (WAL allows it while it runs). */
function storedBytes(dataDir: string, docName: string): number {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE), { readOnly: true });
  try {
    const row = db.prepare('SELECT COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc_name = ?').get(docName);
    return Number(row?.['bytes'] ?? 0);
  } finally {
    db.close();
  }
}
