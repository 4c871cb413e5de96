import type { ServerKind } from '../../servers/childProcess.ts';
import type { BenchServer } from '../benchServer.ts';
import { medianBy } from '../medianBy.ts';
import { connectRealClient, type RealClient } from '../realClient.ts';
import { inBatches, sleep, withTimeout } from '../waiting.ts';
import { freshDocName, type ScenarioContext } from './context.ts';

export interface IdleMemoryResult {
  connections: number;
  rooms: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** (RSS after − RSS before) / connections, in KiB; includes each room's share of its document. Median of the trials. */
  perConnectionKb: number;
  /** Each trial's figure (a fresh server each time): RSS moves by several KiB per connection between runs. */
  trialsKb: number[];
}

/**
 * Runs the measurement `trials` times per server, each on a fresh server, the servers taking turns so that
 * drift on the machine falls on all alike; per server the trial with the median figure is kept.
 */
export async function runIdleMemory(context: ScenarioContext, kinds: readonly ServerKind[]): Promise<Map<ServerKind, IdleMemoryResult>> {
  const trials = new Map<ServerKind, Omit<IdleMemoryResult, 'trialsKb'>[]>(kinds.map((kind) => [kind, []]));
  for (let trial = 0; trial < context.options.idle.trials; trial++) {
    for (const kind of kinds) trials.get(kind)?.push(await measureIdleMemory(context, kind));
  }
  return new Map(kinds.map((kind) => [kind, medianTrial(context, kind, trials.get(kind) ?? [])]));
}

function medianTrial(context: ScenarioContext, kind: ServerKind, results: readonly Omit<IdleMemoryResult, 'trialsKb'>[]): IdleMemoryResult {
  const median = medianBy(results, (result) => result.perConnectionKb);
  const trialsKb = results.map((result) => result.perConnectionKb);
  context.log(`  idle memory ${kind}: ${median.perConnectionKb.toFixed(1)} KiB per connection (trials ${trialsKb.map((kb) => kb.toFixed(1)).join(', ')})`);
  return { ...median, trialsKb };
}

/**
 * Memory per idle connection: RSS of a fresh server (after one warm-up client), then N real clients in
 * rooms of `perRoom`, synced and left idle (each has its awareness state on the server, as an app's would),
 * then RSS again. Each reading follows a full garbage collection in the server (the same for every
 * server), so that garbage from connecting is not counted as what a connection holds; RSS is the median
 * of three such readings.
 */
async function measureIdleMemory(context: ScenarioContext, kind: ServerKind): Promise<Omit<IdleMemoryResult, 'trialsKb'>> {
  const { idle } = context.options;
  const server = await context.startServer(kind);
  const clients: RealClient[] = [];
  try {
    const warmup = connectRealClient(server, freshDocName('idle-warmup'));
    clients.push(warmup);
    await withTimeout(warmup.synced, 30_000, `${kind}: warm-up client`);
    await sleep(idle.settleMs);
    const rssBeforeBytes = await steadyRss(server);

    const rooms = Math.ceil(idle.connections / idle.perRoom);
    const docNames = Array.from({ length: rooms }, () => freshDocName('idle'));
    const slots = Array.from({ length: idle.connections }, (_, index) => docNames[index % rooms] ?? 'idle');
    const outcomes = await inBatches(slots, 100, async (docName) => {
      const client = connectRealClient(server, docName);
      clients.push(client);
      await withTimeout(client.synced, 30_000, `${kind}: idle client`);
    });
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected').length;
    if (failed > 0) throw new Error(`${kind}: ${failed} of ${idle.connections} idle clients did not sync`);
    await sleep(idle.settleMs);
    const rssAfterBytes = await steadyRss(server);
    const perConnectionKb = (rssAfterBytes - rssBeforeBytes) / idle.connections / 1024;
    return { connections: idle.connections, rooms, rssBeforeBytes, rssAfterBytes, perConnectionKb };
  } finally {
    for (const client of clients) client.destroy();
    await server.stop();
  }
}

async function steadyRss(server: BenchServer): Promise<number> {
  const readings: number[] = [];
  for (let index = 0; index < 3; index++) {
    await server.collectGarbage();
    readings.push(server.sample().rssBytes);
    await sleep(200);
  }
  return readings.sort((a, b) => a - b)[1] ?? Number.NaN;
}
