import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_SECRET_FILE } from '../../server/secret.ts';
import { startTestRedis, type TestRedis } from './redisServer.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from './serverProcess.ts';
import { pinEngineOf } from './testStores.ts';

const POSTGRES_SCRIPT = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));

export interface ClusterInstance {
  server: ServerProcess;
  /** Its embedded LiveKit node's signalling port (ws://127.0.0.1:<port>). */
  liveKitPort: number;
}

export interface TestCluster {
  instances: ClusterInstance[];
  redis: TestRedis;
  databaseUrl: string;
  /** The key pair every node and instance holds. */
  liveKitKeys: { apiKey: string; apiSecret: string };
  dispose(): Promise<void>;
}

/**
 * Several Polyphony instances as a cluster runs them: one fresh PostgreSQL (scripts/postgres.sh), one Redis
 * (scripts/redis.sh), one server secret and one LiveKit key pair shared by all, and each instance with its
 * own data directory and its own embedded LiveKit node (own ports) in LiveKit's distributed mode.
 */
export async function startTestCluster(count: number, env: Record<string, string> = {}): Promise<TestCluster> {
  const postgres = execFileSync('bash', [POSTGRES_SCRIPT, 'start', '--owner-pid', String(process.pid)], { encoding: 'utf8' });
  const databaseUrl = exported(postgres, 'DATABASE_URL');
  const postgresDir = exported(postgres, 'POLYPHONY_POSTGRES_DIR');
  const redis = startTestRedis();
  const liveKitKeys = { apiKey: `API${randomBytes(6).toString('hex')}`, apiSecret: randomBytes(32).toString('hex') };
  const secret = randomBytes(32);
  const dataDirs: string[] = [];
  const instances: ClusterInstance[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(instances.map(({ server }) => server.stop()));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    redis.stop();
    execFileSync('bash', [POSTGRES_SCRIPT, 'stop', postgresDir]);
  };
  try {
    for (let i = 0; i < count; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), `polyphony-cluster-${i}-`));
      dataDirs.push(dataDir);
      // Invites, sync tickets and media keys are signed or derived with it: every instance must hold the same.
      writeFileSync(join(dataDir, SERVER_SECRET_FILE), secret, { mode: 0o600 });
      pinEngineOf(dataDir, { DATABASE_URL: databaseUrl });
      const liveKit = await embeddedLiveKitEnv();
      const server = await startServerProcess({
        dataDir,
        env: { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, LIVEKIT_API_KEY: liveKitKeys.apiKey, LIVEKIT_API_SECRET: liveKitKeys.apiSecret, ...liveKit, ...env },
      });
      instances.push({ server, liveKitPort: Number(liveKit['LIVEKIT_PORT']) });
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { instances, redis, databaseUrl, liveKitKeys, dispose };
}

function exported(exports: string, name: string): string {
  const match = new RegExp(`^export ${name}='([^']*)'$`, 'm').exec(exports);
  if (!match?.[1]) throw new Error(`a start script printed no ${name}`);
  return match[1];
}
