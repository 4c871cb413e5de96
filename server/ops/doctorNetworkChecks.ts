import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, isIP } from 'node:net';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { ServerConfig } from '../config.ts';
import { findLiveKitBinary } from '../livekit/findBinary.ts';
import { failed, passed, type DoctorCheck } from './doctor.ts';

export async function checkPort(config: ServerConfig, timeoutMs: number): Promise<DoctorCheck> {
  const where = `${config.host}:${config.port}`;
  const problem = await tryListen(config.host, config.port);
  if (problem === undefined) return passed('port', `${where} is free for the server.`);
  if (problem === 'EADDRINUSE' && (await answersHealthz(config.host, config.port, timeoutMs))) {
    return passed('port', `Polyphony is already running on ${where} and answers /healthz.`);
  }
  const detail = problem === 'EADDRINUSE' ? `Something other than a healthy Polyphony holds ${where}.` : `The server could not listen on ${where} (${problem}).`;
  return failed('port', detail, 'Stop whatever holds that port or set PORT (and HOST) to a free one this user may bind.');
}

function tryListen(host: string, port: number): Promise<string | undefined> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => done(undefined)));
  });
}

export async function answersHealthz(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const name = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  try {
    const response = await fetch(`http://${name}:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body: unknown = await response.json();
    return response.ok && typeof body === 'object' && body !== null && 'status' in body && body.status === 'ok';
  } catch {
    return false;
  }
}

export function checkPublicUrl(publicUrl: string | undefined): DoctorCheck {
  if (publicUrl === undefined) return passed('public_url', 'PUBLIC_URL is not set: links use the origin each request came to.');
  const fix = 'Set PUBLIC_URL to the origin families open, such as https://meet.example.org (https, no path).';
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return failed('public_url', `PUBLIC_URL "${publicUrl}" is not a URL.`, fix);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return failed('public_url', `PUBLIC_URL uses ${url.protocol}, not https.`, fix);
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    return failed('public_url', `PUBLIC_URL "${publicUrl}" is more than an origin (it has a path, query, fragment or credentials).`, fix);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !local) {
    return failed('public_url', `PUBLIC_URL is plain http on ${url.hostname}: phones refuse camera and microphone there, and links travel unprotected.`, fix);
  }
  return passed('public_url', `Links point at ${url.origin}.`);
}

export async function checkLiveKit(config: ServerConfig, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<DoctorCheck> {
  const { livekit } = config;
  if (livekit.mode === 'disabled') return passed('livekit', 'Video is switched off (LIVEKIT=off).');
  if (livekit.mode === 'embedded') {
    if (!webhooksReachUs(config.host, env)) {
      return failed('livekit', `The embedded LiveKit sends its webhooks to 127.0.0.1:${config.port}, but the server listens on ${config.host} only: attendance would not be recorded, and people no longer allowed in would stay in the video.`, 'Set HOST to 127.0.0.1 (behind a reverse proxy) or to 0.0.0.0.');
    }
    const binary = findLiveKitBinary(env);
    if (binary) return passed('livekit', `The server starts its own LiveKit from ${binary}.`);
    return failed('livekit', 'No livekit-server binary found (LIVEKIT_SERVER_BIN, PATH or the cache): meetings would run without video.', 'Run npm run livekit:ensure, or set LIVEKIT_SERVER_BIN, or LIVEKIT_URL with its keys for an external LiveKit.');
  }
  const client = new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
  try {
    const rooms = await withTimeout(client.listRooms(), timeoutMs);
    return passed('livekit', `The LiveKit server at ${livekit.url} accepts these keys (${rooms.length} rooms open).`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failed('livekit', `The LiveKit server at ${livekit.url} did not accept a request with these keys: ${reason}.`, 'Check that LIVEKIT_URL reaches the LiveKit server and that LIVEKIT_API_KEY and LIVEKIT_API_SECRET are a key pair from its config.');
  }
}

/**
 * Without TLS the server tells its LiveKit to post webhooks to http://127.0.0.1:PORT (server/main.ts), which
 * answers only if the server listens there; with TLS they go to a loopback listener of their own.
 */
function webhooksReachUs(host: string, env: NodeJS.ProcessEnv): boolean {
  if (env['TLS_CERT_FILE'] && env['TLS_KEY_FILE']) return true;
  return ['0.0.0.0', '::', 'localhost'].includes(host) || host.startsWith('127.');
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** TLS_CERT_FILE and TLS_KEY_FILE, where a deployment terminates TLS with files next to the server. */
export function checkTls(env: NodeJS.ProcessEnv, publicUrl: string | undefined): DoctorCheck {
  const certFile = env['TLS_CERT_FILE'];
  const keyFile = env['TLS_KEY_FILE'];
  if (!certFile && !keyFile) return passed('tls', 'TLS_CERT_FILE and TLS_KEY_FILE are not set (TLS ends at a proxy in front, if any).');
  if (!certFile || !keyFile) return failed('tls', 'Only one of TLS_CERT_FILE and TLS_KEY_FILE is set.', 'Set both TLS_CERT_FILE and TLS_KEY_FILE, or neither.');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(certFile));
  } catch (error) {
    return failed('tls', `The certificate ${certFile} cannot be read as PEM: ${error instanceof Error ? error.message : String(error)}.`, 'Point TLS_CERT_FILE at the PEM certificate (full chain) readable by this user.');
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(readFileSync(keyFile)))) {
      return failed('tls', `The key ${keyFile} is not the key of the certificate ${certFile}.`, 'Point TLS_KEY_FILE at the private key issued with this certificate.');
    }
  } catch (error) {
    return failed('tls', `The key ${keyFile} cannot be read: ${error instanceof Error ? error.message : String(error)}.`, 'Point TLS_KEY_FILE at the PEM private key readable by this user.');
  }
  const now = Date.now();
  if (Date.parse(cert.validTo) < now || Date.parse(cert.validFrom) > now) {
    return failed('tls', `The certificate is valid from ${cert.validFrom} to ${cert.validTo}, not now.`, 'Renew the certificate (and check the clock).');
  }
  const host = publicUrl && URL.canParse(publicUrl) ? new URL(publicUrl).hostname : undefined;
  if (host && !(isIP(host) ? cert.checkIP(host) : cert.checkHost(host))) {
    return failed('tls', `The certificate does not name ${host}, the host of PUBLIC_URL (it is for ${cert.subjectAltName ?? cert.subject}).`, 'Use a certificate issued for the host in PUBLIC_URL, or correct PUBLIC_URL.');
  }
  return passed('tls', `The certificate and key match${host ? ` and name ${host}` : ''}, valid until ${cert.validTo}.`);
}
