import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const GUIDE = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
const METRICS_TOKEN = 'guide-test-metrics-token-0123456789';
/** The tables a restore must give back unchanged (everything an operator made before the backup). */
const TABLES = ['users', 'networks', 'network_members', 'invites', 'meetings', 'audit_log'];
/** The guide installs curl (section 2); a machine without it cannot run its metrics block. */
const HAS_CURL = spawnSync('sh', ['-c', 'command -v curl']).status === 0;
if (!HAS_CURL) console.warn('deployGuide.test.ts: curl is not installed here, so the guide\'s metrics block is not run.');

/**
 * docs/deploy.md's blocks marked `sh tested:<name>` run as written, in order, against a running server:
 * only the install locations are moved into a temporary root, and the port. The guide's `systemctl` steps
 * between them (which need systemd as init) are done here by stopping and starting the server process.
 */
describe('docs/deploy.md, as written', () => {
  let root: string;
  let server: ServerProcess;
  let shell: (name: string) => { status: number | null; stdout: string; stderr: string };
  const dataDir = () => join(root, 'var/lib/polyphony');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'polyphony-guide-'));
    mkdirSync(join(root, 'etc/polyphony'), { recursive: true });
    mkdirSync(join(root, 'var/lib/polyphony-backups'), { recursive: true, mode: 0o700 });
    mkdirSync(join(root, 'bin'));
    symlinkSync(join(ROOT, 'deploy/polyphony'), join(root, 'bin/polyphony')); // the guide's `ln -s … /usr/local/bin/polyphony`
    server = await startServerProcess({ dataDir: dataDir(), env: { LIVEKIT: 'off', METRICS_TOKEN } });
    writeFileSync(join(root, 'etc/polyphony/polyphony.env'), [`DATA_DIR=${dataDir()}`, 'HOST=127.0.0.1', `PORT=${server.port}`, 'LIVEKIT=off', `METRICS_TOKEN=${METRICS_TOKEN}`, ''].join('\n'));
    await addUser(dataDir(), 'ana@team.org', { name: 'Ana', admin: true });
    await seedNetwork(dataDir(), { team: ['ana@team.org'] });
    const env = { ...process.env, PATH: `${join(root, 'bin')}:${process.env['PATH'] ?? ''}`, POLYPHONY_ENV_FILE: join(root, 'etc/polyphony/polyphony.env'), POLYPHONY_USER: execFileSync('id', ['-un'], { encoding: 'utf8' }).trim() };
    for (const name of ['DATA_DIR', 'PORT', 'HOST', 'LIVEKIT']) Reflect.deleteProperty(env, name);
    shell = (name) => {
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', movedHere(testedBlock(name), root, server.port)], { cwd: root, env, encoding: 'utf8' });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('has the tested blocks this test knows, in this order', () => {
    expect([...GUIDE.matchAll(/^```sh tested:([a-z-]+)$/gm)].map((match) => match[1])).toEqual(['doctor', 'metrics', 'backup', 'restore']);
  });

  it('doctor: every check passes beside the running server', () => {
    const run = shell('doctor');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { checks } = JSON.parse(run.stdout) as { checks: { name: string; ok: boolean }[] };
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(checks.find((check) => check.name === 'port')).toMatchObject({ detail: expect.stringContaining('answers /healthz') as unknown });
  });

  it.skipIf(!HAS_CURL)('metrics: /healthz and the metrics the guide names', () => {
    const run = shell('metrics');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('{"status":"ok"}');
    expect(lines.slice(1).map((line) => line.split(' ')[0])).toEqual(['polyphony_sync_connections', 'polyphony_sync_store_write_failures_total', 'process_resident_memory_bytes']);
    const named = [...GUIDE.matchAll(/^\| `((?:polyphony|process|nodejs)_[a-z_]+)`/gm)].map((match) => match[1]);
    const scraped = execFileSync('curl', ['-fsS', '-H', `Authorization: Bearer ${METRICS_TOKEN}`, `${server.url}/metrics`], { encoding: 'utf8' });
    expect(named.length).toBeGreaterThan(3);
    for (const name of named) expect(scraped, `the guide's ${name ?? ''}`).toMatch(new RegExp(`^# TYPE ${name ?? ''} `, 'm'));
  });

  it('backup: a backup of the running server, whose first two lines say what it holds', () => {
    const run = shell('backup');
    expect(run.status).toBe(0);
    const [answer, format, header] = run.stdout.trim().split('\n');
    expect(JSON.parse(answer ?? '')).toMatchObject({ out: join(root, 'var/lib/polyphony-backups/before-upgrade.backup') });
    expect(format).toMatch(/polyphony/i);
    expect(JSON.parse(header ?? '')).toMatchObject({ entries: expect.arrayContaining([expect.objectContaining({ name: 'polyphony.sqlite' })]) as unknown });
  });

  it('the nightly backup unit: its command as written writes a new backup and removes those past BACKUP_KEEP_DAYS', () => {
    const unit = readFileSync(join(ROOT, 'deploy/systemd/polyphony-backup.service'), 'utf8');
    const unitEnv = Object.fromEntries([...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((match) => [match[1] ?? '', movedHere(match[2] ?? '', root, server.port)]));
    const command = movedHere(/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '', root, server.port).split(' ');
    const backups = join(root, 'var/lib/polyphony-backups');
    const old = join(backups, 'polyphony-20260101T000000Z.backup');
    writeFileSync(old, 'an old backup');
    const aMonthAgo = new Date(Date.now() - 30 * 24 * 3600_000);
    utimesSync(old, aMonthAgo, aMonthAgo);
    const run = spawnSync(command[0] ?? '', command.slice(1), { env: { ...process.env, ...unitEnv }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const made = (JSON.parse(run.stdout) as { out: string }).out;
    expect(made).toMatch(/polyphony-\d{8}T\d{6}Z\.backup$/);
    expect(readdirSync(backups).sort()).toEqual(['before-upgrade.backup', made.split('/').pop()]);
  });

  it('restore: with the server stopped, into a fresh data directory; the restored server holds every row and starts', async () => {
    await server.stop(); // the guide's `systemctl stop polyphony`
    const run = shell('restore');
    expect(run.status).toBe(0);
    const [restored, doctor] = run.stdout.trim().split('\n');
    expect(JSON.parse(restored ?? '')).toMatchObject({ dataDir: dataDir() });
    expect((JSON.parse(doctor ?? '') as { checks: { ok: boolean }[] }).checks.every((check) => check.ok)).toBe(true);
    for (const table of TABLES) expect(rows(dataDir(), table), table).toEqual(rows(join(root, 'var/lib/polyphony.before-restore'), table));
    expect(rows(dataDir(), 'users')).toHaveLength(1);
    server = await startServerProcess({ dataDir: dataDir(), env: { LIVEKIT: 'off' } }); // `systemctl start polyphony`
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
  }, 120_000);
});

function testedBlock(name: string): string {
  const block = new RegExp(`^\`\`\`sh tested:${name}\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(GUIDE)?.[1];
  if (block === undefined) throw new Error(`docs/deploy.md has no block marked sh tested:${name}`);
  return block;
}

/** The guide's install locations moved into this test's root and checkout, and its port to the server's. */
function movedHere(text: string, root: string, port: number): string {
  return text
    .replaceAll('/opt/polyphony', ROOT)
    .replaceAll('/var/lib/polyphony', join(root, 'var/lib/polyphony'))
    .replaceAll('/etc/polyphony', join(root, 'etc/polyphony'))
    .replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);
}

function rows(dataDir: string, table: string): unknown[] {
  const db = new DatabaseSync(join(dataDir, 'polyphony.sqlite'), { readOnly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
  } finally {
    db.close();
  }
}
