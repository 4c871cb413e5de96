import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { findLiveKitBinary } from '../../server/livekit/findBinary.ts';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { probeTurnTls, probeTurnUdp } from '../../server/ops/turnProbe.ts';
import { useCleanups } from '../helpers/cleanups.ts';

const cleanup = useCleanups();

const ROOT = resolve(import.meta.dirname, '../..');
const SYSTEMD = join(ROOT, 'deploy/systemd');
const UNITS = readdirSync(SYSTEMD).filter((name) => /\.(service|timer)$/.test(name));
const BACKUP_DROP_IN = 'polyphony-backup.service.d/postgres.conf';
/** Variables the units may set that Node itself reads, not the server's code. */
const NODE_OWN_ENV = ['NODE_COMPILE_CACHE'];

/**
 * The files docs/deploy.md tells an operator to install: systemd units, the settings file, the firewall
 * and the journald drop-in. What a machine here can check is checked with the real tools (systemd-analyze,
 * nft in a network namespace of its own); the rest by reading the files against the code.
 */
describe('deploy/ files', () => {
  it('ships the units the guide installs', () => {
    expect(UNITS.sort()).toEqual(['livekit.service', 'polyphony-backup.service', 'polyphony-backup.timer', 'polyphony.service']);
  });

  it.skipIf(!hasTool('systemd-analyze'))('passes systemd-analyze verify, with the install paths pointed at this checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-units-'));
    try {
      for (const unit of UNITS) writeFileSync(join(dir, unit), installedHere(readFileSync(join(SYSTEMD, unit), 'utf8')));
      // The PostgreSQL drop-in beside its unit, where verify reads drop-ins from (as systemd does in /etc/systemd/system).
      mkdirSync(join(dir, BACKUP_DROP_IN, '..'));
      writeFileSync(join(dir, BACKUP_DROP_IN), readFileSync(join(SYSTEMD, BACKUP_DROP_IN), 'utf8'));
      const result = spawnSync('systemd-analyze', ['verify', ...UNITS.map((unit) => join(dir, unit))], { encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts programs that exist here once installed, with the hardening the guide promises', () => {
    for (const unit of UNITS.filter((name) => name.endsWith('.service'))) {
      const text = readFileSync(join(SYSTEMD, unit), 'utf8');
      const start = directives(text, 'ExecStart')[0]?.split(/\s+/)[0] ?? '';
      expect(existsSync(installedHere(start)), `${unit}: ${start}`).toBe(true);
      expect(directives(text, 'NoNewPrivileges'), unit).toEqual(['yes']);
      expect(directives(text, 'ProtectSystem'), unit).toEqual(['strict']);
      const ownUser = directives(text, 'User').length === 1 || directives(text, 'DynamicUser')[0] === 'yes';
      expect(ownUser, `${unit} runs as its own user`).toBe(true);
    }
    const server = readFileSync(join(SYSTEMD, 'polyphony.service'), 'utf8');
    expect(directives(server, 'Restart')).toEqual(['on-failure']);
    expect(directives(server, 'ReadWritePaths')).toEqual([envOf(server)['DATA_DIR']]);
    expect(directives(server, 'EnvironmentFile')).toEqual(['/etc/polyphony/polyphony.env']);
    // ProtectSystem=strict leaves Node's compile cache writable only inside the unit's own cache directory.
    expect(envOf(server)['NODE_COMPILE_CACHE']).toMatch(new RegExp(`^/var/cache/${directives(server, 'CacheDirectory')[0] ?? 'unset'}/`));
    const timer = readFileSync(join(SYSTEMD, 'polyphony-backup.timer'), 'utf8');
    expect(directives(timer, 'OnCalendar')).toHaveLength(1);
  });

  it('sets only environment variables that the server or the deploy scripts read', () => {
    const read = new Set([...serverEnvNames(), ...scriptEnvNames(), ...NODE_OWN_ENV]);
    const set = [
      ...UNITS.flatMap((unit) => Object.keys(envOf(readFileSync(join(SYSTEMD, unit), 'utf8')))),
      ...envFileNames(readFileSync(join(SYSTEMD, 'polyphony.env.example'), 'utf8')),
    ];
    expect(set.length).toBeGreaterThan(10);
    expect(set.filter((name) => !read.has(name))).toEqual([]);
  });

  it('opens in the firewall every media port the settings file names', () => {
    const rules = readFileSync(join(ROOT, 'deploy/nftables/polyphony.nft'), 'utf8');
    const settings = envFileValues(readFileSync(join(SYSTEMD, 'polyphony.env.example'), 'utf8'));
    for (const [name, proto] of [['LIVEKIT_RTC_UDP_PORT', 'udp'], ['LIVEKIT_RTC_TCP_PORT', 'tcp'], ['TURN_UDP_PORT', 'udp'], ['TURN_RELAY_PORTS', 'udp']] as const) {
      expect(rules, name).toMatch(new RegExp(`${proto} dport ${settings[name] ?? 'unset'} accept`));
    }
    expect(rules).toMatch(/tcp dport \{ 80, 443 \} accept/);
    expect(settings['TURN_TLS_PORT']).toBe('443');
  });

  it.skipIf(!hasTool('nft') || !canUnshareNetwork())('loads the firewall rules with nft in a network namespace of its own', () => {
    const result = spawnSync('unshare', ['-n', 'sh', '-c', `nft -f ${join(ROOT, 'deploy/nftables/polyphony.nft')} && nft list table inet polyphony`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('udp dport 30000-30199 accept');
    expect(result.stdout).toContain('policy drop');
  });

  it.skipIf(!hasTool('systemd-sysusers'))('makes the service user with systemd-sysusers (in a temporary root)', () => {
    const root = temp('polyphony-sysusers-');
    mkdirSync(join(root, 'etc'));
    execFileSync('systemd-sysusers', [`--root=${root}`, join(SYSTEMD, 'polyphony.sysusers')], { stdio: 'pipe' });
    const entry = readFileSync(join(root, 'etc/passwd'), 'utf8').split('\n').find((line) => line.startsWith('polyphony:'));
    expect(entry).toMatch(/^polyphony:x:\d+:\d+:Polyphony service:\/var\/lib\/polyphony:\/usr\/sbin\/nologin$/);
    expect(Number(entry?.split(':')[2])).toBeLessThan(1000); // a system user
  });

  it('copies a renewed certificate for the polyphony group only (the certbot deploy hook)', () => {
    const dir = temp('polyphony-certbot-');
    const lineage = join(dir, 'live/turn.example.org');
    mkdirSync(lineage, { recursive: true });
    writeFileSync(join(lineage, 'fullchain.pem'), 'chain');
    writeFileSync(join(lineage, 'privkey.pem'), 'key', { mode: 0o600 });
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
    execFileSync(join(ROOT, 'deploy/certbot-deploy-hook.sh'), { env: { ...process.env, RENEWED_LINEAGE: lineage, POLYPHONY_TLS_DIR: join(dir, 'tls'), POLYPHONY_GROUP: group }, stdio: 'pipe' });
    const copied = join(dir, 'tls/turn.example.org');
    expect(readFileSync(join(copied, 'privkey.pem'), 'utf8')).toBe('key');
    expect(readFileSync(join(copied, 'fullchain.pem'), 'utf8')).toBe('chain');
    expect(statSync(join(copied, 'privkey.pem')).mode & 0o777).toBe(0o640);
    expect(statSync(copied).mode & 0o777).toBe(0o750);
    expect(readdirSync(copied).sort()).toEqual(['fullchain.pem', 'privkey.pem']);
  });

  it('starts livekit-server on the shipped LiveKit configuration, which accepts its keys and answers TURN over UDP and TLS', async () => {
    const binary = findLiveKitBinary(process.env);
    if (!binary) throw new Error('No livekit-server binary found: run `npm run livekit:ensure`.');
    const dir = temp('polyphony-livekit-yaml-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=turn.example.org',
      '-addext', 'subjectAltName=DNS:turn.example.org', '-keyout', join(dir, 'turn-privkey.pem'), '-out', join(dir, 'turn-fullchain.pem')], { stdio: 'ignore' });
    const ports = { signal: await freeTcpPort(), udp: await freeUdpPort(), tcp: await freeTcpPort(), turnUdp: await freeUdpPort(), turnTls: await freeTcpPort() };
    const shipped = readFileSync(join(ROOT, 'deploy/livekit/livekit.yaml'), 'utf8');
    // Where the test moves things: its own ports and certificate, and this machine's loopback as the public address (no STUN here).
    const moved = shipped
      .replace(/^port: 7880$/m, `port: ${ports.signal}`)
      .replace(/udp_port: 7882$/m, `udp_port: ${ports.udp}`)
      .replace(/tcp_port: 7881$/m, `tcp_port: ${ports.tcp}`)
      .replace(/use_external_ip: true$/m, 'node_ip: "127.0.0.1"')
      .replace(/tls_port: 443$/m, `tls_port: ${ports.turnTls}`)
      .replace(/udp_port: 3478$/m, `udp_port: ${ports.turnUdp}`)
      .replace(/relay_range_start: 30000$/m, 'relay_range_start: 43000')
      .replace(/relay_range_end: 30199$/m, 'relay_range_end: 43019')
      .replaceAll('/run/credentials/livekit.service', dir);
    expect(moved.match(new RegExp(`${ports.signal}|${ports.udp}|${ports.tcp}|${ports.turnTls}|${ports.turnUdp}|4300|node_ip|${dir}`, 'g'))).toHaveLength(10);
    writeFileSync(join(dir, 'livekit.yaml'), moved);
    const child = spawn(binary, ['--config', join(dir, 'livekit.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    cleanup(() => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGKILL')))));

    const [apiKey, apiSecret] = [...shipped.matchAll(/^ {2}"([^"]+)": "([^"]+)"$/gm)].map((match) => [match[1] ?? '', match[2] ?? ''])[0] ?? [];
    const rooms = new RoomServiceClient(`http://127.0.0.1:${ports.signal}`, apiKey ?? '', apiSecret ?? '');
    await expect.poll(async () => (child.exitCode === null ? await rooms.listRooms().then(() => 'answers', () => 'not yet') : `exited: ${stderr}`), { timeout: 30_000, interval: 500 }).toBe('answers');
    expect(await probeTurnUdp('127.0.0.1', ports.turnUdp, 3000)).toEqual({ kind: 'answered', errorCode: 401 });
    const tls = await probeTurnTls('127.0.0.1', ports.turnTls, 'turn.example.org', 3000, { ca: readFileSync(join(dir, 'turn-fullchain.pem')) });
    expect(tls).toEqual({ kind: 'answered', errorCode: 401 });
  });

  it('keeps journald settings this systemd knows', () => {
    const conf = readFileSync(join(ROOT, 'deploy/journald/polyphony.conf'), 'utf8');
    const keys = envFileNames(conf.replace(/^\[Journal\]$/m, ''));
    expect(keys).toEqual(expect.arrayContaining(['MaxRetentionSec', 'SystemMaxUse']));
    const installed = '/etc/systemd/journald.conf';
    if (!existsSync(installed)) return; // no systemd here: the names above are those of journald.conf(5)
    const known = new Set([...readFileSync(installed, 'utf8').matchAll(/^#?([A-Za-z]+)=/gm)].map((match) => match[1]));
    expect(keys.filter((key) => !known.has(key))).toEqual([]);
  });
});

/** The text with the guide's install locations replaced by this checkout and this machine's livekit-server. */
function installedHere(text: string): string {
  return text.replaceAll('/opt/polyphony', ROOT).replaceAll('/usr/local/bin/livekit-server', findLiveKitBinary(process.env) ?? '/usr/local/bin/livekit-server');
}

function directives(unit: string, key: string): string[] {
  return [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((match) => (match[1] ?? '').trim());
}

function envOf(unit: string): Record<string, string> {
  return Object.fromEntries(directives(unit, 'Environment').map((pair) => pair.split('=', 2) as [string, string]));
}

/** Names in a KEY=value file, commented-out examples included. */
function envFileNames(text: string): string[] {
  return [...text.matchAll(/^#?([A-Za-z][A-Za-z0-9_]*)=/gm)].map((match) => match[1] ?? '');
}

function envFileValues(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

/** Every name the server reads from its environment: `env['NAME']` and the `(env, 'NAME', …)` readers in config. */
function serverEnvNames(): string[] {
  const files = execFileSync('git', ['ls-files', 'server/*.ts'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((file) => file && !file.endsWith('.test.ts'));
  return files.flatMap((file) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]|\(env, '([A-Z][A-Z0-9_]*)'/g)].map((match) => match[1] ?? match[2] ?? ''));
}

/** Names the shipped shell scripts read (`${NAME…}`). */
function scriptEnvNames(): string[] {
  return ['deploy/backup-rotate.sh', 'deploy/polyphony'].flatMap((file) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] ?? ''));
}

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function hasTool(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!found) console.warn(`deployFiles.test.ts: ${name} is not installed here, so its check is skipped.`);
  return found;
}

function canUnshareNetwork(): boolean {
  const ok = spawnSync('unshare', ['-n', 'true']).status === 0;
  if (!ok) console.warn('deployFiles.test.ts: cannot make a network namespace here (unshare -n), so nft is not run.');
  return ok;
}
