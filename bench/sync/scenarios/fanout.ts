import type { ServerKind } from '../../servers/childProcess.ts';
import type { BenchServer } from '../benchServer.ts';
import { createLatencyRecorder, type LatencySummary } from '../latency.ts';
import { connectRealClient, type RealClient } from '../realClient.ts';
import { readStoredText } from '../storedText.ts';
import { sleep, waitUntil, withTimeout } from '../waiting.ts';
import { freshDocName, rotated, withServers, type ScenarioContext } from './context.ts';

export interface FanoutResult {
  roomSize: number;
  latency: LatencySummary;
  /** Whether the store held the writer's whole text once every listener had it (read from disk). */
  storedAll: boolean;
}

/**
 * Fan-out latency: in one room of N real clients, one types a small insert every `intervalMs` and the N-1
 * others listen; latency runs from the insert to each listener's receipt of the update. Each room size
 * runs on every server in turn before the next size.
 */
export async function runFanout(context: ScenarioContext, kinds: readonly ServerKind[]): Promise<Map<ServerKind, FanoutResult[]>> {
  const { fanout } = context.options;
  const results = new Map<ServerKind, FanoutResult[]>(kinds.map((kind) => [kind, []]));
  await withServers(context, kinds, async (servers) => {
    for (const [round, roomSize] of fanout.roomSizes.entries()) {
      for (const server of rotated(servers, round)) {
        const { latency, storedAll } = await measureRoom(context, server, roomSize);
        context.log(
          `  fan-out ${server.kind} room of ${roomSize}: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, missing ${latency.missing}` +
            `${storedAll ? '' : ', NOT all stored'}`,
        );
        results.get(server.kind)?.push({ roomSize, latency, storedAll });
      }
    }
  });
  return results;
}

async function measureRoom(context: ScenarioContext, server: BenchServer, roomSize: number): Promise<{ latency: LatencySummary; storedAll: boolean }> {
  const { fanout } = context.options;
  const recorder = createLatencyRecorder();
  const docName = freshDocName(`fanout-${roomSize}`);
  const clients: RealClient[] = [];
  try {
    for (let index = 0; index < roomSize; index++) {
      clients.push(connectRealClient(server, docName, (update) => recorder.receive(update, index)));
    }
    await withTimeout(Promise.all(clients.map((client) => client.synced)), 30_000, `${server.kind}: ${roomSize} clients syncing`);
    const writer = clients[0];
    if (!writer) throw new Error('no writer');

    const total = fanout.warmupInserts + fanout.inserts;
    const started = performance.now();
    for (let index = 0; index < total; index++) {
      recorder.counting = index >= fanout.warmupInserts;
      writer.text.insert(writer.text.length, recorder.send(roomSize - 1, 0));
      // A fixed schedule, so that a slow turn does not stretch the run or thin out the load.
      const wait = started + (index + 1) * fanout.intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await waitUntil(() => recorder.outstanding() <= 0, fanout.drainMs);
    const storedAll = readStoredText(server.kind, server.dataDir, docName) === writer.text.toJSON();
    return { latency: recorder.summary(), storedAll };
  } finally {
    for (const client of clients) client.destroy();
  }
}
