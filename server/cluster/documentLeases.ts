/** A document this instance holds, with the epoch its claim got. */
export interface HeldDocument {
  docName: string;
  epoch: number;
}

/**
 * What a renewal found: still held, held but another instance asked for it, no longer this instance's, or
 * gone from the store altogether (its network was erased: the erasure's event closes its sockets, with the
 * reason the people in it must see, so the lease does not close them first as if the document had moved).
 */
export type LeaseState = 'held' | 'wanted' | 'lost' | 'gone';

/**
 * Leases on documents in a store shared by several instances (PostgreSQL: store/postgres/documentLeases.ts).
 * A lease gives one instance a document until it runs out; its owner renews it while serving the document.
 */
export interface DocumentLeaseStore {
  /** Who this instance is to the store: unique per process (a restarted process is a new holder). */
  readonly holder: string;
  /**
   * Takes the document for `ttlMs` and answers its new epoch (fencing every earlier claim's writes, as
   * DocStore.claim). Throws DocumentHeldElsewhereError, and asks the owner to hand it over, while another
   * holder's lease is live.
   */
  claim(docName: string, ttlMs: number): Promise<number>;
  /** Extends the lease of every document given, in one round trip, and says what each one's state is. */
  renew(held: readonly HeldDocument[], ttlMs: number): Promise<(HeldDocument & { state: LeaseState })[]>;
  /** Gives the document up at once (its last write is stored), if this claim still holds it. */
  release(docName: string, epoch: number): Promise<void>;
}

/**
 * Thrown by a claim while another live instance holds the document. Nothing was taken: the caller closes
 * its connection with a code the client answers by reconnecting (SYNC_CLOSE.unavailable), by which time the
 * load balancer routes it to the owner, or the owner has handed the document over or died and its lease ran out.
 */
export class DocumentHeldElsewhereError extends Error {
  /** How long the owner's lease still runs, in milliseconds (at most; it may hand the document over sooner). */
  readonly leaseLeftMs: number;
  constructor(leaseLeftMs: number) {
    super('another instance holds this document');
    this.name = 'DocumentHeldElsewhereError';
    this.leaseLeftMs = leaseLeftMs;
  }
}
