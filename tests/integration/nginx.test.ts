import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { describe, expect, it, vi } from 'vitest';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { findNginx, nginxTest, startNginx, writeNginxConfig, type NginxSetup } from '../helpers/nginxProxy.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { selfSignedCert } from '../helpers/selfSignedCert.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();
const nginx = findNginx();

async function setup(upstreamPort: number): Promise<NginxSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-nginx-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, cert: selfSignedCert(dir), upstreamPort, httpsPort: await freeTcpPort(), httpPort: await freeTcpPort() };
}

// Without nginx on the machine these are skipped; .ci/run installs Debian's nginx-light so CI runs them.
describe.skipIf(nginx === undefined)('the shipped nginx configuration (deploy/nginx)', () => {
  const bin = nginx ?? 'nginx';

  it('passes nginx -t with a certificate and ports filled in', async () => {
    const config = await setup(8080);
    expect(() => nginxTest(bin, writeNginxConfig(config), config.dir)).not.toThrow();
  });

  it('carries a meeting over https and wss in front of the app, with HSTS, and sends plain http to https', async () => {
    const server = await startServerProcess({ env: { LIVEKIT: 'off', TRUSTED_PROXIES: '127.0.0.1' } });
    cleanup(() => server.dispose());
    const config = await setup(server.port);
    const proxy = await startNginx(bin, writeNginxConfig(config), config.dir, config.httpsPort);
    cleanup(() => proxy.stop());
    const before = getCACertificates('default');
    setDefaultCACertificates([...before, readFileSync(config.cert.cert, 'utf8')]);
    cleanup(() => setDefaultCACertificates(before));
    const origin = `https://127.0.0.1:${config.httpsPort}`;

    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('strict-transport-security')).toBe('max-age=63072000');
    const plain = await fetch(`http://127.0.0.1:${config.httpPort}/join/abc`, { redirect: 'manual' });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toBe('https://127.0.0.1/join/abc');

    await addUser(server.dataDir, 'pat@team.org');
    const seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'] });
    const practitioner = new HttpSession(origin);
    await practitioner.login('pat@team.org', PASSWORD);
    const member = HttpSession.forInvite(origin, seeded.inviteUrl);
    const { client: a } = await joinAndConnect(practitioner, seeded.meetingId, 'Pat');
    const { client: b } = await joinAndConnect(member, seeded.meetingId, 'Sam');
    cleanup(() => a.destroy(), () => b.destroy());
    expect(a.provider.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/sync\//);

    a.addParagraph('Pat: we talked about sleep.');
    b.addParagraph('Sam: and about work.');
    await vi.waitFor(() => {
      expect(a.text()).toContain('Sam: and about work.');
      expect(b.text()).toContain('Pat: we talked about sleep.');
    });
  });
});
