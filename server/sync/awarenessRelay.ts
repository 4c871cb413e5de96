import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness';
import { encodeAwarenessMessage } from './messages.ts';

/**
 * Presence (cursors, who is here) for one document. Changes are merged and sent at most once per
 * `intervalMs`, so a room of N people typing costs N messages per interval per person instead of N² per
 * keystroke. The merged message goes to every connection, the sender included: the stock provider
 * reconnects when it hears nothing for 30 s, and its own renewed state (every 15 s) is what it hears in an
 * otherwise quiet room.
 */
export interface AwarenessRelay<Peer> {
  apply(update: Uint8Array, from: Peer): void;
  /** The states a connection set, removed at once when it leaves (a reconnect that re-claimed one keeps it). */
  removePeer(peer: Peer): void;
  /**
   * The changes waiting for the next interval, as one message to send to everyone now instead (null when
   * there are none): lets presence ride along with a write that goes out anyway.
   */
  takePending(): Uint8Array | null;
  /** Every current state, for a connection that just joined or asked; null when nobody has one. */
  snapshot(): Uint8Array | null;
  stop(): void;
}

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

export const AWARENESS_BROADCAST_INTERVAL_MS = 50;

export function createAwarenessRelay<Peer>(
  awareness: Awareness,
  broadcast: (message: Uint8Array) => void,
  intervalMs: number = AWARENESS_BROADCAST_INTERVAL_MS,
): AwarenessRelay<Peer> {
  const owners = new Map<number, Peer>();
  const changed = new Set<number>();
  let applying: { peer: Peer } | null = null;
  let timer: NodeJS.Timeout | null = null;

  const takePending = (): Uint8Array | null => {
    if (timer) clearTimeout(timer);
    timer = null;
    // Ids whose meta is gone cannot be encoded; y-protocols keeps meta after a removal, so this is defensive.
    const ids = [...changed].filter((id) => awareness.meta.has(id));
    changed.clear();
    return ids.length > 0 ? encodeAwarenessMessage(encodeAwarenessUpdate(awareness, ids)) : null;
  };
  const flush = (): void => {
    const message = takePending();
    if (message) broadcast(message);
  };

  // 'update' rather than 'change': a renewal without a state change must still reach the others (see above).
  const onUpdate = ({ added, updated, removed }: AwarenessChanges): void => {
    // Only states that this connection's message actually changed become its own; echoes of others'
    // states with an old clock change nothing and claim nothing.
    if (applying) for (const id of [...added, ...updated]) owners.set(id, applying.peer);
    for (const id of removed) owners.delete(id);
    for (const id of [...added, ...updated, ...removed]) changed.add(id);
    timer ??= setTimeout(flush, intervalMs);
  };
  awareness.on('update', onUpdate);

  return {
    takePending,
    apply(update, from) {
      applying = { peer: from };
      try {
        applyAwarenessUpdate(awareness, update, 'connection');
      } finally {
        applying = null;
      }
    },
    removePeer(peer) {
      const ids = [...owners].filter(([, owner]) => owner === peer).map(([id]) => id);
      if (ids.length > 0) removeAwarenessStates(awareness, ids, 'connection closed');
    },
    snapshot() {
      const ids = [...awareness.getStates().keys()];
      return ids.length > 0 ? encodeAwarenessMessage(encodeAwarenessUpdate(awareness, ids)) : null;
    },
    stop() {
      awareness.off('update', onUpdate);
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
