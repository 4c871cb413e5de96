import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../livekit/freePort.ts';
import { openDatabase } from '../store/database.ts';
import { runDoctor, type DoctorCheck } from './doctor.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-doctor-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A data directory as the server leaves it, and an environment under which every check passes. */
async function healthySetup(): Promise<{ dataDir: string; env: NodeJS.ProcessEnv }> {
  const dataDir = join(tempDir(), 'data');
  openDatabase(dataDir).close();
  return { dataDir, env: { DATA_DIR: dataDir, PORT: String(await freeTcpPort()), HOST: '127.0.0.1', LIVEKIT: 'off', PUBLIC_URL: 'https://meet.example.org' } };
}

function check(checks: DoctorCheck[], name: string): DoctorCheck {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check named ${name}`);
  return found;
}

function expectOnlyFailure(checks: DoctorCheck[], name: string, detail: RegExp): void {
  expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([name]);
  const failure = check(checks, name);
  expect(failure.detail).toMatch(detail);
  expect(failure.fix).toMatch(/^[A-Z].*\.$/); // one sentence
}

function selfSignedCert(dir: string, host: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

describe('polyphony doctor', () => {
  it('passes every check on a healthy setup', async () => {
    const { env } = await healthySetup();
    const checks = await runDoctor(env);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(['config', 'port', 'public_url', 'database', 'data_dir_modes', 'disk_space', 'clock', 'livekit', 'tls']);
  });

  it('fails the port check when something else holds the port', async () => {
    const { env } = await healthySetup();
    const other: Server = createServer((socket) => socket.end('HTTP/1.1 404 Not Found\r\n\r\n'));
    await new Promise<void>((done) => other.listen(Number(env['PORT']), '127.0.0.1', () => done()));
    cleanups.push(() => void other.close());
    expectOnlyFailure(await runDoctor(env, { timeoutMs: 1000 }), 'port', /Something other than a healthy Polyphony/);
  });

  it.each([['ftp://meet.example.org'], ['https://meet.example.org/app'], ['http://meet.example.org'], ['not a url']])('fails PUBLIC_URL %s', async (url) => {
    const { env } = await healthySetup();
    expectOnlyFailure(await runDoctor({ ...env, PUBLIC_URL: url }), 'public_url', /PUBLIC_URL/);
  });

  it('fails when the data directory or a file in it is readable by others', async () => {
    const { dataDir, env } = await healthySetup();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'polyphony.sqlite'), 0o644);
    expectOnlyFailure(await runDoctor(env), 'data_dir_modes', /data is 0755.*polyphony\.sqlite is 0644/);
  });

  it('fails when the database holds a schema version of a newer release', async () => {
    const { dataDir, env } = await healthySetup();
    const db = openDatabase(dataDir);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (9999, ?)').run(new Date().toISOString());
    db.close();
    expectOnlyFailure(await runDoctor(env), 'database', /9999.*newer release/);
  });

  it('fails when the database is not a database', async () => {
    const { dataDir, env } = await healthySetup();
    writeFileSync(join(dataDir, 'polyphony.sqlite'), 'this is not SQLite, just long enough to have a header of its own.......');
    rmSync(join(dataDir, 'polyphony.sqlite-wal'), { force: true });
    rmSync(join(dataDir, 'polyphony.sqlite-shm'), { force: true });
    expectOnlyFailure(await runDoctor(env), 'database', /does not open/);
  });

  it('fails the clock when the database already holds a later time than now', async () => {
    const { dataDir, env } = await healthySetup();
    const db = openDatabase(dataDir);
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();
    db.prepare("INSERT INTO audit_log (at, actor_kind, action) VALUES (?, 'system', 'test')").run(tomorrow);
    db.close();
    expectOnlyFailure(await runDoctor(env), 'clock', /the clock is behind/);
  });

  it('fails the disk check below the free space wanted', async () => {
    const { env } = await healthySetup();
    expectOnlyFailure(await runDoctor(env, { minFreeBytes: Number.MAX_SAFE_INTEGER }), 'disk_space', /GiB free/);
  });

  it('fails an external LiveKit that does not answer, and an embedded one without a binary', async () => {
    const { env } = await healthySetup();
    const closed = String(await freeTcpPort());
    const external = { ...env, LIVEKIT: undefined, LIVEKIT_URL: `ws://127.0.0.1:${closed}`, LIVEKIT_API_KEY: 'key', LIVEKIT_API_SECRET: 'secret-secret-secret-secret-secret' };
    expectOnlyFailure(await runDoctor(external, { timeoutMs: 2000 }), 'livekit', /did not accept/);
    const embedded = { ...env, LIVEKIT: undefined, PATH: '', HOME: tempDir(), LIVEKIT_SERVER_BIN: undefined, POLYPHONY_CACHE: tempDir() };
    expectOnlyFailure(await runDoctor(embedded), 'livekit', /No livekit-server binary/);
  });

  it('fails an embedded LiveKit whose webhooks cannot reach a server listening on one outside address only', async () => {
    const { env } = await healthySetup();
    const withVideo = { ...env, LIVEKIT: undefined, LIVEKIT_SERVER_BIN: process.execPath };
    expect(check(await runDoctor(withVideo), 'livekit')).toMatchObject({ ok: true });
    expect(check(await runDoctor({ ...withVideo, HOST: '0.0.0.0' }), 'livekit')).toMatchObject({ ok: true });
    // (The port check fails too: this machine does not have that address.)
    expect(check(await runDoctor({ ...withVideo, HOST: '192.0.2.10' }), 'livekit')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/webhooks to 127\.0\.0\.1:\d+, but the server listens on 192\.0\.2\.10 only/) as unknown,
      fix: 'Set HOST to 127.0.0.1 (behind a reverse proxy) or to 0.0.0.0.',
    });
  });

  it('fails a configuration that does not read, saying which variable', async () => {
    const { env } = await healthySetup();
    const checks = await runDoctor({ ...env, PORT: 'eighty' });
    expect(checks).toEqual([{ name: 'config', ok: false, detail: expect.stringMatching(/PORT/) as unknown, fix: expect.any(String) as unknown }]);
  });

  it('passes matching TLS files for the PUBLIC_URL host and fails a foreign key or another host', async () => {
    const { env } = await healthySetup();
    const dir = tempDir();
    const good = selfSignedCert(dir, 'meet.example.org', 'good');
    const other = selfSignedCert(dir, 'elsewhere.example.org', 'other');
    expect(check(await runDoctor({ ...env, TLS_CERT_FILE: good.cert, TLS_KEY_FILE: good.key }), 'tls')).toMatchObject({ ok: true });
    expectOnlyFailure(await runDoctor({ ...env, TLS_CERT_FILE: good.cert, TLS_KEY_FILE: other.key }), 'tls', /is not the key of the certificate/);
    expectOnlyFailure(await runDoctor({ ...env, TLS_CERT_FILE: other.cert, TLS_KEY_FILE: other.key }), 'tls', /does not name meet\.example\.org/);
    expectOnlyFailure(await runDoctor({ ...env, TLS_CERT_FILE: good.cert }), 'tls', /Only one/);
  });
});
