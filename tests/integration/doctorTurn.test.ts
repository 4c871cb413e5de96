import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { runDoctor, type DoctorCheck } from '../../server/ops/doctor.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { embeddedLiveKitEnv, startServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();
/** `.invalid` never resolves (RFC 2606), so the DNS failure below is the same on every machine. */
const TURN_DOMAIN = 'turn.clinic.invalid';

/**
 * `polyphony doctor`'s TURN check against the real embedded TURN of a server in public mode on this
 * machine: media announced on 127.0.0.1, TURN over UDP and over TLS with a certificate for TURN_DOMAIN.
 * Browsers are sent to `turns:TURN_DOMAIN:443`, which a test cannot own, so TLS is tried at the test's
 * address and port with the certificate still checked for the domain, against the test's own authority.
 */
describe('polyphony doctor: TURN', () => {
  it('passes when TURN answers over UDP and TLS, and fails with the fix for a closed port, an untrusted certificate and a name without DNS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-doctor-turn-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const certFile = join(dir, 'turn.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${TURN_DOMAIN}`,
      '-addext', `subjectAltName=DNS:${TURN_DOMAIN}`, '-keyout', join(dir, 'turn.key'), '-out', certFile], { stdio: 'ignore' });
    const tlsPort = await freeTcpPort();
    const env = {
      ...(await embeddedLiveKitEnv()),
      MEDIA_PUBLIC_IP: '127.0.0.1',
      LIVEKIT_RTC_TCP_PORT: String(await freeTcpPort()),
      TURN_DOMAIN,
      TURN_UDP_PORT: String(await freeUdpPort()),
      TURN_TLS_PORT: String(tlsPort),
      TURN_CERT_FILE: certFile,
      TURN_KEY_FILE: join(dir, 'turn.key'),
      TURN_RELAY_PORTS: '42000-42019',
    };
    const server = await startServerProcess({ env });
    cleanup(() => server.dispose());
    const doctorEnv = { ...env, DATA_DIR: server.dataDir, PORT: String(server.port), HOST: '127.0.0.1' };
    const trusted = { connectTo: '127.0.0.1', port: tlsPort, tls: { ca: readFileSync(certFile) } };

    // The server logs `listening` before its LiveKit is up: ask until TURN answers.
    await expect.poll(async () => turnOf(await runDoctor(doctorEnv, { timeoutMs: 2000, turnTls: trusted })), { timeout: 60_000, interval: 1000 })
      .toMatchObject({ ok: true, detail: expect.stringMatching(/TURN answers on 127\.0\.0\.1:\d+ \(UDP\)\. TURN over TLS answers at turn\.clinic\.invalid/) as unknown });

    const closedUdp = turnOf(await runDoctor({ ...doctorEnv, TURN_UDP_PORT: String(await freeUdpPort()) }, { timeoutMs: 1500, turnTls: trusted }));
    expect(closedUdp).toMatchObject({ ok: false, detail: expect.stringContaining('did not answer') as unknown, fix: expect.stringMatching(/^Open UDP \d+ and 42000-42019 .*MEDIA_PUBLIC_IP.*\.$/) as unknown });

    const untrusted = turnOf(await runDoctor(doctorEnv, { timeoutMs: 2000, turnTls: { connectTo: '127.0.0.1', port: tlsPort } }));
    expect(untrusted).toMatchObject({ ok: false, fix: expect.stringMatching(/^Give TURN a certificate from a public authority that names turn\.clinic\.invalid/) as unknown });

    const closedTls = turnOf(await runDoctor(doctorEnv, { timeoutMs: 2000, turnTls: { ...trusted, port: await freeTcpPort() } }));
    expect(closedTls).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') as unknown, fix: expect.stringMatching(/^Route TCP 443 on turn\.clinic\.invalid to TURN_TLS_PORT/) as unknown });

    const noDns = turnOf(await runDoctor(doctorEnv, { timeoutMs: 2000 }));
    expect(noDns).toMatchObject({ ok: false, detail: 'The TURN domain turn.clinic.invalid does not resolve to an address.', fix: expect.stringContaining('DNS A record') as unknown });

    await server.stop();
    expect(turnOf(await runDoctor(doctorEnv, { timeoutMs: 1000 }))).toMatchObject({ ok: true, detail: expect.stringContaining('not running') as unknown });
  }, 120_000);
});

function turnOf(checks: DoctorCheck[]): DoctorCheck | undefined {
  return checks.find((check) => check.name === 'turn');
}
