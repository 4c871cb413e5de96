import type { DocStore } from '../store/docStore.ts';

/** What the owner of a served document is told by its ownership. */
export interface HoldEvents {
  /** Another instance was sent a client of this document: hand it over (flush, release, move the clients). */
  wanted(): void;
  /** The document is no longer this instance's (its lease ran out and another claimed it). */
  lost(): void;
}

/**
 * Which instance serves a document (server/sync's registry asks before it loads one). The only place that
 * knows whether there is one instance or several: on SQLite one process holds every document
 * ({@link createLocalOwnership}); on a shared PostgreSQL an instance holds a lease (leasedOwnership.ts).
 */
export interface DocumentOwnership {
  /** Takes the document: its epoch for every write. Throws DocumentHeldElsewhereError while another instance holds it. */
  claim(docName: string): Promise<number>;
  /** Keeps the claim while the document is served; answers the function that stops keeping it. */
  hold(held: { docName: string; epoch: number }, events: HoldEvents): () => void;
  /** Gives the document up once its last write is stored, so another instance may claim it at once. */
  release(docName: string, epoch: number): Promise<void>;
  /** Stops renewing (after every document was released). */
  close(): void;
}

/**
 * One process holds every document, as on a laptop or a clinic VM: a claim always succeeds (with a new
 * epoch, which still fences an earlier claim of the same store, e.g. a second registry in a test), and
 * there is nothing to renew or release.
 */
export function createLocalOwnership(docStore: Pick<DocStore, 'claim'>): DocumentOwnership {
  return {
    claim: (docName) => docStore.claim(docName),
    hold: () => () => {},
    release: async () => {},
    close: () => {},
  };
}
