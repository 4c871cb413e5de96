import { describe, expect, it } from 'vitest';
import { meetingDocName, networkDocName } from '../../../shared/media/rooms.ts';
import { DocumentErasedError } from '../../../server/store/docStore.ts';
import { ENGINES } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';
import { rowsContaining, seedNetwork, seedTeamMember, textUpdate } from './networkTraces.ts';

// Distinctive enough never to appear in a row by chance, nor in each other.
const GONE = 'gonexq';
const KEPT = 'keptzy';

describe.each(ENGINES)('erasing a network on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('leaves no row in any table that names the network, its meetings, members or words', async () => {
    const database = await fresh();
    await seedTeamMember(database);
    await seedNetwork(database, GONE);
    await seedNetwork(database, KEPT);
    const before = await rowsContaining(engine, database, GONE);
    // The seed reaches every table a network has rows in (so the scan below can fail for each of them).
    expect(Object.keys(before).sort()).toEqual(
      expect.arrayContaining(['attendance', 'audit_log', 'doc_clients', 'doc_updates', 'invites', 'meeting_addenda', 'meeting_schedule', 'meeting_team', 'meetings', 'network_closures', 'network_members', 'network_team', 'networks', 'notes_versions', 'sealed_records']),
    );
    const kept = await rowsContaining(engine, database, KEPT);

    const counts = await database.stores.eraser.erase(`nw-${GONE}`);

    expect(counts).toMatchObject({ meetings: 2, members: 1, invites: 1, documents: 3, auditEntries: 1, logCleared: true });
    expect(counts?.documentRows).toBeGreaterThanOrEqual(2);
    // Only the marker that refuses later writes of its documents keeps their names (ids, never words).
    const { erased_documents: markers, ...left } = await rowsContaining(engine, database, GONE);
    expect(left).toEqual({});
    expect(markers).toBe(3);
    expect(await rowsContaining(engine, database, KEPT)).toEqual(kept);
  });

  it('refuses every later write of its documents, also from another connection and for one never written', async () => {
    const database = await fresh();
    await seedTeamMember(database);
    const gone = await seedNetwork(database, GONE);
    const [live, sealed] = gone.meetingIds;
    const other = await database.another();
    const epoch = await other.docs.claim(meetingDocName(live));

    await database.stores.eraser.erase(gone.networkId);

    expect((await database.stores.docs.load(meetingDocName(live))).updates).toEqual([]);
    expect((await other.docs.load(networkDocName(gone.networkId))).updates).toEqual([]);
    await expect(other.docs.append(meetingDocName(live), textUpdate('after'), epoch)).rejects.toBeInstanceOf(DocumentErasedError);
    await expect(database.stores.docs.appendMany(networkDocName(gone.networkId), [textUpdate('after')])).rejects.toBeInstanceOf(DocumentErasedError);
    // The ended meeting's document was never written: its marker is there all the same.
    await expect(database.stores.docs.append(meetingDocName(sealed), textUpdate('after'))).rejects.toBeInstanceOf(DocumentErasedError);
    expect(await database.stores.docs.count(meetingDocName(live))).toBe(0);
  });

  it('lets no append that races the erasure, from another connection, leave a row behind', async () => {
    const database = await fresh();
    await seedTeamMember(database);
    const gone = await seedNetwork(database, GONE);
    const other = await database.another();
    const docNames = [...gone.meetingIds.map(meetingDocName), networkDocName(gone.networkId)];
    const appends = Array.from({ length: 30 }, (_, i) => other.docs.append(docNames[i % docNames.length] ?? '', textUpdate(`racing ${i}`)));
    const erasure = database.stores.eraser.erase(gone.networkId);
    const outcomes = await Promise.allSettled([...appends, erasure]);

    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(DocumentErasedError);
    for (const docName of docNames) expect(await database.stores.docs.count(docName)).toBe(0);
    const { erased_documents: markers, ...left } = await rowsContaining(engine, database, GONE);
    expect([left, markers]).toEqual([{}, 3]);
  });

  it('answers undefined for a network that is not there, and changes nothing', async () => {
    const database = await fresh();
    await seedTeamMember(database);
    await seedNetwork(database, KEPT);
    const kept = await rowsContaining(engine, database, KEPT);
    expect(await database.stores.eraser.erase('nope')).toBeUndefined();
    expect(await rowsContaining(engine, database, KEPT)).toEqual(kept);
  });
});
