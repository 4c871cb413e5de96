import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { RoomServiceClient } from 'livekit-server-sdk';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { startHaproxy, type RunningHaproxy } from '../../scripts/cluster/haproxyProcess.ts';
import { startPolyphonyInstances, type LocalInstances, type PolyphonyInstance } from '../../scripts/cluster/polyphonyInstances.ts';
import { parsePrometheusText } from './prometheusText.ts';
import { startTestRedis, type TestRedis } from './redisServer.ts';
import { pinEngineOf } from './testStores.ts';

const POSTGRES_SCRIPT = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));
/** Lets a test read each instance's /metrics (sync connections per instance). */
const METRICS_TOKEN = 'media-cluster-test-metrics-token';
/** HAProxy's backend for everything but /sync/ (deploy/haproxy/polyphony.cfg). */
const APP_BACKEND = 'polyphony_app';

/** One instance of the cluster and the LiveKit node its joins send browsers to. */
export interface MediaInstance {
  instance: PolyphonyInstance;
  /** The signalling port (ws://127.0.0.1:<port>) of the node this instance's join answers name. */
  liveKitPort: number;
}

export interface MediaCluster {
  haproxy: RunningHaproxy;
  instances: MediaInstance[];
  redis: TestRedis;
  /** The LiveKit nodes' signalling ports, one per node. */
  liveKitPorts: number[];
  /** LiveKit's API on the node at `port`, with the key pair every node and instance holds. */
  roomService(port: number): RoomServiceClient;
  /** The instance whose lease on `docName` is live now, per PostgreSQL; undefined when none holds one. */
  ownerOf(docName: string): Promise<PolyphonyInstance | undefined>;
  /** Open sync sockets of each instance, by name. */
  syncConnections(): Promise<Record<string, number>>;
  /**
   * HAProxy sends pages and API requests to `instance` alone (the others drained in the app backend, as an
   * operator takes instances out of rotation with the runtime API); /sync/ routing is left as it is.
   * Without an instance, all serve again.
   */
  answerOnlyFrom(instance: PolyphonyInstance | undefined): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The regional service of the README in miniature, as `npm run cluster` runs it: one PostgreSQL
 * (scripts/postgres.sh) and one Redis (scripts/redis.sh), three instances sharing one server secret and one
 * LiveKit key pair, the first two each with an embedded LiveKit node in LiveKit's distributed mode and the
 * third using the first one's node (as an instance without a node of its own would), and HAProxy in front
 * with the shipped configuration (loopbackHaproxyConfig). Nodes post their webhooks through HAProxy.
 */
export async function startMediaCluster(): Promise<MediaCluster> {
  const postgres = execFileSync('bash', [POSTGRES_SCRIPT, 'start', '--owner-pid', String(process.pid)], { encoding: 'utf8' });
  const databaseUrl = exported(postgres, 'DATABASE_URL');
  const postgresDir = exported(postgres, 'POLYPHONY_POSTGRES_DIR');
  let redis: TestRedis | undefined;
  let local: LocalInstances | undefined;
  let haproxy: RunningHaproxy | undefined;
  let pool: pg.Pool | undefined;
  const dispose = async (): Promise<void> => {
    await haproxy?.stop();
    await local?.stop();
    await pool?.end();
    redis?.stop();
    execFileSync('bash', [POSTGRES_SCRIPT, 'stop', postgresDir]);
  };
  try {
    redis = startTestRedis();
    const keys = { LIVEKIT_API_KEY: `API${randomBytes(6).toString('hex')}`, LIVEKIT_API_SECRET: randomBytes(32).toString('hex') };
    const nodes = [await nodePorts(), await nodePorts()];
    const liveKitPorts = nodes.map((node) => node.tcp);
    const [firstNode] = liveKitPorts;
    const front = await freeTcpPort();
    const frontUrl = `http://127.0.0.1:${front}`;
    local = await startPolyphonyInstances({
      count: 3,
      databaseUrl,
      env: { ...keys, REDIS_URL: redis.url, PUBLIC_URL: frontUrl, LIVEKIT_WEBHOOK_URL: `${frontUrl}/api/livekit/webhook`, METRICS_TOKEN },
      envOf: (index) => {
        const node = nodes[index - 1];
        return node ? { LIVEKIT_PORT: String(node.tcp), LIVEKIT_RTC_UDP_PORT: String(node.udp) } : { LIVEKIT_URL: `ws://127.0.0.1:${firstNode}` };
      },
    });
    const started = local.instances;
    haproxy = await startHaproxy({ port: front, servers: started.map(({ name, port }) => ({ name, host: '127.0.0.1', port })) });
    for (const instance of started) pinEngineOf(instance.dataDir, { DATABASE_URL: databaseUrl });
    const leases = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    pool = leases;
    const running = haproxy;
    return {
      haproxy: running,
      instances: started.map((instance, i) => ({ instance, liveKitPort: liveKitPorts[i] ?? firstNode ?? 0 })),
      redis,
      liveKitPorts,
      roomService: (port) => new RoomServiceClient(`http://127.0.0.1:${port}`, keys.LIVEKIT_API_KEY, keys.LIVEKIT_API_SECRET),
      async ownerOf(docName) {
        const held = await leases.query<{ lease_holder: string }>('SELECT lease_holder FROM doc_heads WHERE doc_name = $1 AND lease_until > now()', [docName]);
        const holder = held.rows[0]?.lease_holder;
        return started.find((instance) => instance.instanceId() === holder);
      },
      async syncConnections() {
        const counts: Record<string, number> = {};
        for (const instance of started) counts[instance.name] = await syncConnectionsOf(instance);
        return counts;
      },
      async answerOnlyFrom(chosen) {
        for (const { name } of started) {
          const state = chosen === undefined || chosen.name === name ? 'ready' : 'drain';
          const answer = await running.runtime(`set server ${APP_BACKEND}/${name} state ${state}`);
          if (answer !== '') throw new Error(`HAProxy refused to set ${name} ${state}: ${answer}`);
        }
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function nodePorts(): Promise<{ tcp: number; udp: number }> {
  return { tcp: await freeTcpPort(), udp: await freeUdpPort() };
}

async function syncConnectionsOf(instance: PolyphonyInstance): Promise<number> {
  const response = await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!response.ok) throw new Error(`${instance.name} /metrics: ${response.status}`);
  const sample = parsePrometheusText(await response.text()).samples.find((each) => each.name === 'polyphony_sync_connections');
  return sample?.value ?? 0;
}

function exported(exports: string, name: string): string {
  const match = new RegExp(`^export ${name}='([^']*)'$`, 'm').exec(exports);
  if (!match?.[1]) throw new Error(`a start script printed no ${name}`);
  return match[1];
}
