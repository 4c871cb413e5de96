/**
 * Every bound the sync server puts on what one client may send, in one place. Both sides read it: the
 * server enforces it (tests may override any value through its options), the app's client knows what a
 * refusal means. Each limit is generous for people and small enough that one meeting cannot slow others.
 *
 * What real clients send, measured from this app: a presence state is `{ user: {name, color}, participant:
 * {id, name, role}, cursor: {anchor, head} }` (y-prosemirror's cursor is two relative positions of four
 * small fields each): 200 to 500 bytes, nested 4 levels deep; one tab owns one presence state. Typing sends
 * updates of 20 to 100 bytes with one to three structs; pasting a page of formatted text a few hundred
 * structs. Main-loop cost, measured on the 2-core test machine: about 4 µs per struct of an update (decoded,
 * applied to the guard twin, then to the live document), 0.3 ms to parse and compare an 8 KiB presence
 * state, and loading a stored document of tiny structs about 0.6 s per MiB (large strings load fast).
 */
export interface SyncLimits {
  /** Largest frame accepted, in bytes; larger ones close with 4413. */
  maxMessageBytes: number;
  /** Structs plus delete ranges in one update: bounds what one message costs the main loop. */
  maxUpdateStructs: number;
  /** How deeply shared types (maps, arrays, XML elements) may nest inside each other. */
  maxContentDepth: number;
  /**
   * Main-loop time the guard twin may take to apply one update, in ms; a costlier update is refused
   * (4413) before the live document sees it. Yjs's cost grows with the conflicting content already in the
   * document (many clients inserting at one place), not only with the update's own size.
   */
  maxUpdateMs: number;
  /**
   * Existing items Yjs may have to walk past to place one update's structs (see the server's
   * conflictScan): checked before the update is applied, so a costly one never runs.
   */
  maxConflictScan: number;
  presence: PresenceLimits;
  /**
   * Per person (ticket subject): all their connections draw from one budget, kept a while after they close,
   * so reconnecting does not refill it. Exceeding it closes the connection with 4429.
   */
  connectionRate: ConnectionRate;
  /** Per document, shared by all its connections; exceeding it pauses their reading until it refills. */
  documentRate: DocumentRate;
  /** Bytes a document may take in the store (its snapshot and the updates since); beyond, writes close with 4507. */
  maxDocumentBytes: number;
}

export interface PresenceLimits {
  /** UTF-8 bytes of one presence state's JSON. */
  maxStateBytes: number;
  /** Nesting of arrays and objects in one presence state (a bare value is depth 0). */
  maxStateDepth: number;
  /** Presence states (client ids) one connection may own at once. */
  maxStatesPerConnection: number;
  /** All presence states of one document together: the snapshot a newcomer receives stays below this. */
  maxDocumentBytes: number;
}

export interface ConnectionRate {
  messagesPerSecond: number;
  /** Messages a connection may send at once after being quiet. */
  burstMessages: number;
  bytesPerSecond: number;
  /** At least `maxMessageBytes`, so that one message of the largest size always fits. */
  burstBytes: number;
}

export interface DocumentRate {
  bytesPerSecond: number;
  burstBytes: number;
  /**
   * Main-loop time a document's messages, and the compactions their writes cause, may take per second, in
   * ms. The server's own loads of the document (first connection, restart, failover) are not counted.
   */
  busyMsPerSecond: number;
  burstBusyMs: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The defaults, and why:
 * - `maxMessageBytes` 1 MiB: a reconnect after a long time offline sends everything in one message.
 * - `maxUpdateStructs` 4,000: about 20 pages of pasted formatted text (typing merges a run of characters
 *   into one struct, so an hour offline is a few hundred); at about 4 µs each, one message holds the main
 *   loop for about 15 ms. 8,000 let an attacker's costliest accepted updates push a typing victim's p99
 *   in another meeting to 72 ms (bench:isolation).
 * - `maxConflictScan` 50,000 items (about 10 ms on a busy machine): Yjs is quadratic in concurrent inserts at one place
 *   (measured: 4,000 elements inserted at the front by one client onto 4,000 by another take 2 s), so the
 *   struct cap alone does not bound a message. Typing walks a few items; someone back from an hour
 *   offline walks past what others wrote once per place they wrote at.
 * - `maxUpdateMs` 100: typing and pasting take well under 10 ms; an update of 1,000 structs or more that
 *   the guard twin still found this costly (a cost the checks above did not foresee) is refused. Smaller
 *   ones are not timed: their time is mostly the process pausing (garbage collection), not their cost.
 * - `maxContentDepth` 32: the notes nest lists in lists (a few levels), the network document maps in maps
 *   (two); 32 is far beyond both and keeps every recursive reader (exports, the editor) safe.
 * - presence: a real state is under 0.5 KiB and 4 deep; 8 KiB and 16 deep leave room for long names and
 *   new fields. Four states per connection covers a tab that restarts its document. 128 KiB per document
 *   is 250 real people, and keeps a newcomer's snapshot far below any client's message limit.
 * - per person 200 messages and 256 KiB per second (bursts of 400 and 2 MiB: a reconnect's catch-up),
 *   shared by their connections (a tab has two: the meeting's document and the network's): typing is a
 *   few dozen small messages a second.
 * - per document 1 MiB and 100 ms of main loop per second (bursts of 4 MiB and 250 ms): ten people typing
 *   at once (a few hundred µs per keystroke through the guard) use a fifth of that at most; a flooded
 *   meeting gets at most a tenth of the loop, and the other meetings keep the rest.
 * - `maxDocumentBytes` 2 MiB: a long meeting's notes are 100 to 300 KiB; a document of tiny structs
 *   this size still loads in about a second.
 */
export const SYNC_LIMITS: SyncLimits = {
  maxMessageBytes: 1 * MiB,
  maxUpdateStructs: 4_000,
  maxContentDepth: 32,
  maxUpdateMs: 100,
  maxConflictScan: 50_000,
  presence: { maxStateBytes: 8 * KiB, maxStateDepth: 16, maxStatesPerConnection: 4, maxDocumentBytes: 128 * KiB },
  connectionRate: { messagesPerSecond: 200, burstMessages: 400, bytesPerSecond: 256 * KiB, burstBytes: 2 * MiB },
  documentRate: { bytesPerSecond: 1 * MiB, burstBytes: 4 * MiB, busyMsPerSecond: 100, burstBusyMs: 250 },
  maxDocumentBytes: 2 * MiB,
};

/** Limits overridden in part (e.g. by tests); nested groups may be given in part too. */
export type SyncLimitsOverride = Partial<Omit<SyncLimits, 'presence' | 'connectionRate' | 'documentRate'>> & {
  presence?: Partial<PresenceLimits>;
  connectionRate?: Partial<ConnectionRate>;
  documentRate?: Partial<DocumentRate>;
};

/** {@link SYNC_LIMITS} with `override` applied; throws when the result could refuse every message. */
export function resolveSyncLimits(override: SyncLimitsOverride = {}): SyncLimits {
  const limits: SyncLimits = {
    ...SYNC_LIMITS,
    ...override,
    presence: { ...SYNC_LIMITS.presence, ...override.presence },
    connectionRate: { ...SYNC_LIMITS.connectionRate, ...override.connectionRate },
    documentRate: { ...SYNC_LIMITS.documentRate, ...override.documentRate },
  };
  const { connectionRate, documentRate } = limits;
  const positive = [connectionRate.messagesPerSecond, connectionRate.bytesPerSecond, documentRate.bytesPerSecond, documentRate.busyMsPerSecond, limits.maxMessageBytes];
  if (positive.some((value) => !(value > 0))) throw new Error('sync limits: rates and sizes must be positive');
  if (connectionRate.burstMessages < 1) throw new Error('sync limits: a connection must be allowed at least one message');
  if (connectionRate.burstBytes < limits.maxMessageBytes) throw new Error('sync limits: connectionRate.burstBytes must be at least maxMessageBytes');
  return limits;
}
