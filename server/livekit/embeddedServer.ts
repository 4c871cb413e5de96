import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { LogFields, Logger } from '../log.ts';
import { endLeftoverLiveKit, forgetLiveKitProcess, rememberLiveKitProcess } from './leftoverProcess.ts';
import { loadOrCreateLiveKitKeys, type LiveKitKeys } from './liveKitKeys.ts';
import type { RedisAddress } from '../cluster/redisUrl.ts';
import { LOOPBACK, renderLiveKitConfig } from './livekitConfig.ts';
import type { PublicMedia } from './publicMedia.ts';

const CONFIG_FILE = 'livekit.yaml';
const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;
/** LiveKit's first SIGTERM waits for every participant to leave; a second one after this stops it anyway. */
const SECOND_SIGNAL_AFTER_MS = 1_000;
const KILL_AFTER_MS = 5_000;
/** At most this many LiveKit log lines per minute reach our log; a flapping network must not flood it. */
const MAX_LINES_PER_MINUTE = 30;
const OUTPUT_TAIL_LINES = 20;

export interface EmbeddedLiveKitOptions {
  binary: string;
  /** Where the generated config file, the kept key pair and the process id go; created if missing. */
  dataDir: string;
  /** Signalling and HTTP API port, on 127.0.0.1. */
  port: number;
  /** The single UDP port carrying all media, on 127.0.0.1 (every address in public mode). */
  rtcUdpPort: number;
  /** Media reachable from other machines; undefined (the default) keeps everything on loopback. */
  public?: PublicMedia | undefined;
  /** Where LiveKit posts its signed webhooks (participant joined/left), if anywhere. */
  webhookUrl?: string | undefined;
  /** The key pair to use instead of the one kept in `dataDir` (a cluster's shared pair). */
  keys?: LiveKitKeys | undefined;
  /** LiveKit's distributed mode through this Redis (see livekitConfig.ts). */
  redis?: RedisAddress | undefined;
  logger: Logger;
}

export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

export interface EmbeddedLiveKit {
  /** `ws://127.0.0.1:<port>`, for clients and (as http://) for the server SDK. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s; resolves once it has. */
  stop(): Promise<void>;
  /** Resolves when the process ends, whether through stop() or a crash. */
  exited: Promise<ExitStatus>;
}

/**
 * Runs a LiveKit server reachable from this machine only, with the key pair kept in `dataDir` (so tokens
 * stay valid when it or the app restarts; see liveKitKeys.ts). A LiveKit left running by an app that was
 * killed is ended first. Resolves once it answers requests signed with that key; rejects, leaving no
 * process behind, if it exits or stays silent for 20 s.
 */
export async function startEmbeddedLiveKit(options: EmbeddedLiveKitOptions): Promise<EmbeddedLiveKit> {
  const { binary, dataDir, port, rtcUdpPort, webhookUrl, logger } = options;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { apiKey, apiSecret } = options.keys ?? loadOrCreateLiveKitKeys(dataDir);
  const configFile = join(dataDir, CONFIG_FILE);
  if (await endLeftoverLiveKit(dataDir, configFile)) logger.warn('livekit_leftover_ended');
  await writeConfigFile(configFile, renderLiveKitConfig({ port, rtcUdpPort, apiKey, apiSecret, webhookUrl, public: options.public, redis: options.redis }));

  const child = spawn(binary, ['--config', configFile], { env: inheritedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const watch = watchChild(child);
  if (child.pid !== undefined) rememberLiveKitProcess(dataDir, child.pid);
  void watch.exited.then(() => forgetLiveKitProcess(dataDir));
  const output = forwardOutput(child, logger, apiKey);
  // Without this a crash or process.exit() here would leave LiveKit running with nobody to stop it.
  // SIGKILL because an exit hook cannot wait, and a SIGTERM would wait for participants to leave.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.on('exit', killOnExit);
  void watch.exited.then(() => process.off('exit', killOnExit));

  const stop = (): Promise<void> => stopChild(child, watch);
  try {
    await waitUntilReady(`http://${LOOPBACK}:${port}`, watch, output);
    await checkItIsOurs(`http://${LOOPBACK}:${port}`, apiKey, apiSecret, port);
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info('livekit_started', { port, rtcUdpPort, pid: child.pid, public: options.public !== undefined, distributed: options.redis !== undefined });
  return { url: `ws://${LOOPBACK}:${port}`, apiKey, apiSecret, stop, exited: watch.exited };
}

/** Replaces the file rather than overwriting it, so the secret is never in a file readable by others. */
async function writeConfigFile(file: string, text: string): Promise<void> {
  await rm(file, { force: true });
  await writeFile(file, text, { mode: 0o600, flag: 'wx' });
}

/**
 * livekit-server turns environment variables into settings that override its config file: LIVEKIT_CONFIG
 * replaces the file outright, and LIVEKIT_PORT / LIVEKIT_RTC_UDP_PORT (the very names our own config
 * reads) set its ports; NODE_IP, UDP_PORT and REDIS_HOST too. So it gets only what a Go program needs.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

interface ChildWatch {
  exited: Promise<ExitStatus>;
  /** Set once the process has ended (or never started). */
  status: ExitStatus | undefined;
  spawnError: Error | undefined;
}

function watchChild(child: ChildProcess): ChildWatch {
  const state: Omit<ChildWatch, 'exited'> = { status: undefined, spawnError: undefined };
  const exited = new Promise<ExitStatus>((done) => {
    const settle = (status: ExitStatus): void => {
      state.status ??= status;
      done(state.status);
    };
    child.once('exit', (code, signal) => settle({ code, signal }));
    // Only a failed spawn (e.g. a missing binary) ends it here; a failed kill() also emits 'error'.
    child.on('error', (error) => {
      if (child.pid !== undefined) return;
      state.spawnError = error;
      settle({ code: null, signal: null });
    });
  });
  return Object.assign(state, { exited });
}

async function stopChild(child: ChildProcess, watch: ChildWatch): Promise<void> {
  if (watch.status) return;
  child.kill('SIGTERM');
  const second = setTimeout(() => child.kill('SIGTERM'), SECOND_SIGNAL_AFTER_MS);
  const kill = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  try {
    await watch.exited;
  } finally {
    clearTimeout(second);
    clearTimeout(kill);
  }
}

async function waitUntilReady(httpUrl: string, watch: ChildWatch, output: OutputTail): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (watch.spawnError) throw new Error(`Could not start the LiveKit server: ${watch.spawnError.message}`);
    if (watch.status) {
      const { code, signal } = watch.status;
      throw new Error(`The LiveKit server exited during start-up (code ${code}, signal ${signal}).${output.describe()}`);
    }
    if (await answersOk(httpUrl)) return;
    await delay(READY_POLL_MS);
  }
  throw new Error(`The LiveKit server did not answer on ${httpUrl} within ${READY_TIMEOUT_MS / 1000} s.${output.describe()}`);
}

async function answersOk(httpUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${httpUrl}/`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Something else on the port (another app's LiveKit, say) would answer 200 too; only ours knows our key. */
async function checkItIsOurs(httpUrl: string, apiKey: string, apiSecret: string, port: number): Promise<void> {
  try {
    await new RoomServiceClient(httpUrl, apiKey, apiSecret).listRooms();
  } catch (error) {
    throw new Error(`The server answering on port ${port} refused our LiveKit key: is another server using that port?`, {
      cause: error,
    });
  }
}

interface OutputTail {
  /** The last lines LiveKit printed, for an error message; empty when it printed nothing. */
  describe(): string;
}

/** LiveKit logs JSON lines; only the message, component and error reach our log (not room or participant fields). */
function forwardOutput(child: ChildProcess, logger: Logger, apiKey: string): OutputTail {
  const tail: string[] = [];
  let windowStart = performance.now();
  let linesInWindow = 0;
  const onLine = (raw: string): void => {
    const redacted = redact(raw, apiKey);
    const line = redacted.length > 500 ? `${redacted.slice(0, 500)}…` : redacted;
    tail.push(line);
    if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    if (performance.now() - windowStart > 60_000) {
      windowStart = performance.now();
      linesInWindow = 0;
    }
    linesInWindow += 1;
    if (linesInWindow > MAX_LINES_PER_MINUTE) {
      if (linesInWindow === MAX_LINES_PER_MINUTE + 1) logger.warn('livekit_log_suppressed', { perMinute: MAX_LINES_PER_MINUTE });
      return;
    }
    const entry = parseLogLine(line);
    if (!entry) return logger.warn('livekit_output', { line });
    const fields: LogFields = { livekitLevel: entry.level, message: entry.msg, component: entry.logger, error: entry.error };
    if (entry.level === 'warn') logger.warn('livekit_log', fields);
    else if (entry.level === 'info' || entry.level === 'debug') logger.info('livekit_log', fields);
    else logger.error('livekit_log', fields);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
  return { describe: () => (tail.length === 0 ? '' : ` Its last output:\n${tail.join('\n')}`) };
}

/**
 * LiveKit names the API key in some errors (e.g. "invalid API key: APIxxxx"), and a token could appear in
 * a request dump; neither may reach our logs. A key given by the operator need not look like LiveKit's own.
 */
function redact(line: string, apiKey: string): string {
  return line.split(apiKey).join('API…').replace(/\bAPI[A-Za-z0-9]{6,}\b/g, 'API…').replace(/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, '<token>');
}

interface LiveKitLogEntry {
  level: string;
  msg: string | undefined;
  logger: string | undefined;
  error: string | undefined;
}

function parseLogLine(line: string): LiveKitLogEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !('level' in value) || typeof value.level !== 'string') return undefined;
  const text = (key: string): string | undefined => {
    const field: unknown = Reflect.get(value, key);
    return typeof field === 'string' ? field : undefined;
  };
  return { level: value.level, msg: text('msg'), logger: text('logger'), error: text('error') };
}
