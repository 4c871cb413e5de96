import type { ServerKind } from '../../servers/childProcess.ts';
import { openPostgresSnapshotStore } from '../../servers/postgresSnapshotStore.ts';
import { openSnapshotStore } from '../../servers/snapshotStore.ts';
import { openUpdateLogStore } from '../../servers/updateLogStore.ts';
import type { BenchServer, BenchStorage } from '../benchServer.ts';
import type { EditHistory } from '../history.ts';
import { copyStoredDocument, openPolyphonyDocStore } from '../polyphonyStorage.ts';
import { storeAsPolyphonyReceives } from '../receivedForm.ts';
import { connectRealClient } from '../realClient.ts';
import { withTimeout } from '../waiting.ts';
import { freshDocName, type ScenarioContext } from './context.ts';

/**
 * How the document sits in the store when the server loads it. 'received': as the server itself stored it
 * after receiving every update and then being killed (Polyphony: through its own document code, see
 * receivedForm.ts; @y/websocket-server's hook: one row per update, since it compacts only when the last
 * client leaves; Hocuspocus: its snapshot). 'log': one row per update, written directly. 'snapshot': one row.
 */
export type StoredForm = 'received' | 'log' | 'snapshot';

export interface ColdLoadResult {
  form: StoredForm;
  /** Rows the server reads. */
  storedRows: number;
  trialsMs: number[];
  medianMs: number;
}

/**
 * Cold load: each trial opens a document that is in the store but has never been loaded by the running
 * server (identical copies under different names); time from opening the connection to the client's first
 * completed sync, with the full text checked. A few copies are loaded first, unmeasured, so that what is
 * timed is loading a document, not the first runs of not-yet-optimised code in a just-started process.
 * Hocuspocus only ever stores snapshots, so all three of its forms are its snapshot.
 */
export async function runColdLoad(context: ScenarioContext, kind: ServerKind, history: EditHistory, form: StoredForm): Promise<ColdLoadResult> {
  const { trials, warmupLoads } = context.options.coldLoad;
  const storage = await context.storage(kind);
  const warmNames = Array.from({ length: warmupLoads }, () => freshDocName(`warm-${form}`));
  const coldNames = Array.from({ length: trials }, () => freshDocName(`cold-${form}`));
  const [first, ...others] = [...warmNames, ...coldNames];
  if (first === undefined) throw new Error('cold load needs at least one trial');
  const storedRows = await seed(kind, storage, first, history, form);
  for (const docName of others) {
    // Polyphony's received form is costly to make, and every copy must be the same bytes anyway.
    if (kind === 'polyphony' || kind === 'polyphony-postgres') await copyStoredDocument(storage, first, docName);
    else await seed(kind, storage, docName, history, form);
  }

  const server = await context.startServer(kind, storage);
  const trialsMs: number[] = [];
  try {
    for (const docName of warmNames) await loadOnce(server, docName, history);
    for (const docName of coldNames) trialsMs.push(await loadOnce(server, docName, history));
  } finally {
    await server.stop();
  }
  const medianMs = median(trialsMs);
  context.log(`  cold load ${kind} (${form}, ${storedRows} rows): median ${medianMs.toFixed(1)} ms over ${trialsMs.length}`);
  return { form, storedRows, trialsMs, medianMs };
}

/** Connects one real client to a document the server has not loaded yet; returns ms until it synced. */
async function loadOnce(server: BenchServer, docName: string, history: EditHistory): Promise<number> {
  const started = performance.now();
  const client = connectRealClient(server, docName);
  try {
    await withTimeout(client.synced, 60_000, `${server.kind}: cold load`);
    const elapsed = performance.now() - started;
    if (client.text.toJSON() !== history.finalText) {
      throw new Error(`${server.kind}: cold load gave different text (${client.text.length} vs ${history.finalText.length} characters)`);
    }
    return elapsed;
  } finally {
    client.destroy();
  }
}

/** Writes the document the way `kind` itself stores it; returns the number of rows written. */
async function seed(kind: ServerKind, storage: BenchStorage, docName: string, history: EditHistory, form: StoredForm): Promise<number> {
  const rows = form === 'snapshot' ? [history.snapshot] : history.updates;
  switch (kind) {
    case 'polyphony':
    case 'polyphony-postgres': {
      if (form === 'received') return storeAsPolyphonyReceives(storage, docName, history.updates);
      // Polyphony's own store: one transaction, one row per update.
      const opened = await openPolyphonyDocStore(storage, { thread: false });
      try {
        await opened.store.appendMany(docName, rows);
      } finally {
        await opened.close();
      }
      return rows.length;
    }
    case 'y-websocket-server': {
      const store = openUpdateLogStore(storage.dataDir);
      try {
        store.appendMany(docName, rows);
      } finally {
        store.close();
      }
      return rows.length;
    }
    case 'hocuspocus': {
      const store = openSnapshotStore(storage.dataDir);
      try {
        store.upsert(docName, history.snapshot);
      } finally {
        store.close();
      }
      return 1;
    }
    case 'hocuspocus-postgres': {
      if (storage.databaseUrl === undefined) throw new Error('hocuspocus-postgres without a database');
      const store = await openPostgresSnapshotStore(storage.databaseUrl);
      try {
        await store.upsert(docName, history.snapshot);
      } finally {
        await store.close();
      }
      return 1;
    }
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
