import { randomBytes } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { writeUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SYNC_CLOSE, SYNC_MESSAGE } from '../../shared/protocol/sync.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import {
  connectProvider,
  messageKind,
  openRawSocket,
  runCleanups,
  sendThenBarrier,
  socketUrl,
  startSyncTestServer,
  storedFingerprint,
  type Cleanups,
} from './helpers/syncClient.ts';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

describe('who may open a document', () => {
  const refusals = [
    { name: 'no ticket', code: SYNC_CLOSE.unauthorized, ticket: () => null },
    { name: 'a ticket signed with another key', code: SYNC_CLOSE.unauthorized, ticket: () => foreignTicket('meeting-secret') },
    { name: 'a tampered ticket', code: SYNC_CLOSE.unauthorized, ticket: (sign: Signer) => `x${sign('meeting-secret', {})}` },
    { name: 'an expired ticket', code: SYNC_CLOSE.unauthorized, ticket: (sign: Signer) => sign('meeting-secret', { expiresAt: Date.now() - 1 }) },
    { name: 'a ticket for another document', code: SYNC_CLOSE.forbidden, ticket: (sign: Signer) => sign('meeting-other', {}) },
  ];

  it.each(refusals)('refuses $name before sending any document byte', async ({ code, ticket }) => {
    const server = await startSyncTestServer(cleanups);
    const owner = connectProvider(cleanups, server, 'meeting-secret');
    await owner.synced;
    owner.text.insert(0, 'private note');

    const socket = openRawSocket(cleanups, socketUrl(server, 'meeting-secret', ticket((doc, claims) => server.ticket(doc, claims))));
    const closed = await socket.closed;
    expect(closed.code).toBe(code);
    // Only the y-protocols "permission denied" message, with a reason the stock provider logs.
    expect(socket.messages.map((message) => messageKind(message).type)).toEqual([SYNC_MESSAGE.auth]);
    expect(server.sync.stats().connections).toBe(1);
  });

  it('answers 404 for paths other than the sync endpoint', async () => {
    const server = await startSyncTestServer(cleanups);
    const socket = new WebSocket(server.baseUrl.replace('/sync', '/elsewhere/meeting-x'));
    cleanups.push(() => socket.terminate());
    const status = await new Promise<number | undefined>((done) => {
      socket.on('unexpected-response', (_req, res) => done(res.statusCode));
      socket.on('error', () => done(undefined));
    });
    expect(status).toBe(404);
  });

  it('refuses a document name outside the allowed characters', async () => {
    const server = await startSyncTestServer(cleanups);
    const name = 'meeting%2F..%2Fetc';
    const socket = openRawSocket(cleanups, `${server.baseUrl}/${name}?ticket=${encodeURIComponent(server.ticket('meeting/../etc'))}`);
    expect((await socket.closed).code).toBe(SYNC_CLOSE.notFound);
  });

  it('lets a read-only connection read and stay, but never applies or stores what it sends', async () => {
    const server = await startSyncTestServer(cleanups);
    const writer = connectProvider(cleanups, server, 'meeting-read');
    await writer.synced;
    writer.text.insert(0, 'from the writer');
    const readOnlyTicket = server.ticket('meeting-read', { mode: 'read-only' });
    const viewer = connectProvider(cleanups, server, 'meeting-read', readOnlyTicket);
    await viewer.synced;
    await vi.waitFor(() => expect(viewer.text.toJSON()).toBe('from the writer'));
    const before = await storedFingerprint(server.store, 'meeting-read');

    const raw = openRawSocket(cleanups, socketUrl(server, 'meeting-read', readOnlyTicket));
    await raw.opened;
    const outcome = await sendThenBarrier(raw, updateFrame('from the viewer'));
    expect(outcome.closed).toBeNull();
    expect(await storedFingerprint(server.store, 'meeting-read')).toEqual(before);
    expect(writer.text.toJSON()).toBe('from the writer');

    // Later writes still reach the viewer.
    writer.text.insert(writer.text.length, ', and more');
    await vi.waitFor(() => expect(viewer.text.toJSON()).toBe('from the writer, and more'));
  });
});

type Signer = (docName: string, claims: { expiresAt?: number }) => string;

function foreignTicket(docName: string): string {
  return createTicketSigner(randomBytes(32)).sign({ docName, mode: 'read-write', subject: 's', expiresAt: Date.now() + 60_000 });
}

/** A real update message inserting `text`, made by y-protocols from a real document. */
function updateFrame(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC_MESSAGE.sync);
  writeUpdate(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}
