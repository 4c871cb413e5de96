// `npm run cluster`: a regional service in miniature, on loopback. PostgreSQL and Redis (the project's own
// throw-away servers, scripts/postgres.sh and scripts/redis.sh), three Polyphony instances, two of them with
// an embedded LiveKit node in LiveKit's distributed mode (the third uses the first node, as an instance
// without a node of its own would), and HAProxy in front when Debian's haproxy is installed. Prints the URL;
// Ctrl+C (SIGINT) or SIGTERM stops everything and removes every temporary file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { freeTcpPort, freeUdpPort } from '../server/livekit/freePort.ts';
import { SERVER_SECRET_FILE } from '../server/secret.ts';
import { loopbackHaproxyConfig } from './cluster/haproxyConfig.ts';

const ROOT = resolve(import.meta.dirname, '..');
const INSTANCES = 3;
const LIVEKIT_NODES = 2;
const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((path) => existsSync(path));
const STOP_TIMEOUT_MS = 15_000;
/** The watcher's program: one process, no children of its own, so that stopping it leaves nothing behind. */
const WATCHER = `
const [owner, list, dir] = process.argv.slice(1);
const pids = JSON.parse(list);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const signal = (name) => pids.forEach((pid) => { try { process.kill(pid, name); } catch {} });
const timer = setInterval(() => {
  if (alive(Number(owner))) return;
  clearInterval(timer);
  signal('SIGTERM');
  setTimeout(() => { signal('SIGKILL'); require('node:fs').rmSync(dir, { recursive: true, force: true }); }, 10000);
}, 1000);
`;

interface Running {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

const running: Running[] = [];
const cleanups: (() => void)[] = [];
let stopping = false;

process.on('SIGINT', () => void stopAll('SIGINT'));
process.on('SIGTERM', () => void stopAll('SIGTERM'));
// A crash of this script must not leave servers behind (PostgreSQL and Redis have their own watchers).
process.on('exit', () => running.forEach(({ child }) => child.kill('SIGKILL')));

try {
  await main();
} catch (error) {
  process.stderr.write(`The cluster did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll(undefined);
  process.exit(1);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-cluster.'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const frontPort = Number(process.env['CLUSTER_PORT'] ?? 8080);
  const postgres = startByScript('postgres.sh', ['DATABASE_URL', 'POLYPHONY_POSTGRES_DIR']);
  const redis = startByScript('redis.sh', ['REDIS_URL', 'POLYPHONY_REDIS_DIR']);
  const ports = await instancePorts();
  const front = HAPROXY ? `http://127.0.0.1:${frontPort}` : `http://127.0.0.1:${ports[0]?.http}`;
  if (HAPROXY) {
    const configFile = join(dir, 'haproxy.cfg');
    // The shipped deploy/haproxy/polyphony.cfg, with only the loopback port, servers and run directory swapped.
    const servers = ports.map((p, i) => ({ name: `polyphony${i + 1}`, host: '127.0.0.1', port: p.http }));
    writeFileSync(configFile, loopbackHaproxyConfig({ port: frontPort, servers, runDir: dir }));
    run('haproxy', HAPROXY, ['-db', '-f', configFile], join(dir, 'haproxy.log'));
  }
  const shared = {
    DATABASE_URL: postgres['DATABASE_URL'] ?? '',
    REDIS_URL: redis['REDIS_URL'] ?? '',
    LIVEKIT_API_KEY: `API${randomBytes(8).toString('hex')}`,
    LIVEKIT_API_SECRET: randomBytes(32).toString('hex'),
    PUBLIC_URL: front,
    HOST: '127.0.0.1',
    // Through the load balancer, a node's webhook reaches a live instance even while its own one stops.
    ...(HAPROXY ? { LIVEKIT_WEBHOOK_URL: `${front}/api/livekit/webhook` } : {}),
  };
  const secret = randomBytes(32);
  let setupLine: string | undefined;
  // One after the other: a first start migrates the database, and each start replaces the setup link.
  for (const [index, port] of ports.entries()) {
    const dataDir = join(dir, `instance-${index + 1}`);
    execFileSync('mkdir', ['-m', '700', dataDir]);
    writeFileSync(join(dataDir, SERVER_SECRET_FILE), secret, { mode: 0o600 });
    const media = port.liveKit ? { LIVEKIT_PORT: String(port.liveKit.tcp), LIVEKIT_RTC_UDP_PORT: String(port.liveKit.udp) } : { LIVEKIT_URL: `ws://127.0.0.1:${ports[0]?.liveKit?.tcp}` };
    const env = { ...process.env, ...shared, ...media, PORT: String(port.http), DATA_DIR: dataDir, LOG_LEVEL: process.env['LOG_LEVEL'] === 'debug' ? 'debug' : 'info' };
    const { child } = run(`instance ${index + 1}`, process.execPath, ['server/main.ts'], join(dir, `instance-${index + 1}.log`), env);
    setupLine = (await listening(child, `instance ${index + 1}`)) ?? setupLine;
  }
  watchOwner(dir);
  if (HAPROXY) await healthy(front);
  printSummary(front, ports, dir, setupLine);
  process.stdout.write(`  PostgreSQL: DATABASE_URL='${shared.DATABASE_URL}'\n  Redis: REDIS_URL='${shared.REDIS_URL}' (files in ${redis['POLYPHONY_REDIS_DIR']})\n\n`);
}

/**
 * If this script is killed outright (SIGKILL: no handler runs), a detached watcher ends what it started:
 * the instances (each stops its LiveKit node), HAProxy, and the temporary directory. PostgreSQL and Redis
 * have watchers of their own.
 */
function watchOwner(dir: string): void {
  const pids = running.map(({ child }) => child.pid).filter((pid) => pid !== undefined);
  const watcher = spawn(process.execPath, ['-e', WATCHER, String(process.pid), JSON.stringify(pids), dir], { detached: true, stdio: 'ignore' });
  watcher.unref();
  cleanups.push(() => void watcher.kill('SIGKILL'));
}


interface InstancePorts {
  http: number;
  liveKit: { tcp: number; udp: number } | undefined;
}

async function instancePorts(): Promise<InstancePorts[]> {
  const ports: InstancePorts[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    ports.push({ http: await freeTcpPort(), liveKit: i < LIVEKIT_NODES ? { tcp: await freeTcpPort(), udp: await freeUdpPort() } : undefined });
  }
  return ports;
}

/** Starts PostgreSQL or Redis with the project's script; they stop themselves if this process is killed. */
function startByScript(script: string, names: string[]): Record<string, string> {
  const output = execFileSync('bash', [join(ROOT, 'scripts', script), 'start', '--owner-pid', String(process.pid)], { encoding: 'utf8' });
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = new RegExp(`^export ${name}='([^']*)'$`, 'm').exec(output)?.[1];
    if (!value) throw new Error(`scripts/${script} printed no ${name}`);
    values[name] = value;
  }
  const dir = values[names[1] ?? ''] ?? '';
  cleanups.push(() => void execFileSync('bash', [join(ROOT, 'scripts', script), 'stop', dir], { stdio: 'ignore' }));
  return values;
}

function run(name: string, command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): Running {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => {
    if (!stopping) process.stderr.write(`${name} stopped (exit ${child.exitCode ?? child.signalCode}); the others go on. Its log: ${logFile}\n`);
  });
  const entry = { name, child, exited };
  running.push(entry);
  return entry;
}

/** Resolves when the instance logs `listening`, with the first-run setup line it printed, if any. */
function listening(child: ChildProcess, name: string): Promise<string | undefined> {
  return new Promise((done, fail) => {
    let setupLine: string | undefined;
    if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => void (line.startsWith('First run:') && (setupLine = line)));
    if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => void (line.includes('"event":"listening"') && done(setupLine)));
    child.once('exit', (code) => fail(new Error(`${name} exited during start-up (code ${code}); see its log`)));
  });
}

async function healthy(front: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const status = await fetch(`${front}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((res) => res.status, () => 0);
    if (status === 200) return;
    await delay(200);
  }
  throw new Error(`HAProxy at ${front} did not answer /healthz with 200`);
}

function printSummary(front: string, ports: InstancePorts[], dir: string, setupLine: string | undefined): void {
  const lines = ['', `Polyphony cluster on loopback: ${INSTANCES} instances, ${LIVEKIT_NODES} LiveKit nodes, PostgreSQL, Redis${HAPROXY ? ', HAProxy' : ''}.`];
  ports.forEach((port, i) => {
    const node = port.liveKit ? `its own LiveKit node ws://127.0.0.1:${port.liveKit.tcp}` : `the LiveKit node of instance 1`;
    lines.push(`  instance ${i + 1}: http://127.0.0.1:${port.http} (${node}); log ${join(dir, `instance-${i + 1}.log`)}`);
  });
  if (!HAPROXY) lines.push('  HAProxy is not installed (apt-get install haproxy): no load balancer, instance 1 is the entry point.');
  if (setupLine) lines.push('', setupLine);
  lines.push('', `Polyphony cluster is up: ${front}  (Ctrl+C stops everything)`, '');
  process.stdout.write(lines.join('\n'));
}

async function stopAll(signal: string | undefined): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (signal) process.stdout.write(`\nStopping the cluster (${signal})…\n`);
  // Instances first (each stops its LiveKit node), the load balancer, then Redis and PostgreSQL.
  await Promise.all(running.map((entry) => stopChild(entry)));
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  if (signal) process.exit(0);
}

async function stopChild({ child, exited }: Running): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
