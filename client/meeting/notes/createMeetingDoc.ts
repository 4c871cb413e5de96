import { createSignal, onCleanup } from 'solid-js';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { SyncAccess } from '../../../shared/api/meetings.ts';
import type { AwarenessUser } from '../../../shared/doc/awareness.ts';
import { SYNC_CLOSE, SYNC_TICKET_PARAM } from '../../../shared/protocol/sync.ts';

export type SyncStatus = 'connecting' | 'synced' | 'offline' | 'refused';

// Closes after which reconnecting cannot help: the ticket is bad or access is gone.
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([SYNC_CLOSE.unauthorized, SYNC_CLOSE.forbidden, SYNC_CLOSE.notFound]);

/**
 * The meeting's shared-space document, made once per meeting: a Y.Doc kept in step with the server by the
 * stock y-websocket provider, the person's name on their cursor, and an honest connection status.
 */
export function createMeetingDoc(sync: SyncAccess, user: AwarenessUser) {
  const doc = new Y.Doc();
  const [status, setStatus] = createSignal<SyncStatus>('connecting');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const provider = new WebsocketProvider(`${scheme}://${location.host}${sync.path}`, sync.docName, doc, {
    params: { [SYNC_TICKET_PARAM]: sync.ticket },
    // Every tab talks to the server: a tab-to-tab shortcut would show "saved" for text the server lacks.
    disableBc: true,
    shouldReconnect: (event) => {
      if (!FINAL_CLOSE_CODES.has(event.code)) return true;
      setStatus('refused');
      return false;
    },
  });
  provider.awareness.setLocalStateField('user', user);

  const onStatus = ({ status: next }: { status: string }) => {
    if (status() === 'refused') return;
    if (next !== 'connected') setStatus(next === 'connecting' ? 'connecting' : 'offline');
  };
  const onSync = (synced: boolean) => {
    if (synced) setStatus('synced');
  };
  provider.on('status', onStatus);
  provider.on('sync', onSync);
  onCleanup(() => {
    provider.off('status', onStatus);
    provider.off('sync', onSync);
    provider.destroy();
    doc.destroy();
  });

  return { doc, awareness: provider.awareness, status };
}

export type MeetingDoc = ReturnType<typeof createMeetingDoc>;
