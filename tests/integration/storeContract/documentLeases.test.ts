import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocumentHeldElsewhereError } from '../../../server/cluster/documentLeases.ts';
import { createLocalOwnership } from '../../../server/cluster/documentOwnership.ts';
import { DocumentFencedError } from '../../../server/store/docStore.ts';
import { ENGINES, POSTGRES } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

const DOC = 'meeting-lease';
/** Long enough that no test's own steps outlast it by accident on a loaded machine. */
const LONG_MS = 60_000;

function anUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('document leases on postgres (several instances on one database)', () => {
  const fresh = useFreshDatabase(POSTGRES);

  it('refuses a claim while another instance holds a live lease, and asks the owner to hand the document over', async () => {
    const database = await fresh();
    const a = await database.leases('instance-a');
    const b = await database.leases('instance-b');
    const epoch = await a.claim(DOC, LONG_MS);

    const refused = await b.claim(DOC, LONG_MS).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DocumentHeldElsewhereError);
    expect((refused as DocumentHeldElsewhereError).leaseLeftMs).toBeGreaterThan(0);
    expect((refused as DocumentHeldElsewhereError).leaseLeftMs).toBeLessThanOrEqual(LONG_MS);
    // Nothing was taken: the owner's writes go on, and its renewal tells it that someone asked.
    expect(await database.stores.docs.append(DOC, anUpdate('kept'), epoch)).toBe(1);
    expect(await a.renew([{ docName: DOC, epoch }], LONG_MS)).toEqual([{ docName: DOC, epoch, state: 'wanted' }]);
  });

  it('lets another instance claim once the lease ran out: the old owner is fenced and its renewal finds the document lost', async () => {
    const database = await fresh();
    const a = await database.leases('instance-a');
    const b = await database.leases('instance-b');
    const epochOfA = await a.claim(DOC, 200);
    expect(await database.stores.docs.append(DOC, anUpdate('one'), epochOfA)).toBe(1);

    // As after a kill -9: nobody renews, and the database's clock runs the lease out.
    const epochOfB = await vi.waitFor(() => b.claim(DOC, LONG_MS), { timeout: 10_000, interval: 50 });
    expect(epochOfB).toBeGreaterThan(epochOfA);
    await expect(database.stores.docs.append(DOC, anUpdate('late'), epochOfA)).rejects.toBeInstanceOf(DocumentFencedError);
    expect(await database.stores.docs.append(DOC, anUpdate('two'), epochOfB)).toBe(2);
    expect(await a.renew([{ docName: DOC, epoch: epochOfA }], LONG_MS)).toEqual([{ docName: DOC, epoch: epochOfA, state: 'lost' }]);
  });

  it('keeps a renewed lease past its first term, and frees a released one at once', async () => {
    const database = await fresh();
    const a = await database.leases('instance-a');
    const b = await database.leases('instance-b');
    const epoch = await a.claim(DOC, 1_000);
    // Renewed every 100 ms for well over its first second: B is refused each time it tries.
    const until = Date.now() + 2_000;
    while (Date.now() < until) {
      const [renewed] = await a.renew([{ docName: DOC, epoch }], 1_000);
      expect(renewed?.state === 'held' || renewed?.state === 'wanted').toBe(true);
      await expect(b.claim(DOC, LONG_MS)).rejects.toBeInstanceOf(DocumentHeldElsewhereError);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await a.release(DOC, epoch);
    const epochOfB = await b.claim(DOC, LONG_MS);
    expect(epochOfB).toBe(epoch + 1);
    // A release under an old epoch (a fenced owner unloading late) leaves the new owner's lease alone.
    await a.release(DOC, epoch);
    await expect(a.claim(DOC, LONG_MS)).rejects.toBeInstanceOf(DocumentHeldElsewhereError);
  });

  it('lets an instance claim again what it holds itself (a reload after its own unload), with a new epoch', async () => {
    const database = await fresh();
    const a = await database.leases('instance-a');
    const first = await a.claim(DOC, LONG_MS);
    const second = await a.claim(DOC, LONG_MS);
    expect(second).toBe(first + 1);
    expect(await a.renew([{ docName: DOC, epoch: first }, { docName: 'meeting-other', epoch: 1 }], LONG_MS)).toEqual([
      { docName: DOC, epoch: first, state: 'lost' },
      // Never claimed, so no row: as a document of an erased network (its heads deleted) is found.
      { docName: 'meeting-other', epoch: 1, state: 'gone' },
    ]);
  });
});

describe.each(ENGINES)('one process holding every document, on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('claims without a lease: every claim succeeds and fences the writes of the one before', async () => {
    const database = await fresh();
    const ownership = createLocalOwnership(database.stores.docs);
    const first = await ownership.claim(DOC);
    const second = await ownership.claim(DOC);
    expect(second).toBeGreaterThan(first);
    await expect(database.stores.docs.append(DOC, anUpdate('old'), first)).rejects.toBeInstanceOf(DocumentFencedError);
    expect(await database.stores.docs.append(DOC, anUpdate('new'), second)).toBe(1);
    // Nothing to renew or release: the hold never reports anything and the release changes nothing.
    const stop = ownership.hold({ docName: DOC, epoch: second }, { wanted: () => expect.fail('wanted'), lost: () => expect.fail('lost') });
    await ownership.release(DOC, second);
    stop();
    expect(await database.stores.docs.append(DOC, anUpdate('still'), second)).toBe(2);
  });
});
