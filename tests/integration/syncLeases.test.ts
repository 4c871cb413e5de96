import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { createLeasedOwnership, type LeaseTiming } from '../../server/cluster/leasedOwnership.ts';
import { createLogger } from '../../server/log.ts';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { connectProvider, loadStoredDoc, runCleanups, startSyncTestServer, type Cleanups, type ProviderClient, type SyncTestServer } from './helpers/syncClient.ts';
import { POSTGRES, type PostgresDatabase } from './storeContract/engines.ts';

/**
 * Two sync servers on one PostgreSQL, each holding documents with a lease (server/cluster), as two instances
 * behind a load balancer. Unlike without leases (syncFencing.test.ts), the second does not take a document
 * the first serves: it refuses the socket with 4503, and the first hands the document over only once it has
 * held it for the minimum time, after storing everything, so the document moves once and nothing is lost.
 */
const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const DOC = 'meeting-leased';

interface Close {
  code: number;
  reason: string;
}

/** Records the client's closes; from the first on, it reconnects to `next` (what a load balancer would do). */
function closesOf(client: ProviderClient, next?: SyncTestServer): Close[] {
  const closes: Close[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => {
    if (!event) return;
    closes.push({ code: event.code, reason: event.reason });
    if (next) client.provider.serverUrl = next.baseUrl;
  });
  return closes;
}

async function twoInstances(timing: LeaseTiming) {
  const database: PostgresDatabase = await POSTGRES.open();
  cleanups.push(() => database.close());
  const signer = createTicketSigner(randomBytes(32));
  const instance = async (holder: string) => {
    const stores = await database.another();
    const ownership = createLeasedOwnership({ leases: await database.leases(holder), logger: createLogger({}, () => {}), timing });
    return startSyncTestServer(cleanups, { store: stores.docs, signer, ownership });
  };
  return { a: await instance('instance-a'), b: await instance('instance-b'), store: database.stores.docs, database };
}

async function storedText(server: SyncTestServer): Promise<string> {
  const doc = await loadStoredDoc(server.store, DOC);
  const text = doc.getText('t').toJSON();
  doc.destroy();
  return text;
}

describe('two sync servers holding documents with leases on one postgres database', () => {
  it('refuses a document another live instance serves, again and again, without taking it', async () => {
    // The owner would hand over only after a minute: within this test, nobody takes the document from it.
    const { a, b } = await twoInstances({ ttlMs: 2_000, renewEveryMs: 100, minHoldMs: 60_000 });
    const onA = connectProvider(cleanups, a, DOC);
    await onA.synced;
    onA.text.insert(0, 'one ');
    await vi.waitFor(async () => expect(await storedText(a)).toBe('one '));

    const onB = connectProvider(cleanups, b, DOC);
    const refusals = closesOf(onB);
    // The stock provider reconnects after 4503; each attempt is refused, well past the lease's 2 s.
    await vi.waitFor(() => expect(refusals.length).toBeGreaterThanOrEqual(4), { timeout: 30_000 });
    expect(new Set(refusals.map((close) => `${close.code} ${close.reason}`))).toEqual(new Set([`${SYNC_CLOSE.unavailable} ${SYNC_CLOSE_REASON.documentHeldElsewhere}`]));
    expect(onB.provider.synced).toBe(false);
    expect(b.sync.stats().documents).toBe(0);

    // The owner never noticed: its client writes on, and the store has it all.
    onA.text.insert(4, 'two');
    await vi.waitFor(async () => expect(await storedText(a)).toBe('one two'));
    expect(onA.provider.wsconnected).toBe(true);
  });

  it('hands a document over when another instance is sent its clients: stored first, then moved once, nothing lost', async () => {
    const { a, b } = await twoInstances({ ttlMs: 2_000, renewEveryMs: 100, minHoldMs: 300 });
    const writerOnA = connectProvider(cleanups, a, DOC);
    const readerOnA = connectProvider(cleanups, a, DOC);
    await Promise.all([writerOnA.synced, readerOnA.synced]);
    writerOnA.text.insert(0, 'one ');
    await vi.waitFor(() => expect(readerOnA.text.toJSON()).toBe('one '));

    // The load balancer's view changed: new sockets go to B, and A's clients follow once A lets them go.
    const writerCloses = closesOf(writerOnA, b);
    const readerCloses = closesOf(readerOnA, b);
    const onB = connectProvider(cleanups, b, DOC);
    await vi.waitFor(() => expect(onB.provider.synced).toBe(true), { timeout: 30_000 });
    const moved = { code: SYNC_CLOSE.internal, reason: SYNC_CLOSE_REASON.documentMoved };
    expect(writerCloses[0]).toEqual(moved);
    expect(readerCloses[0]).toEqual(moved);
    expect(onB.text.toJSON()).toBe('one ');

    // Everyone is on B now, co-editing; A holds nothing.
    writerOnA.text.insert(4, 'two ');
    onB.text.insert(0, 'zero ');
    for (const client of [writerOnA, readerOnA, onB]) await vi.waitFor(() => expect(client.text.toJSON()).toBe('zero one two '), { timeout: 30_000 });
    await vi.waitFor(async () => expect(await storedText(b)).toBe('zero one two '));
    expect(a.sync.stats()).toEqual({ connections: 0, documents: 0 });
    expect(b.sync.stats()).toEqual({ connections: 3, documents: 1 });
  });

  it('serves a socket that came while a dead owner\'s lease still ran as soon as the lease runs out, without refusing it', async () => {
    const { b, database } = await twoInstances({ ttlMs: 2_000, renewEveryMs: 100, minHoldMs: 300 });
    // An instance that claimed the document and was killed at once: its lease runs for 2 s, never renewed.
    await (await database.leases('instance-killed')).claim(DOC, 2_000);
    const claimedAt = performance.now();

    const onB = connectProvider(cleanups, b, DOC);
    const closes = closesOf(onB);
    await vi.waitFor(() => expect(onB.provider.synced).toBe(true), { timeout: 30_000 });
    // Held open until the lease ran out, then served: no 4503, so no reconnection backoff on top of the lease.
    expect(closes).toEqual([]);
    expect(performance.now() - claimedAt).toBeGreaterThanOrEqual(1_900);
    onB.text.insert(0, 'typed on the survivor');
    await vi.waitFor(async () => expect(await storedText(b)).toBe('typed on the survivor'));
  });
});
