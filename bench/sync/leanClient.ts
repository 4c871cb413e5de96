import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { protocolOf } from '../servers/childProcess.ts';
import type { SyncEndpoint } from './benchServer.ts';
import { installedVersion } from './versions.ts';

/**
 * A lean client for the capacity runs, where thousands of sockets share this process with nothing else:
 * it speaks the real wire protocol (y-websocket framing, or Hocuspocus' framing with its auth message) and
 * produces real Yjs updates from a Y.Doc of its own, but never applies what it receives: it only answers
 * the server's SyncStep1 and hands each frame to `onFrame` for latency markers. Each keystroke also sends
 * an awareness update (the cursor), as an editor with remote cursors does.
 */
export interface LeanClient {
  /** The caller's number for this client (to tell its own echoed inserts from others'). */
  readonly id: number;
  /** Resolves once the server answered our SyncStep1; rejects if the socket closes first. */
  readonly synced: Promise<void>;
  /** Appends `text` to this client's own text and sends the update, then the new cursor. */
  type(text: string): void;
  /** True once the socket closed, unless `close()` closed it. */
  readonly droppedByServer: boolean;
  close(): void;
}

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const HOCUSPOCUS_PROVIDER_VERSION = installedVersion('@hocuspocus/provider');

export function connectLeanClient(server: SyncEndpoint, docName: string, id: number, onFrame: (frame: Uint8Array) => void): LeanClient {
  const hocuspocus = protocolOf(server.kind) === 'hocuspocus';
  const ws = new WebSocket(leanSocketUrl(server, docName), { perMessageDeflate: false });
  const doc = new Y.Doc();
  const text = doc.getText('t');
  let awarenessClock = 0;
  let closedByUs = false;
  let dropped = false;

  /** One outgoing frame: Hocuspocus prefixes every message with the document name. */
  const frame = (type: number, write: (encoder: encoding.Encoder) => void): Uint8Array => {
    const encoder = encoding.createEncoder();
    if (hocuspocus) encoding.writeVarString(encoder, docName);
    encoding.writeVarUint(encoder, type);
    write(encoder);
    return encoding.toUint8Array(encoder);
  };
  const send = (message: Uint8Array): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(message);
  };

  doc.on('update', (update: Uint8Array) => send(frame(MESSAGE_SYNC, (encoder) => syncProtocol.writeUpdate(encoder, update))));

  const synced = new Promise<void>((done, fail) => {
    ws.on('open', () => {
      if (hocuspocus) {
        send(
          frame(MESSAGE_AUTH, (encoder) => {
            encoding.writeVarUint(encoder, 0); // AuthMessageType.Token
            encoding.writeVarString(encoder, server.ticket(docName));
            encoding.writeVarString(encoder, HOCUSPOCUS_PROVIDER_VERSION);
          }),
        );
      }
      send(frame(MESSAGE_SYNC, (encoder) => syncProtocol.writeSyncStep1(encoder, doc)));
    });
    ws.on('message', (data: WebSocket.RawData) => {
      const bytes = toBytes(data);
      onFrame(bytes);
      const decoder = decoding.createDecoder(bytes);
      if (hocuspocus) decoding.readVarString(decoder);
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
      const step = decoding.readVarUint(decoder);
      if (step === SYNC_STEP1) {
        const stateVector = decoding.readVarUint8Array(decoder);
        send(frame(MESSAGE_SYNC, (encoder) => syncProtocol.writeSyncStep2(encoder, doc, stateVector)));
      } else if (step === SYNC_STEP2) {
        done();
      }
    });
    ws.on('close', (code: number) => {
      if (!closedByUs) dropped = true;
      fail(new Error(`socket closed before sync (code ${code})`));
    });
  });
  synced.catch(() => {});
  ws.on('error', () => {});

  return {
    id,
    synced,
    get droppedByServer() {
      return dropped;
    },
    type(inserted) {
      text.insert(text.length, inserted);
      const cursor = text.length;
      const state = JSON.stringify({ user: { name: `bench-${doc.clientID % 1000}`, color: '#3366cc' }, cursor: { anchor: cursor, head: cursor } });
      send(
        frame(MESSAGE_AWARENESS, (encoder) => {
          const update = encoding.createEncoder();
          encoding.writeVarUint(update, 1);
          encoding.writeVarUint(update, doc.clientID);
          encoding.writeVarUint(update, ++awarenessClock);
          encoding.writeVarString(update, state);
          encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
        }),
      );
    },
    close() {
      closedByUs = true;
      ws.terminate();
      doc.destroy();
    },
  };
}

function leanSocketUrl(server: SyncEndpoint, docName: string): string {
  const ticket = encodeURIComponent(server.ticket(docName));
  switch (protocolOf(server.kind)) {
    case 'polyphony':
      return `ws://127.0.0.1:${server.port}/sync/${docName}?ticket=${ticket}`;
    case 'y-websocket':
      return `ws://127.0.0.1:${server.port}/${docName}?ticket=${ticket}`;
    case 'hocuspocus':
      return `ws://127.0.0.1:${server.port}`;
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
