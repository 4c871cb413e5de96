import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { describe, expect, it, vi } from 'vitest';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { selfSignedCert, type CertFiles } from '../helpers/selfSignedCert.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-https-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Makes this test's fetch and ws trust `cert` (as a browser trusts a real CA), until the test ends. */
function trust(cert: CertFiles): void {
  const before = getCACertificates('default');
  setDefaultCACertificates([...before, readFileSync(cert.cert, 'utf8')]);
  cleanup(() => setDefaultCACertificates(before));
}

describe('HTTPS ended by the server itself (TLS_CERT_FILE, TLS_KEY_FILE)', () => {
  it('serves a meeting over https and its shared note over wss, with a certificate made here', async () => {
    const cert = selfSignedCert(tempDir());
    trust(cert);
    const server = await startServerProcess({ env: { LIVEKIT: 'off', TLS_CERT_FILE: cert.cert, TLS_KEY_FILE: cert.key } });
    cleanup(() => server.dispose());
    expect(server.url).toMatch(/^https:\/\//);

    await addUser(server.dataDir, 'pat@team.org');
    const seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'] });
    const practitioner = new HttpSession(server.url);
    await practitioner.login('pat@team.org', PASSWORD);
    const member = HttpSession.forInvite(server.url, seeded.inviteUrl);
    const { client: a } = await joinAndConnect(practitioner, seeded.meetingId, 'Pat');
    const { client: b } = await joinAndConnect(member, seeded.meetingId, 'Sam');
    cleanup(() => a.destroy(), () => b.destroy());
    expect(a.provider.url).toMatch(/^wss:\/\//);

    a.addParagraph('Pat: we talked about sleep.');
    b.addParagraph('Sam: and about work.');
    await vi.waitFor(() => {
      expect(a.text()).toContain('Sam: and about work.');
      expect(b.text()).toContain('Pat: we talked about sleep.');
    });
  });

  it('refuses plain http on its port: nothing travels unencrypted', async () => {
    const cert = selfSignedCert(tempDir());
    const server = await startServerProcess({ env: { LIVEKIT: 'off', TLS_CERT_FILE: cert.cert, TLS_KEY_FILE: cert.key } });
    cleanup(() => server.dispose());
    // The TLS server drops a plain-http request at the handshake: no response, so fetch fails.
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow(/fetch failed/);
  });
});

describe('a configuration that does not hold', () => {
  it.each([
    ['a key that is not the certificate\'s', (good: CertFiles, other: CertFiles) => ({ TLS_CERT_FILE: good.cert, TLS_KEY_FILE: other.key }), /TLS_KEY_FILE .* is not the key of the certificate/],
    ['only a certificate', (good: CertFiles) => ({ TLS_CERT_FILE: good.cert }), /TLS_CERT_FILE and TLS_KEY_FILE must be set together/],
    ['a PUBLIC_URL without a scheme', () => ({ PUBLIC_URL: 'meet.example.org' }), /PUBLIC_URL must start with https:\/\//],
  ])('stops the server before it writes anything, given %s, with one line naming the variable', async (_, envOf, message) => {
    const dir = tempDir();
    const env = envOf(selfSignedCert(dir, 'good'), selfSignedCert(dir, 'other'));
    const dataDir = join(dir, 'data');
    const started = startServerProcess({ dataDir, env: { LIVEKIT: 'off', ...env } });
    await expect(started).rejects.toThrow(message);
    expect(existsSync(dataDir)).toBe(false);
  });
});
