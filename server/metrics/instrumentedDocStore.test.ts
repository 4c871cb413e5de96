import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.ts';
import { createSqliteDocStore, type DocStore } from '../store/docStore.ts';
import { createDocStoreCounters, instrumentDocStore } from './instrumentedDocStore.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function sqliteStore(): DocStore {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-metrics-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(dir);
  cleanups.push(() => db.close());
  return createSqliteDocStore(db);
}

describe('the instrumented document store', () => {
  it('counts committed updates and their bytes, and times each write and load, while storing exactly the same', async () => {
    const store = sqliteStore();
    const counters = createDocStoreCounters();
    const instrumented = instrumentDocStore(store, counters);

    await instrumented.append('meeting-a', new Uint8Array([1, 2, 3]));
    await instrumented.appendMany('meeting-a', [new Uint8Array([4]), new Uint8Array([5, 6])]);
    const loaded = await instrumented.load('meeting-a');

    expect(loaded.updates.map((update) => [...update])).toEqual([[1, 2, 3], [4], [5, 6]]);
    expect(await store.count('meeting-a')).toBe(3);
    expect(counters.updates).toBe(3);
    expect(counters.updateBytes).toBe(6);
    expect(counters.writeSeconds.snapshot().counts.reduce((sum, count) => sum + count, 0)).toBe(2);
    expect(counters.loadSeconds.snapshot().counts.reduce((sum, count) => sum + count, 0)).toBe(1);
  });

  it('counts a failed write as a failure, not as updates, and passes the error on', async () => {
    const failing: DocStore = { ...sqliteStore(), append: async () => Promise.reject(new Error('disk full')) };
    const counters = createDocStoreCounters();
    await expect(instrumentDocStore(failing, counters).append('meeting-b', new Uint8Array([1]))).rejects.toThrow('disk full');
    expect(counters.writeFailures).toBe(1);
    expect(counters.updates).toBe(0);
  });
});
