import { createLogger } from '../../server/log.ts';
import { createDocumentRegistry, DEFAULT_COMPACT_AFTER_ROWS } from '../../server/sync/documentRegistry.ts';
import type { SyncPeer } from '../../server/sync/syncDocument.ts';
import { checkUpdateBounds } from '../../server/sync/updateBounds.ts';
import { resolveSyncLimits } from '../../shared/protocol/syncLimits.ts';
import type { BenchStorage } from './benchServer.ts';
import { openPolyphonyDocStore } from './polyphonyStorage.ts';

/** Updates per burst: a stretch of typing that arrives while the previous commit is on the disk. */
const BURST = 20;
/** The longest tail a crash can leave: the burst before the one that would start a background compaction. */
const WORST_TAIL = DEFAULT_COMPACT_AFTER_ROWS - BURST;

/**
 * Polyphony's stored form of a document whose edits it received, as a crash at the worst moment leaves it.
 * Every update goes through the server's own document code (apply, write path, background compaction) in
 * typing-sized bursts. All but the last WORST_TAIL are received by one server, which then shuts down (a
 * restart mid-history; it compacts); a second one receives the rest and is abandoned without unload or
 * shutdown, as `kill -9` would leave it, just before its next background compaction. What is in the store
 * then is what a restart loads: one snapshot and WORST_TAIL rows. Returns the number of rows.
 */
export async function storeAsPolyphonyReceives(storage: BenchStorage, docName: string, updates: readonly Uint8Array[]): Promise<number> {
  const split = Math.max(0, updates.length - WORST_TAIL);
  await receive(storage, docName, updates.slice(0, split), 'shut down');
  await receive(storage, docName, updates.slice(split), 'crash');
  const opened = await openPolyphonyDocStore(storage, { thread: false });
  try {
    return await opened.store.count(docName);
  } finally {
    await opened.close();
  }
}

async function receive(storage: BenchStorage, docName: string, updates: readonly Uint8Array[], end: 'shut down' | 'crash'): Promise<void> {
  const opened = await openPolyphonyDocStore(storage, { thread: true });
  const registry = createDocumentRegistry({ docStore: opened.store, logger: createLogger({}, () => {}), unloadGraceMs: 3_600_000, limits: resolveSyncLimits() });
  const peer: SyncPeer = { id: 'bench-writer', subject: 'bench', writer: { id: 'bench', role: undefined }, send: () => {}, sendMany: () => {}, close: () => {} };
  const document = await registry.acquire(docName, peer).ready;
  try {
    for (let start = 0; start < updates.length; start += BURST) {
      for (const update of updates.slice(start, start + BURST)) {
        if (document.applyClientUpdate(update, peer, checkUpdateBounds(update)) !== 'applied') throw new Error('Polyphony refused an update of the bench history');
      }
      await document.flushed();
    }
    if (end === 'shut down') await registry.close();
  } finally {
    // On a crash nothing is unloaded; only the store's thread is let go, after what it already had.
    await opened.close();
    document.destroy();
  }
}
