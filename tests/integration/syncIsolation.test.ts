import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';
import { isAwareness, nestedJson, presenceFrame, textInsert, updateFrame } from '../helpers/syncFrames.ts';
import {
  connectProvider,
  loadStoredDoc,
  openRawSocket,
  runCleanups,
  socketUrl,
  startSyncTestServer,
  type Cleanups,
  type SyncTestServer,
} from './helpers/syncClient.ts';

// Issue 11: no client input may stop the process or another meeting.

describe('one member cannot stop the server (spawned process)', () => {
  const cleanup = useCleanups();

  it('refuses a presence state nested 6,000 deep with tooLarge, and the process keeps serving every meeting', async () => {
    const server = await startServerProcess({ env: { LIVEKIT: 'off' } });
    cleanup(() => server.dispose());
    await addUser(server.dataDir, 'pat@team.org');
    const attacked = await seedNetwork(server.dataDir, { team: ['pat@team.org'] });
    const other = await seedNetwork(server.dataDir, { team: ['pat@team.org'], personName: 'Kim' });
    const team = new HttpSession(server.url);
    await team.login('pat@team.org', PASSWORD);

    const attacker = HttpSession.forInvite(server.url, attacked.inviteUrl);
    const { sync } = JoinMeetingResponse.parse(await attacker.json('POST', `/api/meetings/${attacked.meetingId}/join`, { displayName: 'Someone' }));
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}${sync.path}/${sync.docName}?ticket=${encodeURIComponent(sync.ticket)}`);
    cleanup(() => socket.terminate());
    const closed = new Promise<number>((done) => socket.once('close', (code: number) => done(code)));
    socket.on('error', () => {});
    await new Promise((done) => socket.once('open', done));
    socket.send(presenceFrame([{ clientId: 4242, clock: 1, state: nestedJson(6000) }]));
    expect(await closed).toBe(SYNC_CLOSE.tooLarge);

    // Past the presence broadcast interval (the old crash came from that timer), another meeting still syncs.
    const { client: writer } = await joinAndConnect(team, other.meetingId);
    const { client: reader } = await joinAndConnect(HttpSession.forInvite(server.url, other.inviteUrl), other.meetingId);
    cleanup(() => writer.destroy(), () => reader.destroy());
    writer.addParagraph('still here');
    await vi.waitFor(() => expect(reader.text()).toContain('still here'), { timeout: 10_000 });
  });
});

describe('one member cannot fill or stall a meeting beyond its limits', () => {
  const cleanups: Cleanups = [];
  afterEach(() => runCleanups(cleanups));

  async function victimPairSyncs(server: SyncTestServer, docName: string): Promise<void> {
    const writer = connectProvider(cleanups, server, docName);
    const reader = connectProvider(cleanups, server, docName);
    await Promise.all([writer.synced, reader.synced]);
    writer.text.insert(0, 'calm elsewhere');
    await vi.waitFor(() => expect(reader.text.toJSON()).toBe('calm elsewhere'));
  }

  async function storedBytes(server: SyncTestServer, docName: string): Promise<number> {
    const { updates } = await server.store.load(docName);
    return updates.reduce((sum, update) => sum + update.byteLength, 0);
  }

  it('closes a member flooding a meeting with updates at the document quota (documentFull), storing no more than the quota', async () => {
    const quota = 256 * 1024;
    // Rates far above the flood, so that only the quota stops it.
    const server = await startSyncTestServer(cleanups, {
      limits: { maxDocumentBytes: quota, connectionRate: { bytesPerSecond: 1e9, burstBytes: 1e9 }, documentRate: { bytesPerSecond: 1e9, burstBytes: 1e9 } },
    });
    const flooder = openRawSocket(cleanups, socketUrl(server, 'flooded', server.ticket('flooded', { subject: 'invite:flooder' })));
    await flooder.opened;
    // 40 updates of 16 KiB each: 640 KiB, two and a half times the quota.
    for (let i = 0; i < 40; i++) flooder.ws.send(updateFrame(textInsert('x'.repeat(16 * 1024), 1000 + i)));
    const closed = await flooder.closed;
    expect(closed).toEqual({ code: SYNC_CLOSE.documentFull, reason: SYNC_CLOSE_REASON.documentFull });

    expect(await storedBytes(server, 'flooded')).toBeLessThanOrEqual(quota);
    (await loadStoredDoc(server.store, 'flooded')).destroy();
    await victimPairSyncs(server, 'elsewhere');
  });

  it('does not count text written and deleted again against the quota: the log is compacted first', async () => {
    const quota = 256 * 1024;
    const server = await startSyncTestServer(cleanups, { limits: { maxDocumentBytes: quota } });
    const writer = connectProvider(cleanups, server, 'busy');
    await writer.synced;
    let closedWith: number | null = null;
    writer.provider.on('connection-close', (event: { code: number } | null) => void (closedWith = event?.code ?? null));
    for (let round = 0; round < 3; round++) {
      writer.text.insert(0, 'z'.repeat(160 * 1024));
      writer.text.delete(0, writer.text.length);
    }
    writer.text.insert(0, 'kept');
    await vi.waitFor(async () => expect((await loadStoredDoc(server.store, 'busy')).getText('t').toJSON()).toBe('kept'));
    expect(closedWith).toBeNull();
    expect(await storedBytes(server, 'busy')).toBeLessThanOrEqual(quota);
  });

  it('closes a member sending more bytes per second than a connection may (rateLimited, too much data)', async () => {
    const server = await startSyncTestServer(cleanups, { limits: { connectionRate: { bytesPerSecond: 64 * 1024, burstBytes: 1024 * 1024 } } });
    const flooder = openRawSocket(cleanups, socketUrl(server, 'flooded', server.ticket('flooded', { subject: 'invite:flooder' })));
    await flooder.opened;
    for (let i = 0; i < 40; i++) flooder.ws.send(updateFrame(textInsert('x'.repeat(64 * 1024), 1000 + i)));
    expect(await flooder.closed).toEqual({ code: SYNC_CLOSE.rateLimited, reason: SYNC_CLOSE_REASON.tooMuchData });
    await victimPairSyncs(server, 'elsewhere');
  });

  it("keeps a newcomer's presence snapshot within the document's presence limit, however many states others send", async () => {
    const server = await startSyncTestServer(cleanups);
    const { maxStateBytes, maxStatesPerConnection, maxDocumentBytes } = SYNC_LIMITS.presence;
    const state = JSON.stringify({ user: { name: 'y'.repeat(maxStateBytes - 40) } });
    // Ten members, each with as many of the largest states as a connection may own: 320 KiB in all.
    for (let member = 0; member < 10; member++) {
      const socket = openRawSocket(cleanups, socketUrl(server, 'crowded', server.ticket('crowded', { subject: `invite:${member}` })));
      await socket.opened;
      const entries = Array.from({ length: maxStatesPerConnection }, (_, i) => ({ clientId: member * 100 + i + 1, clock: 1, state }));
      socket.ws.send(presenceFrame(entries));
      // Its own states come back in the next broadcast, or nothing at all once the document is full.
      socket.ws.send(Uint8Array.of(3)); // queryAwareness: answered in order, after the states above
      await socket.waitForMessage(isAwareness);
    }
    const newcomer = openRawSocket(cleanups, socketUrl(server, 'crowded', server.ticket('crowded', { subject: 'invite:new' })));
    const snapshot = await newcomer.waitForMessage(isAwareness);
    expect(snapshot.byteLength).toBeLessThanOrEqual(maxDocumentBytes + 64);
  });

  it('closes a connection that claims more presence states than one connection may own (tooLarge)', async () => {
    const server = await startSyncTestServer(cleanups);
    const socket = openRawSocket(cleanups, socketUrl(server, 'crowded', server.ticket('crowded')));
    await socket.opened;
    const entries = Array.from({ length: SYNC_LIMITS.presence.maxStatesPerConnection + 1 }, (_, i) => ({ clientId: i + 1, clock: 1, state: '{}' }));
    socket.ws.send(presenceFrame(entries));
    expect(await socket.closed).toEqual({ code: SYNC_CLOSE.tooLarge, reason: SYNC_CLOSE_REASON.presenceTooLarge });
  });
});

describe('rates are per person, not per connection', () => {
  const cleanups: Cleanups = [];
  afterEach(() => runCleanups(cleanups));

  it('does not refill the byte budget of a member who reconnects after being closed for sending too much', async () => {
    const server = await startSyncTestServer(cleanups, { limits: { maxMessageBytes: 128 * 1024, connectionRate: { bytesPerSecond: 1024, burstBytes: 256 * 1024 } } });
    const ticket = server.ticket('flooded', { subject: 'invite:flooder' });
    const first = openRawSocket(cleanups, socketUrl(server, 'flooded', ticket));
    await first.opened;
    for (let i = 0; i < 8; i++) first.ws.send(updateFrame(textInsert('x'.repeat(64 * 1024), 1000 + i)));
    expect((await first.closed).code).toBe(SYNC_CLOSE.rateLimited);
    // The same person at once again: two more large messages are already too much. (One is not enough to
    // tell: what the first connection left may be a few bytes short of one message, and refills at 1 KiB/s
    // while the second connects; two need about a minute of refill, where a fresh budget takes four.)
    const second = openRawSocket(cleanups, socketUrl(server, 'flooded', ticket));
    await second.opened;
    for (let i = 0; i < 2; i++) second.ws.send(updateFrame(textInsert('y'.repeat(64 * 1024), 2000 + i)));
    expect(await second.closed).toEqual({ code: SYNC_CLOSE.rateLimited, reason: SYNC_CLOSE_REASON.tooMuchData });
  });
});
