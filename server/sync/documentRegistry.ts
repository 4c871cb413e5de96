import { SYNC_CLOSE, SYNC_CLOSE_REASON, type SyncCloseCode } from '../../shared/protocol/sync.ts';
import type { SyncLimits } from '../../shared/protocol/syncLimits.ts';
import { DocumentHeldElsewhereError } from '../cluster/documentLeases.ts';
import { createLocalOwnership, type DocumentOwnership } from '../cluster/documentOwnership.ts';
import { errorFields, type Logger } from '../log.ts';
import { DocumentFencedError, DocumentSealedError, type DocStore } from '../store/docStore.ts';
import * as Y from 'yjs';
import { DocumentBudget } from './documentBudget.ts';
import { layoutVersionGuard, migrateLoadedDocument } from './documentMigration.ts';
import { createStoredLog, type StoredLog } from './storedLog.ts';
import { createSyncDocument, type SyncDocument, type SyncPeer } from './syncDocument.ts';

/** Loading 500 small rows costs about a millisecond; compacting rewrites the whole document, so not too often. */
export const DEFAULT_COMPACT_AFTER_ROWS = 500;

/**
 * A socket is held open for another instance's lease to run out only if it runs out this soon: a lease
 * lasts 2 s (DEFAULT_LEASE_TIMING), so this is every lease; a longer one (another timing) is refused at once.
 */
const MAX_LEASE_WAIT_MS = 3_000;
/** The lease's end is read from PostgreSQL's clock; a little later, the claim finds it over. */
const LEASE_WAIT_MARGIN_MS = 25;

/** A connection's hold on a document. */
export interface DocumentLease {
  /** The loaded document; one load is shared by concurrent first connections. Rejects if the load failed. */
  readonly ready: Promise<SyncDocument>;
  /** Leaves the document (idempotent); the last one out starts the unload grace period. */
  release(): void;
  /** What the document may still cost this second, shared by all its connections. */
  readonly budget: DocumentBudget;
}

/**
 * Document lifecycle: a document is in memory only while someone is connected. It is loaded from the store
 * on the first connection, kept for `unloadGraceMs` after the last one leaves (a page reload should not
 * cost a reload from the store), then its writes are flushed, its stored log compacted, and it is dropped.
 * Its stored log is also compacted while it is loaded (see StoredLog), and on close (SIGTERM).
 */
export interface DocumentRegistry {
  acquire(docName: string, peer: SyncPeer): DocumentLease;
  /** Documents loading, loaded or unloading. */
  size(): number;
  /**
   * Stops serving a document at once (its network was erased): every connection on it is closed with
   * `code` and `reason`, and it leaves memory without waiting for the grace period or being compacted.
   * Nothing for a document not loaded here.
   */
  drop(docName: string, code: SyncCloseCode, reason: string): Promise<void>;
  /** Flushes, compacts and drops every document. */
  close(): Promise<void>;
}

export interface DocumentRegistryDeps {
  docStore: DocStore;
  logger: Logger;
  unloadGraceMs: number;
  /** Rows a loaded document's log may grow to before it is compacted in the background. */
  compactAfterRows?: number;
  limits: SyncLimits;
  /**
   * Watches each document from its load until it is dropped (e.g. to keep versions of a meeting's notes):
   * answers the function that stops watching, called once everything applied is stored. Must not throw; the
   * unload waits for what it returns (e.g. the last version being stored) before the document is dropped.
   */
  observe?: DocumentObserver;
  /**
   * Which instance serves which document (server/cluster). Default: this process holds every document
   * (one process on the store, as with SQLite).
   */
  ownership?: DocumentOwnership;
}

/** See {@link DocumentRegistryDeps.observe}. */
export type DocumentObserver = (docName: string, document: SyncDocument) => (() => void | Promise<void>) | undefined;

interface Entry {
  readonly name: string;
  readonly logger: Logger;
  readonly users: Set<SyncPeer>;
  readonly budget: DocumentBudget;
  state: 'loading' | 'ready' | 'unloading';
  document: SyncDocument | null;
  log: StoredLog | null;
  stopObserving: (() => void | Promise<void>) | undefined;
  ready: Promise<SyncDocument>;
  unloadTimer: NodeJS.Timeout | null;
  unloaded: Promise<void> | null;
  /** This process's claim on the document, once loaded: released when it is dropped. */
  claim: { epoch: number; stopHolding: () => void } | null;
}

export function createDocumentRegistry(deps: DocumentRegistryDeps): DocumentRegistry {
  const entries = new Map<string, Entry>();
  const compactAfterRows = deps.compactAfterRows ?? DEFAULT_COMPACT_AFTER_ROWS;
  const ownership = deps.ownership ?? createLocalOwnership(deps.docStore);
  let closing = false;

  const load = async (entry: Entry, previousUnload: Promise<void> | null): Promise<SyncDocument> => {
    // A document being unloaded is flushed first, so the load below sees every write.
    if (previousUnload) await previousUnload;
    const started = performance.now();
    const { docStore } = deps;
    // Claimed before it is read: every write another process had committed is in the load, and every
    // later write of theirs is refused (fenced), so the log this process appends to and compacts is the
    // one it loaded plus its own writes. With several instances the claim is refused while another live
    // instance holds the document (DocumentHeldElsewhereError): a live owner is never taken over.
    const epoch = await claimWhenFree(entry);
    entry.claim = {
      epoch,
      stopHolding: ownership.hold({ docName: entry.name, epoch }, { wanted: () => handOver(entry), lost: () => fenced(entry) }),
    };
    const { updates, lastSeq, clients } = await docStore.load(entry.name);
    let bytes = 0;
    for (const update of updates) bytes += update.byteLength;
    const { limits } = deps;
    const log = createStoredLog({
      store: docStore,
      docName: entry.name,
      epoch,
      rows: updates.length,
      bytes,
      lastSeq,
      compactAfterRows,
      compactAfterBytes: limits.maxDocumentBytes / 2,
      snapshot: () => {
        const snapshot = () => (entry.document && !entry.document.broken ? Y.encodeStateAsUpdate(entry.document.doc) : null);
        // While serving, a compaction is due because of what the clients wrote: theirs. During the load
        // (a long log found after a crash or a failover, the layout migration's write) it is the load's.
        return entry.state === 'ready' ? charged(entry, snapshot) : snapshot();
      },
      logger: entry.logger,
      onFenced: (error) => discard(entry, error),
    });
    const checkTwin = layoutVersionGuard(entry.name);
    const document = createSyncDocument({
      name: entry.name,
      history: updates,
      clients: clients ?? [],
      write: (batch, bound) => log.write(batch, bound),
      storage: log,
      limits,
      ...(checkTwin ? { checkTwin } : {}),
      onWriteFailed: (error) => discard(entry, error),
      onFault: (error) => discard(entry, error, 'sync_doc_fault'),
    });
    // Building the document from its history is not charged to its budget: the budget is what the
    // document's clients may make the server do (their messages, and the compactions their writes cause),
    // so that one member's flood slows only their meeting. A load is the server's own work, done once per
    // load whatever the clients send: charged, it put a freshly loaded meeting in debt before its first
    // message (a stored document of tiny structs builds in about 0.6 s per MiB, SYNC_LIMITS: 0.6 s charged
    // is 3.5 s of pause at 100 ms per second), so after a failover or a restart its returning clients
    // were paused for seconds. The protection from floods is unchanged: the entry, and its budget, is new
    // at every load, so the charge never slowed a second load, only the clients of this one; what bounds
    // loads is the document's size (maxDocumentBytes) and the unload grace period (one load per quiet spell).
    entry.document = document;
    entry.log = log;
    // Before the first peer is served: the document in this release's layout, stored (unless sealed).
    try {
      await migrateLoadedDocument(entry.name, document.doc, (batch) => log.write(batch), entry.logger);
    } catch (error) {
      entry.document = null;
      document.destroy();
      throw error;
    }
    entry.stopObserving = deps.observe?.(entry.name, document);
    // A long log (a crash before it was compacted) is compacted at once, so the next load is short.
    if (updates.length >= compactAfterRows) void log.compact();
    for (const peer of entry.users) document.addPeer(peer);
    entry.logger.info('sync_doc_loaded', { storedUpdates: updates.length, ms: Math.round(performance.now() - started) });
    if (entry.state === 'loading') {
      entry.state = 'ready';
      if (entry.users.size === 0) scheduleUnload(entry);
    }
    return document;
  };

  // A claim refused because another instance's lease still runs is tried once more when that lease runs
  // out, holding the sockets that wait for the document open meanwhile (their messages queue, as during any
  // load). After a kill the dead owner's lease is the whole wait: refused at once instead, the stock client
  // backs off (0.2, 0.4, 0.8, 1.6, 2.5 s) and came back up to 1.6 s after the lease had run out. A live owner
  // renews its lease, so the second claim is refused too and the sockets close with 4503 as before, only
  // later (the owner has been asked to hand the document over, see leasedOwnership).
  const claimWhenFree = async (entry: Entry): Promise<number> => {
    try {
      return await ownership.claim(entry.name);
    } catch (error) {
      if (!(error instanceof DocumentHeldElsewhereError) || error.leaseLeftMs > MAX_LEASE_WAIT_MS || closing) throw error;
      await new Promise((done) => setTimeout(done, error.leaseLeftMs + LEASE_WAIT_MARGIN_MS));
      // Everyone left while it waited: nobody needs the document here.
      if (entry.users.size === 0 || closing) throw error;
      return ownership.claim(entry.name);
    }
  };

  const createEntry = (name: string, previousUnload: Promise<void> | null): Entry => {
    const entry: Entry = {
      name,
      logger: deps.logger.child({ docName: name }),
      users: new Set(),
      budget: new DocumentBudget(deps.limits.documentRate),
      state: 'loading',
      document: null,
      log: null,
      stopObserving: undefined,
      // Started on a microtask, once `entry` exists.
      ready: Promise.resolve()
        .then(() => load(entry, previousUnload))
        .catch((error: unknown) => {
          // Nothing of a failed load stays in memory; every waiting connection is closed by its session.
          if (error instanceof DocumentHeldElsewhereError) entry.logger.info('sync_doc_held_elsewhere', { leaseLeftMs: error.leaseLeftMs });
          else entry.logger.error('sync_doc_load_failed', errorFields(error));
          entry.claim?.stopHolding();
          if (entry.claim) void ownership.release(name, entry.claim.epoch).catch(() => {});
          entry.state = 'unloading';
          entry.unloaded = Promise.resolve();
          if (entries.get(name) === entry) entries.delete(name);
          throw error;
        }),
      unloadTimer: null,
      unloaded: null,
      claim: null,
    };
    // The sessions handle the rejection; this only keeps an unobserved one from ending the process.
    entry.ready.catch(() => {});
    return entry;
  };

  const scheduleUnload = (entry: Entry): void => {
    if (closing || entry.unloadTimer) return;
    entry.unloadTimer = setTimeout(() => {
      entry.unloadTimer = null;
      if (entry.users.size === 0 && entry.state === 'ready') void unload(entry, true);
    }, deps.unloadGraceMs);
    entry.unloadTimer.unref();
  };

  // Never rejects.
  const unload = (entry: Entry, compact: boolean): Promise<void> => {
    if (entry.unloaded) return entry.unloaded;
    entry.state = 'unloading';
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
    entry.unloadTimer = null;
    entry.unloaded = (async () => {
      const document = await entry.ready.catch(() => null);
      if (!document) return;
      await document.flushed();
      await entry.stopObserving?.();
      if (compact && entry.log) await entry.log.compact();
      document.destroy();
    })()
      .catch((error: unknown) => entry.logger.warn('sync_doc_unload_failed', errorFields(error)))
      // Everything is stored (or was refused): another instance may take the document now, not a lease later.
      .then(() => releaseClaim(entry))
      .finally(() => {
        if (entries.get(entry.name) === entry) entries.delete(entry.name);
        entry.logger.info('sync_doc_unloaded', { compact });
      });
    return entry.unloaded;
  };

  // Never throws: it is where faults of a document end, also from timers.
  const discard = (entry: Entry, error: unknown, event = 'sync_doc_write_failed'): void => {
    try {
      if (error instanceof DocumentSealedError) return sealed(entry);
      if (error instanceof DocumentFencedError) return fenced(entry);
      entry.logger.error(event, errorFields(error));
      if (entry.state === 'unloading') return;
      void unload(entry, false);
      // The clients still hold their edits; on reconnect they send them again, to a document freshly loaded.
      for (const peer of [...entry.users]) peer.close(SYNC_CLOSE.internal, 'document reset, please reconnect');
    } catch (secondary) {
      entry.logger.error('sync_doc_discard_failed', errorFields(secondary));
    }
  };

  // The meeting ended (here or in another process) while someone wrote: what the store refused is dropped
  // with the in-memory document (never compacted into it), and every connection is told the meeting ended.
  const sealed = (entry: Entry): void => {
    entry.logger.info('sync_doc_sealed_write_refused');
    if (entry.state === 'unloading') return;
    void unload(entry, false);
    for (const peer of [...entry.users]) peer.close(SYNC_CLOSE.forbidden, SYNC_CLOSE_REASON.meetingEnded);
  };

  // Another process claimed the document (e.g. a load balancer sent its clients there): this one stops
  // serving it at once. The refused write was never sent to anyone (updates go out only once committed),
  // nothing more is written or compacted, and every connection is closed with a code the client answers by
  // reconnecting, to whichever instance then serves it, and sending again what was not yet saved. The next
  // connection here loads the document afresh (and claims it back).
  const fenced = (entry: Entry): void => {
    entry.logger.warn('sync_doc_fenced');
    if (entry.state === 'unloading') return;
    void unload(entry, false);
    for (const peer of [...entry.users]) peer.close(SYNC_CLOSE.internal, SYNC_CLOSE_REASON.documentMoved);
  };

  // Another instance was sent a client of this document (the load balancer's view changed): this one stops
  // serving it, so that the document moves once instead of being refused there until its clients here leave.
  // Unlike a fencing, this process still owns the log: what it applied is stored and compacted before the
  // lease is released, and only then can the other instance claim it and load all of it.
  const handOver = (entry: Entry): void => {
    if (entry.state !== 'ready') return;
    entry.logger.info('sync_doc_handed_over');
    void unload(entry, true);
    for (const peer of [...entry.users]) peer.close(SYNC_CLOSE.internal, SYNC_CLOSE_REASON.documentMoved);
  };

  // Never rejects: a release that fails leaves a lease that runs out by itself.
  const releaseClaim = async (entry: Entry): Promise<void> => {
    const { claim } = entry;
    if (!claim) return;
    claim.stopHolding();
    try {
      await ownership.release(entry.name, claim.epoch);
    } catch (error) {
      entry.logger.warn('sync_doc_release_failed', errorFields(error));
    }
  };

  const release = (entry: Entry, peer: SyncPeer): void => {
    if (!entry.users.delete(peer)) return;
    entry.document?.removePeer(peer);
    if (entry.users.size === 0 && entry.state === 'ready') scheduleUnload(entry);
  };

  return {
    acquire(docName, peer) {
      let entry = entries.get(docName);
      if (!entry || entry.state === 'unloading') {
        entry = createEntry(docName, entry?.unloaded ?? null);
        entries.set(docName, entry);
      }
      const held = entry;
      held.users.add(peer);
      held.document?.addPeer(peer);
      if (held.unloadTimer) clearTimeout(held.unloadTimer);
      held.unloadTimer = null;
      return { ready: held.ready, release: () => release(held, peer), budget: held.budget };
    },
    size: () => entries.size,
    async drop(docName, code, reason) {
      const entry = entries.get(docName);
      if (!entry) return;
      const unloaded = unload(entry, false);
      for (const peer of [...entry.users]) peer.close(code, reason);
      await unloaded;
    },
    async close() {
      closing = true;
      await Promise.all([...entries.values()].map((entry) => unload(entry, true)));
      ownership.close();
    },
  };
}

/** Runs `work` and charges the main-loop time it took to the document's budget. */
function charged<T>(entry: Entry, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    entry.budget.charge(0, performance.now() - started);
  }
}
