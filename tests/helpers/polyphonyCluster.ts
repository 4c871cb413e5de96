import pg from 'pg';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { startHaproxy, type RunningHaproxy } from '../../scripts/cluster/haproxyProcess.ts';
import { startPolyphonyInstances, type PolyphonyInstance } from '../../scripts/cluster/polyphonyInstances.ts';
import { createTestDatabase } from './postgresDatabase.ts';
import { parsePrometheusText } from './prometheusText.ts';
import { seedNetwork, type SeededNetwork } from './seed.ts';
import { forgetEngineOf, pinEngineOf } from './testStores.ts';

/** Lets a test read each instance's /metrics (sync connections per instance). */
const METRICS_TOKEN = 'cluster-test-metrics-token';

export interface TestCluster {
  haproxy: RunningHaproxy;
  instances: PolyphonyInstance[];
  databaseUrl: string;
  /** A network with an invite and a meeting, made with the ops CLI on the shared database. */
  seeded: SeededNetwork;
  /** The instance whose lease on `docName` is live now, per PostgreSQL; undefined when none holds one. */
  ownerOf(docName: string): Promise<PolyphonyInstance | undefined>;
  /** Open sync sockets of each instance, by name (0 for one that is down). */
  syncConnections(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * PostgreSQL (a fresh database on the run's server), `count` instances on it and HAProxy in front with the
 * shipped configuration, all on loopback: the regional service of the README in miniature.
 */
export async function startTestCluster(count = 3): Promise<TestCluster> {
  const database = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const started = await startPolyphonyInstances({ count, databaseUrl: database.url, env: { LIVEKIT: 'off', METRICS_TOKEN } });
  const { instances } = started;
  const [first] = instances;
  if (!first) throw new Error('no instance');
  let haproxy: RunningHaproxy | undefined;
  const stop = async () => {
    await haproxy?.stop();
    await started.stop();
    await pool.end();
    await forgetEngineOf(first.dataDir);
    await database.drop();
  };
  try {
    haproxy = await startHaproxy({ port: await freeTcpPort(), servers: instances.map((instance) => ({ name: instance.name, host: '127.0.0.1', port: instance.port })) });
    pinEngineOf(first.dataDir, { DATABASE_URL: database.url });
    const seeded = await seedNetwork(first.dataDir, { team: [] });
    return {
      haproxy,
      instances,
      databaseUrl: database.url,
      seeded,
      async ownerOf(docName) {
        const held = await pool.query<{ lease_holder: string }>('SELECT lease_holder FROM doc_heads WHERE doc_name = $1 AND lease_until > now()', [docName]);
        const holder = held.rows[0]?.lease_holder;
        return instances.find((instance) => instance.instanceId() === holder);
      },
      async syncConnections() {
        const counts: Record<string, number> = {};
        for (const instance of instances) counts[instance.name] = instance.running() ? await syncConnectionsOf(instance) : 0;
        return counts;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function syncConnectionsOf(instance: PolyphonyInstance): Promise<number> {
  const response = await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!response.ok) throw new Error(`${instance.name} /metrics: ${response.status}`);
  const sample = parsePrometheusText(await response.text()).samples.find((each) => each.name === 'polyphony_sync_connections');
  return sample?.value ?? 0;
}
