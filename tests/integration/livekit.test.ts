import { createSocket } from 'node:dgram';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomServiceClient, TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.ts';
import { startEmbeddedLiveKit, type EmbeddedLiveKit } from '../../server/livekit/embeddedServer.ts';
import { findLiveKitBinary } from '../../server/livekit/findBinary.ts';
import { freeTcpPort, freeUdpPort } from '../../server/livekit/freePort.ts';
import { mintJoinToken } from '../../server/livekit/tokens.ts';
import { publicMediaFrom } from '../../server/livekit/publicMedia.ts';
import { selfSignedCert } from '../helpers/selfSignedCert.ts';

describe('embedded LiveKit server', () => {
  let dataDir: string;
  let livekit: EmbeddedLiveKit;
  let port: number;
  let rtcUdpPort: number;
  let httpUrl: string;

  beforeAll(async () => {
    const binary = findLiveKitBinary(process.env);
    if (!binary) {
      throw new Error('No livekit-server binary found: run `npm run livekit:ensure` (or set LIVEKIT_SERVER_BIN) and try again.');
    }
    dataDir = mkdtempSync(join(tmpdir(), 'polyphony-livekit-'));
    port = await freeTcpPort();
    rtcUdpPort = await freeUdpPort();
    livekit = await startEmbeddedLiveKit({ binary, dataDir, port, rtcUdpPort, logger: createLogger() });
    httpUrl = livekit.url.replace(/^ws:/, 'http:');
  });
  afterAll(async () => {
    await livekit?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('mints a token for one room only, visible, not recording and without admin rights', async () => {
    const token = await mintJoinToken({
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      roomName: 'meeting-abc',
      identity: 'participant-1',
      displayName: 'Robin',
      metadata: '{"role":"network"}',
    });
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(token);
    expect(claims.sub).toBe('participant-1');
    expect(claims.name).toBe('Robin');
    expect(claims.metadata).toBe('{"role":"network"}');
    expect(claims.video).toEqual({
      room: 'meeting-abc',
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      hidden: false,
      recorder: false,
      roomRecord: false,
      roomAdmin: false,
      roomCreate: false,
      roomList: false,
      ingressAdmin: false,
      canUpdateOwnMetadata: false,
      agent: false,
    });
    // Two minutes by default: a token cannot be revoked, so it lives only long enough to connect (a second
    // either way, as expiry and not-before are stamped separately).
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBeGreaterThanOrEqual(119);
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBeLessThanOrEqual(120);
  });

  it('refuses a zero lifetime instead of falling back to the SDK default of six hours', async () => {
    const options = { apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, roomName: 'r', identity: 'i', displayName: 'd', metadata: '' };
    await expect(mintJoinToken({ ...options, ttlSeconds: 0 })).rejects.toThrow(/ttlSeconds/);
  });

  it('creates and lists rooms with the generated key, and refuses any other secret', async () => {
    const rooms = new RoomServiceClient(httpUrl, livekit.apiKey, livekit.apiSecret);
    await rooms.createRoom({ name: 'meeting-xyz', emptyTimeout: 60 });
    expect((await rooms.listRooms()).map((room) => room.name)).toContain('meeting-xyz');

    const impostor = new RoomServiceClient(httpUrl, livekit.apiKey, 'x'.repeat(64));
    await expect(impostor.listRooms()).rejects.toThrow();
  });

  const outsideAddress = nonLoopbackIPv4();
  it.skipIf(outsideAddress === undefined)('is not reachable on the machine’s network address, for signalling or media', async () => {
    const address = outsideAddress ?? '';
    expect(await tcpConnectOutcome(address, port)).toBe('ECONNREFUSED');
    expect(await udpSendOutcome(address, rtcUdpPort)).toBe('ECONNREFUSED');
    // The same checks on loopback pass, so the refusals above are about the address, not the ports.
    expect(await tcpConnectOutcome('127.0.0.1', port)).toBe('connected');
  });

  it('ends the process on stop()', async () => {
    await livekit.stop();
    const status = await livekit.exited;
    expect(status.code === 0 || status.signal !== null).toBe(true);
    expect(await tcpConnectOutcome('127.0.0.1', port)).toBe('ECONNREFUSED');
  });

  it('starts again with the same key pair, so tokens minted before the restart are still accepted', async () => {
    const binary = findLiveKitBinary(process.env) ?? '';
    const before = { apiKey: livekit.apiKey, apiSecret: livekit.apiSecret };
    livekit = await startEmbeddedLiveKit({ binary, dataDir, port, rtcUdpPort, logger: createLogger() });
    expect({ apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }).toEqual(before);
    await new RoomServiceClient(httpUrl, before.apiKey, before.apiSecret).createRoom({ name: 'meeting-after-restart', emptyTimeout: 60 });
  });
});

function nonLoopbackIPv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    const outside = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (outside) return outside.address;
  }
  return undefined;
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : String(error);
}

/** 'connected', or the error code of a failed connection. */
function tcpConnectOutcome(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      done('timeout');
    });
    socket.once('error', (error) => done(errorCode(error)));
  });
}

/**
 * Sends one datagram on a connected UDP socket: with nothing bound there, the kernel's ICMP "port
 * unreachable" comes back as ECONNREFUSED; a listener (LiveKit drops stray packets) leaves it silent.
 */
function udpSendOutcome(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = createSocket('udp4');
    const finish = (outcome: string): void => {
      clearTimeout(timer);
      socket.close();
      done(outcome);
    };
    const timer = setTimeout(() => finish('no answer'), 2_000);
    socket.once('error', (error) => finish(errorCode(error)));
    socket.connect(port, host, () => {
      socket.send('hello', (error) => {
        if (error) finish(errorCode(error));
      });
    });
  });
}

describe('embedded LiveKit in public mode', () => {
  it('starts with TURN over UDP and TLS, and its TURN/TLS port presents the clinic certificate', async () => {
    const binary = findLiveKitBinary(process.env);
    if (!binary) throw new Error('No livekit-server binary found: run `npm run livekit:ensure`.');
    const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-livekit-public-'));
    const { cert, key } = selfSignedCert(dataDir);
    const env = {
      MEDIA_PUBLIC_IP: '127.0.0.1',
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
      TURN_DOMAIN: 'turn.example.org',
      TURN_TLS_PORT: String(await freeTcpPort()),
      TURN_UDP_PORT: String(await freeUdpPort()),
      LIVEKIT_RTC_TCP_PORT: String(await freeTcpPort()),
    };
    const publicMedia = publicMediaFrom(env, undefined);
    const livekit = await startEmbeddedLiveKit({ binary, dataDir, port: await freeTcpPort(), rtcUdpPort: await freeUdpPort(), public: publicMedia, logger: createLogger() });
    try {
      const presented = await new Promise<string>((done, fail) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: Number(env.TURN_TLS_PORT), servername: 'turn.example.org', rejectUnauthorized: false }, () => {
          done(socket.getPeerX509Certificate()?.fingerprint256 ?? '');
          socket.end();
        });
        socket.once('error', fail);
      });
      expect(presented).toBe(new X509Certificate(readFileSync(cert)).fingerprint256);
    } finally {
      await livekit.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
