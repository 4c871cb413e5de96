import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { loopbackHaproxyConfig, SHIPPED_HAPROXY_CONFIG } from '../../scripts/cluster/haproxyConfig.ts';
import { checkHaproxyConfig, findHaproxy } from '../../scripts/cluster/haproxyProcess.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { connectDocClient } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { startTestCluster } from '../helpers/polyphonyCluster.ts';
import { selfSignedCert } from '../helpers/selfSignedCert.ts';

const cleanup = useCleanups();
const haproxy = findHaproxy();

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-haproxy-test-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// .ci/run installs Debian's haproxy (scripts/ensure-haproxy.sh): without it these fail rather than skip.
describe('the shipped HAProxy configuration (deploy/haproxy)', () => {
  const bin = haproxy ?? 'haproxy';

  it('passes haproxy -c as shipped, with only the certificate path filled in', () => {
    const dir = tempDir();
    const cert = selfSignedCert(dir);
    const pem = join(dir, 'polyphony.pem');
    writeFileSync(pem, readFileSync(cert.cert, 'utf8') + readFileSync(cert.key, 'utf8'));
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(config, readFileSync(SHIPPED_HAPROXY_CONFIG, 'utf8').replaceAll('/etc/haproxy/certs/polyphony.pem', pem));
    expect(checkHaproxyConfig(bin, config)).toMatch(/Configuration file is valid/);
  });

  it('routes /sync/ by a consistent hash of the path, everything else to the least busy, with health checks and socket timeouts', () => {
    const text = readFileSync(SHIPPED_HAPROXY_CONFIG, 'utf8');
    const backend = (name: string) => new RegExp(`^backend ${name}\\n((?:[ \\t]+.*\\n?)*)`, 'm').exec(text)?.[1] ?? '';
    expect(text).toMatch(/^\s*use_backend polyphony_sync if \{ path_beg \/sync\/ \}$/m);
    expect(backend('polyphony_sync')).toMatch(/^\s*balance uri$/m);
    expect(backend('polyphony_sync')).toMatch(/^\s*hash-type consistent$/m);
    expect(backend('polyphony_app')).toMatch(/^\s*balance leastconn$/m);
    expect(text).toMatch(/^\s*http-check send meth GET uri \/healthz$/m);
    expect(text).toMatch(/^\s*default-server check .*\bfall 2\b.*\bon-marked-down shutdown-sessions\b/m);
    expect(text).toMatch(/^\s*timeout tunnel \d+h$/m);
  });

  it('passes haproxy -c as generated for loopback, with the given instances in both backends', () => {
    const dir = tempDir();
    const servers = [1, 2, 3].map((n) => ({ name: `polyphony${n}`, host: '127.0.0.1', port: 18_000 + n }));
    const generated = loopbackHaproxyConfig({ port: 18_080, servers, runDir: dir });
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(config, generated);
    expect(checkHaproxyConfig(bin, config)).toMatch(/Configuration file is valid/);
    expect(generated.match(/^\s*server polyphony\d 127\.0\.0\.1:1800\d$/gm)).toHaveLength(6);
    expect(generated).not.toMatch(/10\.0\.0\.|ssl crt|redirect scheme|chroot/);
  });
});

describe('three instances behind HAProxy on one PostgreSQL', () => {
  it('sends two people\'s sockets for one document to the same instance, where they co-edit; another instance refuses it with 4503', async () => {
    const cluster = await startTestCluster(3);
    cleanup(() => cluster.stop());
    const join = async (name: string) =>
      JoinMeetingResponse.parse(await HttpSession.forInvite(cluster.haproxy.url, cluster.seeded.inviteUrl).json('POST', `/api/meetings/${cluster.seeded.meetingId}/join`, { displayName: name }));
    const [first, second] = [await join('Ann'), await join('Bo')];
    const ann = connectDocClient(cluster.haproxy.url, first.sync);
    const bo = connectDocClient(cluster.haproxy.url, second.sync);
    cleanup(() => ann.destroy(), () => bo.destroy());
    await Promise.all([ann.synced, bo.synced]);

    ann.addParagraph('from Ann');
    bo.addParagraph('from Bo');
    await vi.waitFor(() => expect([ann.text(), bo.text()].map((text) => text.split('\n').sort())).toEqual([['from Ann', 'from Bo'], ['from Ann', 'from Bo']]), { timeout: 20_000 });
    const owner = await cluster.ownerOf(first.sync.docName);
    expect(owner).toBeDefined();
    const counts = await cluster.syncConnections();
    expect(counts).toEqual(Object.fromEntries(cluster.instances.map((instance) => [instance.name, instance === owner ? 2 : 0])));

    // Straight to another instance (as a load balancer with another view would send it): refused, not taken.
    const other = cluster.instances.find((instance) => instance !== owner);
    if (!other) throw new Error('no other instance');
    const stray = connectDocClient(other.url, first.sync);
    cleanup(() => stray.destroy());
    const closed = await new Promise<{ code: number; reason: string }>((done) =>
      stray.provider.on('connection-close', (event: CloseEvent | null) => event && done({ code: event.code, reason: event.reason })),
    );
    stray.destroy();
    expect(closed).toEqual({ code: SYNC_CLOSE.unavailable, reason: SYNC_CLOSE_REASON.documentHeldElsewhere });
    expect(await cluster.ownerOf(first.sync.docName)).toBe(owner);
    ann.addParagraph('still here');
    await vi.waitFor(() => expect(bo.text()).toContain('still here'), { timeout: 20_000 });
  }, 120_000);
});
