import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { protocolOf } from '../servers/childProcess.ts';
import type { SyncEndpoint } from './benchServer.ts';

/**
 * A real client as an app would run it: the stock y-websocket `WebsocketProvider` (Polyphony and
 * @y/websocket-server speak its protocol) or `HocuspocusProvider` (Hocuspocus has its own framing), both
 * over the `ws` package.
 */
export interface RealClient {
  doc: Y.Doc;
  text: Y.Text;
  /** Resolves on the first completed sync with the server. */
  synced: Promise<void>;
  destroy(): void;
}

/** `onRemoteUpdate` sees every update that came from the server (not the client's own edits). */
export function connectRealClient(server: SyncEndpoint, docName: string, onRemoteUpdate: (update: Uint8Array) => void = () => {}): RealClient {
  const doc = new Y.Doc();
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== null && origin !== undefined) onRemoteUpdate(update);
  });
  const text = doc.getText('t');
  if (protocolOf(server.kind) === 'hocuspocus') {
    // One socket per provider, as a browser tab with one document has.
    const socket = new HocuspocusProviderWebsocket({ url: `ws://127.0.0.1:${server.port}`, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: docName, document: doc, token: server.ticket(docName) });
    provider.attach();
    const synced = new Promise<void>((done) => {
      if (provider.synced) return done();
      provider.on('synced', () => done());
    });
    const destroyProvider = (): void => {
      provider.destroy();
      socket.destroy();
    };
    return { doc, text, synced, destroy: () => destroyBoth(destroyProvider, doc) };
  }

  const baseUrl = protocolOf(server.kind) === 'polyphony' ? `ws://127.0.0.1:${server.port}/sync` : `ws://127.0.0.1:${server.port}`;
  const provider = new WebsocketProvider(baseUrl, docName, doc, {
    params: { ticket: server.ticket(docName) },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((done) => {
    if (provider.synced) return done();
    const onSync = (isSynced: boolean): void => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      done();
    };
    provider.on('sync', onSync);
  });
  return { doc, text, synced, destroy: () => destroyBoth(() => provider.destroy(), doc) };
}

function destroyBoth(destroyProvider: () => void, doc: Y.Doc): void {
  try {
    destroyProvider();
  } finally {
    doc.destroy();
  }
}
