import { SYNC_CLOSE } from '../../shared/protocol/sync.ts';
import { errorFields } from '../log.ts';
import type { DocumentRegistry } from './documentRegistry.ts';
import { encodeSyncStep1, encodeSyncStep2, type ClientMessage } from './messages.ts';
import type { ConnectionHandlers, SyncConnection } from './syncConnection.ts';
import type { SyncDocument } from './syncDocument.ts';

/**
 * The y-websocket protocol for one connection on one document. Messages are handled strictly in arrival
 * order, and none before the stored document has loaded: a SyncStep1 answered from an empty document
 * would tell the client the notes are empty.
 */
export function startSyncSession(connection: SyncConnection, registry: DocumentRegistry): ConnectionHandlers {
  const lease = registry.acquire(connection.docName, connection);
  let droppedUpdates = 0;

  let queue: Promise<SyncDocument | null> = lease.ready.then(
    (document) => {
      greet(connection, document);
      return document;
    },
    () => {
      connection.close(SYNC_CLOSE.internal, 'document unavailable');
      return null;
    },
  );

  const handle = async (document: SyncDocument, message: ClientMessage): Promise<void> => {
    switch (message.type) {
      case 'syncStep1':
        // Only what is stored is handed out, so a crash cannot take back what a newcomer already saw.
        await document.flushed();
        if (connection.isOpen) connection.send(encodeSyncStep2(document.doc, message.stateVector));
        return;
      case 'syncStep2':
      case 'update': {
        if (connection.mode === 'read-only') {
          // Dropped, not applied; the connection stays (a viewer's editor may still emit stray updates).
          if (droppedUpdates++ === 0) connection.log('warn', 'sync_readonly_update_dropped');
          return;
        }
        if (!document.applyClientUpdate(message.update, connection)) {
          connection.log('warn', 'sync_update_rejected');
          connection.close(SYNC_CLOSE.badMessage, 'malformed update');
        }
        return;
      }
      case 'awareness':
        document.applyAwareness(message.update, connection);
        return;
      case 'queryAwareness': {
        const snapshot = document.awarenessSnapshot();
        if (snapshot) connection.send(snapshot);
        return;
      }
    }
  };

  return {
    message(message) {
      queue = queue
        .then(async (document) => {
          if (document && connection.isOpen) await handle(document, message);
          return document;
        })
        .catch((error: unknown) => {
          connection.log('error', 'sync_handler_failed', errorFields(error));
          connection.close(SYNC_CLOSE.internal, 'internal error');
          return null;
        });
    },
    closed() {
      lease.release();
      if (droppedUpdates > 0) connection.log('info', 'sync_readonly_updates_dropped', { count: droppedUpdates });
    },
  };
}

/**
 * The server's half of the handshake: its state vector (so the client sends what the server lacks, e.g.
 * edits made offline) and everyone's presence. A read-only client is not asked for its state: it could
 * not be applied anyway.
 */
function greet(connection: SyncConnection, document: SyncDocument): void {
  if (!connection.isOpen) return;
  if (connection.mode === 'read-write') connection.send(encodeSyncStep1(document.doc));
  const presence = document.awarenessSnapshot();
  if (presence) connection.send(presence);
}
