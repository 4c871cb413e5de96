import { describe, expect, it } from 'vitest';
import type { NewNotesVersion } from '../../../server/store/notesVersionStore.ts';
import { ENGINES, type EngineDatabase } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';

/** A network with a live meeting `mt1`, written as SQL both engines take (the meeting store is not contracted yet). */
async function liveMeeting(database: EngineDatabase): Promise<void> {
  await database.exec("INSERT INTO networks (id, person_name, referred_at, created_at) VALUES ('n1', 'Jo', $1, $1)", [T0]);
  await database.exec("INSERT INTO meetings (id, network_id, title, created_at, status) VALUES ('mt1', 'n1', 'Meeting', $1, 'live')", [T0]);
}

function version(id: string, overrides: Partial<NewNotesVersion> = {}): NewNotesVersion {
  return {
    id,
    meetingId: 'mt1',
    kind: 'edit',
    createdAt: T0,
    authors: ['user:ana', 'invite:sam'],
    words: 3,
    chars: 17,
    contentHash: `hash-${id}`,
    content: new Uint8Array([1, 2, 3, 0, 255]),
    relatedId: undefined,
    removedWords: undefined,
    ...overrides,
  };
}

describe.each(ENGINES)('notes versions on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('numbers each version one above the newest and reads it back as it was added', async () => {
    const database = await fresh();
    const { notesVersions } = database.stores;
    await liveMeeting(database);
    const { content, ...first } = version('v1');
    expect(await notesVersions.add(version('v1'))).toEqual({ ...first, seq: 1 });
    await notesVersions.add(version('v2', { kind: 'before_deletion', contentHash: 'same' }));
    await notesVersions.add(version('v3', { kind: 'large_deletion', words: 0, chars: 0, relatedId: 'v2', removedWords: 3, authors: [] }));
    await notesVersions.add(version('v4', { kind: 'restore', contentHash: 'same', relatedId: 'v2' }));

    expect(await notesVersions.count('mt1')).toBe(4);
    expect((await notesVersions.page('mt1', Number.MAX_SAFE_INTEGER, 2)).map((v) => [v.id, v.seq])).toEqual([
      ['v4', 4],
      ['v3', 3],
    ]);
    expect((await notesVersions.page('mt1', 3, 10)).map((v) => v.id)).toEqual(['v2', 'v1']);
    expect(await notesVersions.byId('v3')).toMatchObject({ kind: 'large_deletion', relatedId: 'v2', removedWords: 3, authors: [], words: 0 });
    expect(await notesVersions.content('v1')).toEqual(content);
    expect(await notesVersions.content('nope')).toBeUndefined();
    expect((await notesVersions.newestWithHash('mt1', 'same'))?.id).toBe('v4');
    expect(await notesVersions.newestWithHash('mt1', 'other')).toBeUndefined();
    expect((await notesVersions.newest('mt1'))?.seq).toBe(4);
    expect(await notesVersions.newest('mt2')).toBeUndefined();
    const found = await notesVersions.lastWritten('mt1');
    expect([found?.written.id, found?.next?.id]).toEqual(['v4', undefined]);
  });

  it('finds the notes as last written before they were emptied, with the version that emptied them', async () => {
    const database = await fresh();
    const { notesVersions } = database.stores;
    await liveMeeting(database);
    await notesVersions.add(version('v1'));
    await notesVersions.add(version('v2', { words: 0, chars: 0 }));
    await notesVersions.add(version('v3', { words: 0, chars: 0 }));
    const found = await notesVersions.lastWritten('mt1');
    expect([found?.written.id, found?.next?.id]).toEqual(['v1', 'v2']);
    expect(await notesVersions.lastWritten('nope')).toBeUndefined();
  });

  it('keeps nothing for an ended meeting but its sealing version, nor for a meeting that is not there', async () => {
    const database = await fresh();
    const { notesVersions } = database.stores;
    await liveMeeting(database);
    await notesVersions.add(version('v1'));
    await database.exec("UPDATE meetings SET status = 'ended', ended_at = $1 WHERE id = 'mt1'", [T0]);
    expect(await notesVersions.add(version('v2'))).toBeUndefined();
    expect(await notesVersions.add(version('v3', { kind: 'sealed' }))).toMatchObject({ id: 'v3', seq: 2, kind: 'sealed' });
    expect(await notesVersions.add(version('v4', { meetingId: 'nope' }))).toBeUndefined();
    expect(await notesVersions.count('mt1')).toBe(2);
  });

  it('gives versions added at once by two writers consecutive numbers, none twice', async () => {
    const database = await fresh();
    await liveMeeting(database);
    const other = await database.another();
    const adds = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? database.stores : other).notesVersions.add(version(`v${i}`)));
    const added = await Promise.all(adds);
    expect(added.map((v) => v?.seq).sort((a = 0, b = 0) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
