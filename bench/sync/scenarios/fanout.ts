import type { ServerKind } from '../../servers/childProcess.ts';
import { endpointOf, type BenchServer } from '../benchServer.ts';
import { medianBy } from '../medianBy.ts';
import { createLatencyRecorder, type LatencySummary } from '../latency.ts';
import { connectRealClient, type RealClient } from '../realClient.ts';
import { readStoredText } from '../storedText.ts';
import { sleep, waitUntil, withTimeout } from '../waiting.ts';
import { freshDocName, rotated, withServers, type ScenarioContext } from './context.ts';

export interface FanoutResult {
  roomSize: number;
  /** The round with the median p99. */
  latency: LatencySummary;
  /** Every round's p99, in the order run: one round's p99 rests on its few slowest receipts. */
  roundsP99: number[];
  /** Whether the store held the writer's whole text once every listener had it, in every round (read from disk). */
  storedAll: boolean;
}

/**
 * Fan-out latency: in one room of N real clients, one types a small insert every `intervalMs` and the N-1
 * others listen; latency runs from the insert to each listener's receipt of the update. Each room size
 * runs `rounds` times on every server, the servers taking turns, before the next size; per server the
 * round with the median p99 is reported.
 */
export async function runFanout(context: ScenarioContext, kinds: readonly ServerKind[]): Promise<Map<ServerKind, FanoutResult[]>> {
  const { fanout } = context.options;
  const results = new Map<ServerKind, FanoutResult[]>(kinds.map((kind) => [kind, []]));
  await withServers(context, kinds, async (servers) => {
    for (const [sizeIndex, roomSize] of fanout.roomSizes.entries()) {
      const rounds = new Map<ServerKind, { latency: LatencySummary; storedAll: boolean }[]>(kinds.map((kind) => [kind, []]));
      for (let round = 0; round < fanout.rounds; round++) {
        for (const server of rotated(servers, sizeIndex + round)) {
          await context.settle();
          const measured = await measureRoom(context, server, roomSize);
          const { latency } = measured;
          context.log(
            `  fan-out ${server.kind} room of ${roomSize}: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, missing ${latency.missing}` +
              `${measured.storedAll ? '' : ', NOT all stored'}`,
          );
          rounds.get(server.kind)?.push(measured);
        }
      }
      for (const [kind, measured] of rounds) results.get(kind)?.push(medianRound(roomSize, measured));
    }
  });
  return results;
}

function medianRound(roomSize: number, rounds: readonly { latency: LatencySummary; storedAll: boolean }[]): FanoutResult {
  const median = medianBy(rounds, (round) => round.latency.p99);
  return { roomSize, latency: median.latency, roundsP99: rounds.map((round) => round.latency.p99), storedAll: rounds.every((round) => round.storedAll) };
}

async function measureRoom(context: ScenarioContext, server: BenchServer, roomSize: number): Promise<{ latency: LatencySummary; storedAll: boolean }> {
  const { fanout } = context.options;
  const recorder = createLatencyRecorder();
  const docName = freshDocName(`fanout-${roomSize}`);
  const clients: RealClient[] = [];
  try {
    for (let index = 0; index < roomSize; index++) {
      clients.push(connectRealClient(endpointOf(server, docName, index), docName, (update) => recorder.receive(update, index)));
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
    const storedAll = (await readStoredText(server.kind, server.storage, docName)) === writer.text.toJSON();
    return { latency: recorder.summary(), storedAll };
  } finally {
    for (const client of clients) client.destroy();
  }
}
