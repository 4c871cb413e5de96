import type { BenchServer } from '../sync/benchServer.ts';
import { createLatencyRecorder, type LatencySummary } from '../sync/latency.ts';
import { connectRealClient, type RealClient } from '../sync/realClient.ts';
import { sleep, waitUntil, withTimeout } from '../sync/waiting.ts';
import { freshDocName } from '../sync/scenarios/context.ts';

export interface VictimFigures extends LatencySummary {
  /** Longest time the listener heard nothing while the typist was typing (a steady 50 ms when all is well). */
  maxGap: number;
}

/**
 * The victim pair: in a meeting of its own, one person types an insert every `intervalMs` while the other
 * listens; the fan-out latency of the bench:sync harness (same recorder, same real clients), plus the
 * longest silence at the listener.
 */
export async function measureVictim(server: BenchServer, options: { inserts: number; warmupInserts: number; intervalMs: number }): Promise<VictimFigures> {
  const recorder = createLatencyRecorder();
  const docName = freshDocName('victim');
  let lastHeard = Number.NaN;
  let maxGap = 0;
  const clients: RealClient[] = [];
  try {
    clients.push(connectRealClient(server, docName));
    clients.push(
      connectRealClient(server, docName, (update) => {
        const now = performance.now();
        if (recorder.counting && !Number.isNaN(lastHeard)) maxGap = Math.max(maxGap, now - lastHeard);
        lastHeard = now;
        recorder.receive(update, 1);
      }),
    );
    await withTimeout(Promise.all(clients.map((client) => client.synced)), 30_000, 'victim pair syncing');
    const [typist] = clients;
    if (!typist) throw new Error('no typist');
    const total = options.warmupInserts + options.inserts;
    const started = performance.now();
    for (let index = 0; index < total; index++) {
      recorder.counting = index >= options.warmupInserts;
      typist.text.insert(typist.text.length, recorder.send(1, 0));
      // A fixed schedule, as in bench:sync's fan-out: a slow turn does not thin out the typing.
      const wait = started + (index + 1) * options.intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await waitUntil(() => recorder.outstanding() <= 0, 5_000);
    const summary = recorder.summary();
    return { ...summary, maxGap: summary.missing > 0 ? Number.POSITIVE_INFINITY : maxGap };
  } finally {
    for (const client of clients) client.destroy();
  }
}
