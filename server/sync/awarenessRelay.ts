import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness';
import { AWARENESS_PARTICIPANT_FIELD } from '../../shared/doc/awareness.ts';
import { Author } from '../../shared/doc/entries.ts';
import type { PresenceLimits } from '../../shared/protocol/syncLimits.ts';
import type { WriterIdentity } from './authorClaims.ts';
import { encodeAwarenessMessage } from './messages.ts';
import { readPresenceEntries, writePresenceEntries, type PresenceEntry } from './presenceEntries.ts';

/**
 * Presence (cursors, who is here) for one document. Changes are merged and sent at most once per
 * `intervalMs`, so a room of N people typing costs N messages per interval per person instead of N² per
 * keystroke; while a write of the document is in flight they wait to go out with its broadcast instead.
 * The merged message goes to every connection, the sender included, except that a connection hears a
 * message holding only its own states at most once per `OWN_ECHO_EVERY_MS`: while someone types, their
 * cursor moves with every keystroke, and echoing it back cost one write of eight in a room of 8 for
 * nothing. Not never: the stock provider reconnects when it hears nothing for 30 s, and its own state is
 * all there is to hear for someone alone in a room.
 *
 * A presence state belongs to the connection that set it: another connection may not change or remove it
 * (that would let one participant rename someone else's cursor), unless it holds a ticket for the same
 * person, as a reconnecting tab does while its old socket has not timed out yet.
 *
 * Bounded (see `PresenceLimits`; size and depth of each state are checked when the message is decoded): a
 * connection owns at most `maxStatesPerConnection` states, and all states together stay below
 * `maxDocumentBytes`, so the snapshot a newcomer receives stays small.
 */
export interface AwarenessRelay<Peer extends PresencePeer> {
  /** Applies what `from` may change, within the limits; see {@link PresenceOutcome}. */
  apply(update: Uint8Array, from: Peer): PresenceOutcome;
  /** The states a connection set, removed at once when it leaves (a reconnect that re-claimed one keeps it). */
  removePeer(peer: Peer): void;
  /**
   * The changes waiting for the next interval, as one message to send now instead, to everyone but its
   * `notFor` (null when there are none): lets presence ride along with a write that goes out anyway.
   */
  takePending(): PendingPresence<Peer> | null;
  /** Every current state, for a connection that just joined or asked; null when nobody has one. */
  snapshot(): Uint8Array | null;
  stop(): void;
}

export interface PresenceOutcome {
  /**
   * Entries that would have changed another person's state, refused (echoes of states the sender heard
   * change nothing and are skipped quietly).
   */
  refusedOthers: number;
  /**
   * Nothing of the message was applied because it would have passed a limit: `connection` when the sender
   * would own too many states (its own doing), `document` when all states together would be too large.
   */
  overLimit: 'connection' | 'document' | null;
}

/** Presence changes to send now, as one message. */
export interface PendingPresence<Peer> {
  readonly message: Uint8Array;
  /**
   * The connection that need not get it: the message holds only states it set, and it heard its own states
   * back less than `OWN_ECHO_EVERY_MS` ago. Null when everyone gets it.
   */
  readonly notFor: Peer | null;
}

export interface AwarenessRelayOptions<Peer> {
  /** Sends to every connection of the document but `except`. */
  broadcast: (message: Uint8Array, except: Peer | null) => void;
  /**
   * True while a write of the document is on its way whose broadcast will take the waiting presence along
   * (takePending): the interval's message then waits for it, up to `AWARENESS_MAX_HOLD_MS` after the
   * first change, so that a cursor goes out with the text it sits after, in the same write to each peer.
   */
  writeInFlight?: () => boolean;
  /** The timed broadcast threw: the owner closes this document's connections. Must not throw. */
  onFault: (error: unknown) => void;
  limits: Pick<PresenceLimits, 'maxStatesPerConnection' | 'maxDocumentBytes'>;
  intervalMs?: number;
}

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

export const AWARENESS_BROADCAST_INTERVAL_MS = 50;

/**
 * The longest presence waits for a write in flight (see `writeInFlight`). Why wait at all: under load a
 * commit can take longer than the interval, and presence sent on its own then costs every peer a second
 * write per keystroke, which slows the commits further (at 300 rooms on PostgreSQL, 9 % of the server's
 * busy time went to such timed flushes, against 4 % on SQLite). Why a bound: a write that hangs (its
 * database unreachable) must not freeze who is here.
 */
export const AWARENESS_MAX_HOLD_MS = 500;

/** How often a connection hears its own presence back at least: a third of the stock provider's 30 s. */
export const OWN_ECHO_EVERY_MS = 10_000;

/**
 * What one state counts against the document's presence bytes beyond its JSON: its client id, clock and
 * length on the wire, and its entries in y-protocols' maps. Without it, thousands of one-byte states would
 * cost nothing.
 */
const STATE_OVERHEAD_BYTES = 32;

/**
 * Who a connection acts for: states may pass between connections of the same subject. `writer`, when
 * known, is the participant the server authenticated: a state presenting anyone else is ignored.
 */
export interface PresencePeer {
  readonly subject: string;
  readonly writer?: WriterIdentity;
}

export function createAwarenessRelay<Peer extends PresencePeer>(awareness: Awareness, options: AwarenessRelayOptions<Peer>): AwarenessRelay<Peer> {
  return new Relay(awareness, options);
}

/** A class, as there is one per loaded document: its methods are shared rather than closures per document. */
class Relay<Peer extends PresencePeer> implements AwarenessRelay<Peer> {
  readonly #awareness: Awareness;
  readonly #options: AwarenessRelayOptions<Peer>;
  readonly #owners = new Map<number, Peer>();
  readonly #owned = new Map<Peer, number>();
  /** What each current state counts against the document's presence bytes. */
  readonly #sizes = new Map<number, number>();
  #totalBytes = 0;
  /** Ids changed since the last broadcast; null between bursts, so a quiet document keeps no set. */
  #changed: Set<number> | null = null;
  /** Set only while this relay applies a connection's message, so its 'update' knows whose it is. */
  #applying: { peer: Peer; sizes: Map<number, number> } | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** When the first change waiting to go out was made (performance.now()). */
  #changedSince = 0;
  /** When each connection last got a message of its own states only (see OWN_ECHO_EVERY_MS). */
  readonly #echoedAt = new Map<Peer, number>();

  constructor(awareness: Awareness, options: AwarenessRelayOptions<Peer>) {
    this.#awareness = awareness;
    this.#options = options;
    // 'update' rather than 'change': a renewal without a state change must still reach the others (see above).
    awareness.on('update', this.#onUpdate);
  }

  apply(update: Uint8Array, from: Peer): PresenceOutcome {
    const entries = readPresenceEntries(update);
    const allowed = entries.filter((entry) => this.#mayChange(entry.clientId, from) && presentsOnly(entry.state, from.writer));
    // The stock provider echoes every state it hears back to the server; only real attempts count.
    const refusedOthers = entries.filter((entry) => !allowed.includes(entry) && this.#wouldChange(entry)).length;
    const changing = allowed.filter((entry) => this.#wouldChange(entry));
    if (changing.length === 0) return { refusedOthers, overLimit: null };
    const overLimit = this.#overLimit(changing, from);
    if (overLimit) return { refusedOthers, overLimit };
    this.#applying = { peer: from, sizes: new Map(changing.map((entry) => [entry.clientId, sizeOf(entry)])) };
    try {
      applyAwarenessUpdate(this.#awareness, changing.length === entries.length ? update : writePresenceEntries(changing), 'connection');
    } finally {
      this.#applying = null;
    }
    return { refusedOthers, overLimit: null };
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

  #overLimit(changing: readonly PresenceEntry[], peer: Peer): PresenceOutcome['overLimit'] {
    const { maxStatesPerConnection, maxDocumentBytes } = this.#options.limits;
    let owned = this.#owned.get(peer) ?? 0;
    let total = this.#totalBytes;
    for (const entry of changing) {
      const isNew = this.#owners.get(entry.clientId) !== peer;
      if (entry.state !== 'null' && isNew) owned++;
      if (entry.state === 'null' && !isNew) owned--;
      total += sizeOf(entry) - (this.#sizes.get(entry.clientId) ?? 0);
    }
    if (owned > maxStatesPerConnection) return 'connection';
    return total > maxDocumentBytes && total > this.#totalBytes ? 'document' : null;
  }

  removePeer(peer: Peer): void {
    this.#echoedAt.delete(peer);
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
    const applying = this.#applying;
    if (applying) for (const id of [...added, ...updated]) this.#claim(id, applying.peer, applying.sizes.get(id) ?? 0);
    for (const id of removed) this.#release(id);
    if (!this.#changed) this.#changedSince = performance.now();
    const changed = (this.#changed ??= new Set());
    for (const id of [...added, ...updated, ...removed]) changed.add(id);
    this.#timer ??= setTimeout(this.#flush, this.#intervalMs());
  };

  #claim(id: number, peer: Peer, size: number): void {
    const previous = this.#owners.get(id);
    if (previous !== peer) {
      if (previous) this.#count(previous, -1);
      this.#count(peer, 1);
      this.#owners.set(id, peer);
    }
    this.#totalBytes += size - (this.#sizes.get(id) ?? 0);
    this.#sizes.set(id, size);
  }

  #release(id: number): void {
    const owner = this.#owners.get(id);
    if (owner) this.#count(owner, -1);
    this.#owners.delete(id);
    this.#totalBytes -= this.#sizes.get(id) ?? 0;
    this.#sizes.delete(id);
  }

  #count(peer: Peer, delta: number): void {
    const owned = (this.#owned.get(peer) ?? 0) + delta;
    if (owned > 0) this.#owned.set(peer, owned);
    else this.#owned.delete(peer);
  }

  takePending(): PendingPresence<Peer> | null {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    // Ids whose meta is gone cannot be encoded; y-protocols keeps meta after a removal, so this is defensive.
    const ids = [...(this.#changed ?? [])].filter((id) => this.#awareness.meta.has(id));
    this.#changed = null;
    if (ids.length === 0) return null;
    return { message: encodeAwarenessMessage(encodeAwarenessUpdate(this.#awareness, ids)), notFor: this.#spareEcho(ids) };
  }

  /** The connection that set every one of `ids` and heard its own states recently, if any; else it is echoed now. */
  #spareEcho(ids: readonly number[]): Peer | null {
    const owner = this.#owners.get(ids[0] ?? -1);
    // A removed state has no owner any more: everyone hears of it.
    if (!owner || ids.some((id) => this.#owners.get(id) !== owner)) return null;
    const now = performance.now();
    if (now - (this.#echoedAt.get(owner) ?? Number.NEGATIVE_INFINITY) < OWN_ECHO_EVERY_MS) return owner;
    this.#echoedAt.set(owner, now);
    return null;
  }

  #intervalMs(): number {
    return this.#options.intervalMs ?? AWARENESS_BROADCAST_INTERVAL_MS;
  }

  // Runs from a timer: whatever it throws must end here, with this document, not reach the process.
  readonly #flush = (): void => {
    try {
      if (this.#options.writeInFlight?.() && performance.now() - this.#changedSince < AWARENESS_MAX_HOLD_MS) {
        // The write's broadcast takes it (and clears this timer); this one is only the bound.
        this.#timer = setTimeout(this.#flush, this.#intervalMs());
        return;
      }
      const pending = this.takePending();
      if (pending) this.#options.broadcast(pending.message, pending.notFor);
    } catch (error) {
      this.#options.onFault(error);
    }
  };
}

function sizeOf(entry: PresenceEntry): number {
  return entry.state === 'null' ? 0 : entry.bytes + STATE_OVERHEAD_BYTES;
}

/**
 * Whether a presence state presents only its sender: its `participant` (shown as "in the shared space",
 * with the cursor's name) must be the writer the server authenticated, in their role. The name is the
 * one they joined under. States without one pass.
 */
function presentsOnly(state: string, writer: WriterIdentity | undefined): boolean {
  if (!writer || !state.includes(`"${AWARENESS_PARTICIPANT_FIELD}"`)) return true;
  const value: unknown = JSON.parse(state);
  if (typeof value !== 'object' || value === null) return true;
  const parsed = Author.safeParse((value as Record<string, unknown>)[AWARENESS_PARTICIPANT_FIELD]);
  return !parsed.success || (parsed.data.id === writer.id && (writer.role === undefined || parsed.data.role === writer.role));
}
