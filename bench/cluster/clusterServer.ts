import type { TicketSigner } from '../../server/sync/tickets.ts';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { startHaproxy } from '../../scripts/cluster/haproxyProcess.ts';
import type { ServerKind } from '../servers/childProcess.ts';
import { createDataDir, startBenchServer, type BenchServer, type SyncEndpoint } from '../sync/benchServer.ts';
import type { Cleanup } from '../sync/cleanup.ts';
import type { PostgresCluster } from '../sync/postgresCluster.ts';
import { sampleProc, type ProcSample } from '../sync/procStats.ts';
import type { BenchRedis } from './redisServer.ts';

export const CLUSTER_SYSTEMS = ['polyphony', 'hocuspocus-redis'] as const;
export type ClusterSystem = (typeof CLUSTER_SYSTEMS)[number];

/** The bench:sync kind whose protocol and store each system's instances have (clients and the stored-text check go by it). */
export const KIND_OF: Record<ClusterSystem, ServerKind> = { polyphony: 'polyphony-postgres', 'hocuspocus-redis': 'hocuspocus-postgres' };

/**
 * How Hocuspocus' clients are spread over its instances (Polyphony's all go through HAProxy, whose hash
 * picks the document's instance). `writerApart`: client 0 of a room (the fan-out's writer) on instance 1,
 * the others round-robin over the other instances, so that every update crosses Redis. `even`: a room's
 * clients round-robin over all instances, starting at a room's own offset, so that every instance carries
 * the same share of the capacity load.
 */
export type Spread = 'writerApart' | 'even';

export interface ClusterDeps {
  cleanup: Cleanup;
  signer: { signer: TicketSigner; secretHex: string };
  postgres: PostgresCluster;
  redis: BenchRedis;
}

const HOCUSPOCUS_REDIS_ENTRY = 'bench/servers/hocuspocusRedis.ts';
/** Enough for 400 rooms of 8 through one HAProxy; each connection takes two of its file descriptors. */
const HAPROXY_MAXCONN = 4_000;

/**
 * `count` instances of `system` on one fresh database of the bench's PostgreSQL (and, for Hocuspocus, the
 * bench's Redis), as one BenchServer for the bench:sync scenarios: its `sample` sums the instances' CPU and
 * RSS, `sampleParts` gives each instance, HAProxy, Redis and PostgreSQL apart, and `endpointFor` says where
 * each client connects. Polyphony: HAProxy with the shipped configuration in front (loopbackHaproxyConfig),
 * every client through it; the instances take document leases (bench/servers/polyphony.ts with
 * BENCH_INSTANCE_ID). Hocuspocus: every client straight to an instance, spread as `spread` says.
 */
export async function startCluster(system: ClusterSystem, count: number, spread: Spread, deps: ClusterDeps): Promise<BenchServer> {
  const kind = KIND_OF[system];
  const databaseUrl = await deps.postgres.createDatabase(system);
  const instances: BenchServer[] = [];
  const stopAll = async (): Promise<void> => {
    for (const instance of instances) await instance.stop();
  };
  try {
    // One after another: the first runs the migrations, the others find them done.
    for (let index = 1; index <= count; index++) {
      const storage = { dataDir: createDataDir(deps.cleanup, kind), databaseUrl };
      const env = system === 'polyphony' ? { BENCH_INSTANCE_ID: `bench-instance${index}-${crypto.randomUUID().slice(0, 8)}` } : { REDIS_URL: deps.redis.url };
      instances.push(await startBenchServer(kind, deps.cleanup, { storage, signer: deps.signer, postgres: deps.postgres, env, ...(system === 'polyphony' ? {} : { entry: HOCUSPOCUS_REDIS_ENTRY }) }));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const [first] = instances;
  if (!first) throw new Error('a cluster of no instances');

  let haproxy: Awaited<ReturnType<typeof startHaproxy>> | undefined;
  let unregisterKill = (): void => {};
  if (system === 'polyphony') {
    try {
      haproxy = await startHaproxy({ port: await freeTcpPort(), servers: instances.map((instance, index) => ({ name: `polyphony${index + 1}`, host: '127.0.0.1', port: instance.port })), maxconn: HAPROXY_MAXCONN });
    } catch (error) {
      await stopAll();
      throw error;
    }
    const running = haproxy;
    // Unregistered once it has stopped, so that a later pid of the same number is never killed.
    unregisterKill = deps.cleanup.emergency(() => void process.kill(running.pid, 'SIGKILL'));
  }
  const stopCluster = async (): Promise<void> => {
    await haproxy?.stop();
    unregisterKill();
    await stopAll();
  };
  const unregister = deps.cleanup.add(stopCluster);

  const endpoints: SyncEndpoint[] = instances;
  const others = instances.length > 1 ? instances.slice(1) : instances;
  const endpointFor = (docName: string, indexInRoom: number): SyncEndpoint => {
    if (spread === 'writerApart') return indexInRoom === 0 ? first : (others[(indexInRoom - 1) % others.length] ?? first);
    return endpoints[(roomOffset(docName) + indexInRoom) % endpoints.length] ?? first;
  };
  const parts = (): Record<string, ProcSample> => {
    const sampled: Record<string, ProcSample> = Object.fromEntries(instances.map((instance, index) => [`instance${index + 1}`, instance.sample()]));
    if (haproxy) sampled['haproxy'] = sampleProc(haproxy.pid);
    if (system === 'hocuspocus-redis') sampled['redis'] = deps.redis.sample();
    sampled['postgres'] = deps.postgres.sample();
    return sampled;
  };

  return {
    kind,
    pid: first.pid,
    port: haproxy?.port ?? first.port,
    storage: first.storage,
    ticket: (docName, subject) => first.ticket(docName, subject),
    ...(haproxy ? {} : { endpointFor }),
    sample: () => sumSamples(instances.map((instance) => instance.sample())),
    sampleParts: parts,
    sampleDatabase: () => deps.postgres.sample(),
    async collectGarbage() {
      await Promise.all(instances.map((instance) => instance.collectGarbage()));
    },
    async stop() {
      unregister();
      await stopCluster();
    },
  };
}

function sumSamples(samples: readonly ProcSample[]): ProcSample {
  return {
    at: performance.now(),
    cpuSeconds: samples.reduce((sum, sample) => sum + sample.cpuSeconds, 0),
    rssBytes: samples.reduce((sum, sample) => sum + sample.rssBytes, 0),
  };
}

/** A stable small number per document name, so that rooms start their round-robin on different instances. */
function roomOffset(docName: string): number {
  let hash = 0;
  for (let index = 0; index < docName.length; index++) hash = (hash * 31 + docName.charCodeAt(index)) >>> 0;
  return hash;
}
