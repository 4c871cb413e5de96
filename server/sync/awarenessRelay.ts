import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness';
import { encodeAwarenessMessage } from './messages.ts';
import { readPresenceEntries, writePresenceEntries, type PresenceEntry } from './presenceEntries.ts';

/**
 * Presence (cursors, who is here) for one document. Changes are merged and sent at most once per
 * `intervalMs`, so a room of N people typing costs N messages per interval per person instead of N² per
 * keystroke. The merged message goes to every connection, the sender included: the stock provider
 * reconnects when it hears nothing for 30 s, and its own renewed state (every 15 s) is what it hears in an
 * otherwise quiet room.
 *
 * A presence state belongs to the connection that set it: another connection may not change or remove it
 * (that would let one participant rename someone else's cursor), unless it holds a ticket for the same
 * person, as a reconnecting tab does while its old socket has not timed out yet.
 */
export interface AwarenessRelay<Peer extends PresencePeer> {
  /**
   * Applies what `from` may change; returns how many entries that would have changed another person's
   * state were refused (echoes of states it heard change nothing and are skipped quietly).
   */
  apply(update: Uint8Array, from: Peer): number;
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

/** Who a connection acts for: states may pass between connections of the same subject. */
export interface PresencePeer {
  readonly subject: string;
}

export function createAwarenessRelay<Peer extends PresencePeer>(
  awareness: Awareness,
  broadcast: (message: Uint8Array) => void,
  intervalMs: number = AWARENESS_BROADCAST_INTERVAL_MS,
): AwarenessRelay<Peer> {
  return new Relay(awareness, broadcast, intervalMs);
}

/** A class, as there is one per loaded document: its methods are shared rather than closures per document. */
class Relay<Peer extends PresencePeer> implements AwarenessRelay<Peer> {
  readonly #awareness: Awareness;
  readonly #broadcast: (message: Uint8Array) => void;
  readonly #intervalMs: number;
  readonly #owners = new Map<number, Peer>();
  /** Ids changed since the last broadcast; null between bursts, so a quiet document keeps no set. */
  #changed: Set<number> | null = null;
  /** Set only while this relay applies a connection's message, so its 'update' knows whose it is. */
  #applying: Peer | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(awareness: Awareness, broadcast: (message: Uint8Array) => void, intervalMs: number) {
    this.#awareness = awareness;
    this.#broadcast = broadcast;
    this.#intervalMs = intervalMs;
    // 'update' rather than 'change': a renewal without a state change must still reach the others (see above).
    awareness.on('update', this.#onUpdate);
  }

  apply(update: Uint8Array, from: Peer): number {
    const entries = readPresenceEntries(update);
    const allowed = entries.filter(({ clientId }) => this.#mayChange(clientId, from));
    // The stock provider echoes every state it hears back to the server; only real attempts count.
    const refused = entries.filter((entry) => !allowed.includes(entry) && this.#wouldChange(entry)).length;
    if (allowed.length === 0) return refused;
    this.#applying = from;
    try {
      applyAwarenessUpdate(this.#awareness, allowed.length === entries.length ? update : writePresenceEntries(allowed), 'connection');
    } finally {
      this.#applying = null;
    }
    return refused;
  }

  /** y-protocols' own rule for whether an entry changes the state it names. */
  #wouldChange({ clientId, clock, state }: PresenceEntry): boolean {
    const current = this.#awareness.meta.get(clientId)?.clock ?? 0;
    return current < clock || (current === clock && state === 'null' && this.#awareness.states.has(clientId));
  }

  #mayChange(clientId: number, peer: Peer): boolean {
    const owner = this.#owners.get(clientId);
    return owner === undefined || owner === peer || owner.subject === peer.subject;
  }

  removePeer(peer: Peer): void {
    const ids = [...this.#owners].filter(([, owner]) => owner === peer).map(([id]) => id);
    if (ids.length > 0) removeAwarenessStates(this.#awareness, ids, 'connection closed');
  }

  snapshot(): Uint8Array | null {
    const ids = [...this.#awareness.getStates().keys()];
    return ids.length > 0 ? encodeAwarenessMessage(encodeAwarenessUpdate(this.#awareness, ids)) : null;
  }

  stop(): void {
    this.#awareness.off('update', this.#onUpdate);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  // A bound field, not a method: the same function has to be handed to `off` in `stop`.
  readonly #onUpdate = ({ added, updated, removed }: AwarenessChanges): void => {
    // Only states that this connection's message actually changed become its own; echoes of others'
    // states with an old clock change nothing and claim nothing.
    const peer = this.#applying;
    if (peer) for (const id of [...added, ...updated]) this.#owners.set(id, peer);
    for (const id of removed) this.#owners.delete(id);
    const changed = (this.#changed ??= new Set());
    for (const id of [...added, ...updated, ...removed]) changed.add(id);
    this.#timer ??= setTimeout(() => this.#flush(), this.#intervalMs);
  };

  takePending(): Uint8Array | null {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    // Ids whose meta is gone cannot be encoded; y-protocols keeps meta after a removal, so this is defensive.
    const ids = [...(this.#changed ?? [])].filter((id) => this.#awareness.meta.has(id));
    this.#changed = null;
    return ids.length > 0 ? encodeAwarenessMessage(encodeAwarenessUpdate(this.#awareness, ids)) : null;
  }

  #flush(): void {
    const message = this.takePending();
    if (message) this.#broadcast(message);
  }
}
