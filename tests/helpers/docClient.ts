import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { JoinMeetingResponse, type SyncAccess } from '../../shared/api/meetings.ts';
import { getNotes, notesPlainText } from '../../shared/doc/schema.ts';
import { keepPresenceAcrossReconnects } from '../../client/meeting/doc/presenceAcrossReconnects.ts';

/** A stock y-websocket client in Node, as a browser tab would connect, with helpers to write and wait. */
export function connectDocClient(baseUrl: string, sync: SyncAccess) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + sync.path, sync.docName, doc, {
    params: { ticket: sync.ticket },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  // As the app's shared document does (client/meeting/doc/createSharedDoc.ts).
  keepPresenceAcrossReconnects(provider);
  const synced = new Promise<void>((done) => {
    if (provider.synced) done();
    else provider.once('sync', (isSynced: boolean) => isSynced && done());
  });
  return {
    doc,
    provider,
    synced,
    /** Appends a paragraph to the notes, as typing in the editor does. */
    addParagraph(text: string) {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(text)]);
      getNotes(doc).push([paragraph]);
    },
    text: () => notesPlainText(doc),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Joins a meeting over the API as `session` and connects a doc client to its meeting document. */
export async function joinAndConnect(session: { json(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>; baseUrl: string }, meetingId: string, displayName = 'Someone') {
  const joined = JoinMeetingResponse.parse(await session.json('POST', `/api/meetings/${meetingId}/join`, { displayName }));
  const client = connectDocClient(session.baseUrl, joined.sync);
  await client.synced;
  return { joined, client };
}

/** Opens a raw socket with a ticket and resolves with its close code; fails if a sync message arrives first. */
export function closeCodeOf(baseUrl: string, sync: SyncAccess): Promise<number> {
  const url = `${baseUrl.replace(/^http/, 'ws')}${sync.path}/${sync.docName}?ticket=${encodeURIComponent(sync.ticket)}`;
  return new Promise((done, fail) => {
    const ws = new WebSocket(url);
    ws.on('message', (data: Buffer) => {
      // Only the auth message (type 2, "permission denied") may come before the close: never a sync byte.
      if (data[0] !== 2) fail(new Error(`received message type ${data[0]} before the refusal`));
    });
    ws.on('close', (code) => done(code));
    ws.on('error', fail);
  });
}

/**
 * Resolves once the server has handled and stored every update this client sent before: a fresh SyncStep1
 * (type 0, step 0, empty state vector) is answered with a SyncStep2 only after the connection's earlier
 * messages were handled, and each update is stored before the next message is handled.
 */
export async function waitUntilStored(...providers: { ws: globalThis.WebSocket | null }[]): Promise<void> {
  for (const provider of providers) await roundTrip(provider);
}

async function roundTrip(provider: { ws: globalThis.WebSocket | null }): Promise<void> {
  const ws = provider.ws;
  if (!ws) throw new Error('not connected');
  const answered = new Promise<void>((done) => {
    const onMessage = (event: MessageEvent) => {
      const bytes = new Uint8Array(event.data as ArrayBuffer);
      if (bytes[0] !== 0 || bytes[1] !== 1) return;
      ws.removeEventListener('message', onMessage);
      done();
    };
    ws.addEventListener('message', onMessage);
  });
  ws.send(new Uint8Array([0, 0, 1, 0]));
  await answered;
}
