import { createSignal, onCleanup } from 'solid-js';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { SyncAccess } from '../../../shared/api/meetings.ts';
import { AWARENESS_PARTICIPANT_FIELD, type AwarenessUser } from '../../../shared/doc/awareness.ts';
import type { Author } from '../../../shared/doc/entries.ts';
import { SYNC_CLOSE, SYNC_CLOSE_REASON, SYNC_MESSAGE, SYNC_TICKET_PARAM } from '../../../shared/protocol/sync.ts';
import { keepPresenceAcrossReconnects } from './presenceAcrossReconnects.ts';
import { createSaveTracker, type SaveStatus } from './saveTracker.ts';
import { reconnectsAfter, syncRefusalOf, type SyncRefusal } from './syncRefusal.ts';

// Closes after which reconnecting cannot help: the ticket is bad or access is gone.
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([SYNC_CLOSE.unauthorized, SYNC_CLOSE.forbidden, SYNC_CLOSE.notFound]);

/** Why this person's access to the meeting ended, as the server said it when closing the socket. */
export type AccessLostReason = typeof SYNC_CLOSE_REASON.accessRevoked | typeof SYNC_CLOSE_REASON.accessExpired | typeof SYNC_CLOSE_REASON.networkDeleted;
const ACCESS_LOST_REASONS: ReadonlySet<string> = new Set<AccessLostReason>([SYNC_CLOSE_REASON.accessRevoked, SYNC_CLOSE_REASON.accessExpired, SYNC_CLOSE_REASON.networkDeleted]);
const isAccessLost = (reason: string): reason is AccessLostReason => ACCESS_LOST_REASONS.has(reason);

type SyncHandler = WebsocketProvider['messageHandlers'][number];

/**
 * One shared document (the meeting's, or the network's), made once per meeting: a Y.Doc kept on this device
 * (IndexedDB, so edits made offline survive a closed tab and merge on return) and in step with the server
 * through the stock y-websocket provider; the person's name and role in awareness (when `presence` is given);
 * and an honest save status.
 */
export function createSharedDoc(sync: SyncAccess, presence?: { user: AwarenessUser; me: Author }) {
  const doc = new Y.Doc();
  const [saveStatus, setSaveStatus] = createSignal<SaveStatus>({ connection: 'connecting', inStep: false, pending: false });
  // Set when the server closed the socket because the meeting ended (its document is now sealed).
  const [ended, setEnded] = createSignal(false);
  // Set when the server closed the socket because this person may no longer be here.
  const [accessLost, setAccessLost] = createSignal<AccessLostReason>();
  // Set when the server refused what this device sent (too large, too fast, or the document is full).
  const [refusal, setRefusal] = createSignal<SyncRefusal | null>(null);
  const local = new IndexeddbPersistence(`polyphony:${sync.docName}`, doc);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const provider = new WebsocketProvider(`${scheme}://${location.host}${sync.path}`, sync.docName, doc, {
    params: { [SYNC_TICKET_PARAM]: sync.ticket },
    // Every tab talks to the server: a tab-to-tab shortcut would show "saved" for text the server lacks.
    disableBc: true,
    shouldReconnect: (event) => {
      const refused = syncRefusalOf(event.code);
      if (refused) {
        setRefusal(refused);
        return reconnectsAfter(refused);
      }
      if (!FINAL_CLOSE_CODES.has(event.code)) return true;
      if (event.reason === SYNC_CLOSE_REASON.meetingEnded) setEnded(true);
      if (isAccessLost(event.reason)) {
        setAccessLost(event.reason);
        // Nothing of the notes stays on a device whose holder lost access (it may be a shared family device).
        void local.clearData();
      }
      tracker.refused();
      return false;
    },
  });
  const tracker = createSaveTracker({ sendProbe: () => sendSyncStep1(provider, doc), onChange: setSaveStatus });
  if (presence) {
    provider.awareness.setLocalStateField('user', presence.user);
    provider.awareness.setLocalStateField(AWARENESS_PARTICIPANT_FIELD, presence.me);
  } else {
    // Presence is told through the meeting's document; this one carries none.
    provider.awareness.setLocalState(null);
  }

  // Notice the server's SyncStep2 answers without changing how the provider handles them.
  const original = provider.messageHandlers[SYNC_MESSAGE.sync];
  if (original) {
    const observed: SyncHandler = (encoder, decoder, p, emitSynced, messageType) => {
      const kind = decoding.peekVarUint(decoder);
      original(encoder, decoder, p, emitSynced, messageType);
      if (kind === syncProtocol.messageYjsSyncStep2) tracker.syncStep2Received();
    };
    provider.messageHandlers[SYNC_MESSAGE.sync] = observed;
  }

  const onStatus = ({ status }: { status: string }) => {
    if (status === 'connected') {
      tracker.opened();
      setRefusal(null);
    }
    else if (status === 'disconnected') tracker.closed();
  };
  // Registered after the provider's own listener, so the edit is on the wire before the probe that follows it.
  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin !== provider) queueMicrotask(() => tracker.localChange());
  };
  // The browser knows sooner than a silent socket that the network is gone; reconnect as soon as it is back.
  const onOffline = () => provider.disconnect();
  const onOnline = () => provider.connect();
  provider.on('status', onStatus);
  const stopKeepingPresence = keepPresenceAcrossReconnects(provider);
  doc.on('update', onUpdate);
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  onCleanup(() => {
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    provider.off('status', onStatus);
    stopKeepingPresence();
    doc.off('update', onUpdate);
    provider.destroy();
    void local.destroy();
    doc.destroy();
  });

  return {
    doc,
    awareness: provider.awareness,
    saveStatus,
    ended,
    accessLost,
    refusal,
    /**
     * Leaving: once everything is stored on the server, this device's copy is removed (a shared family
     * device should not keep the notes); with edits still unsaved, it is kept so they are sent next time.
     */
    async forgetLocalCopyIfSaved(): Promise<void> {
      const status = tracker.status();
      if (status.connection === 'open' && status.inStep && !status.pending) await local.clearData();
    },
  };
}

export type SharedDoc = ReturnType<typeof createSharedDoc>;

function sendSyncStep1(provider: WebsocketProvider, doc: Y.Doc): void {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC_MESSAGE.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  provider.ws?.send(encoding.toUint8Array(encoder));
}
