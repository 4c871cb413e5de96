import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE } from '../../server/store/database.ts';
import * as Y from 'yjs';
import { ListNotesVersionsResponse, NotesVersionResponse } from '../../shared/api/notesHistory.ts';
import { countWords } from '../../shared/doc/notesContent.ts';
import { getNotes } from '../../shared/doc/schema.ts';
import { restoreNotes } from '../../client/meeting/history/restoreNotes.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();
/** What a change takes to reach another client over real sockets, with room for a loaded machine (vi.waitFor waits 1 s by default). */
const SYNCED = { timeout: 15_000, interval: 50 };

async function start(dataDir?: string): Promise<ServerProcess> {
  const server = await startServerProcess({ env: { LIVEKIT: 'off' }, ...(dataDir ? { dataDir } : {}) });
  cleanup(() => server.stop());
  return server;
}

const PARAGRAPHS = [
  'Sam said the nights are the hardest, and that walking to the river helps.',
  'Mum would like the team to call before visiting, not just arrive at the door.',
  'Jo wants to go back to school two days a week, starting after the holidays.',
  'Next meeting at home on Thursday; the social worker will come too if she can.',
];

async function versions(session: HttpSession, meetingId: string, before?: number, limit = 20): Promise<ListNotesVersionsResponse> {
  return ListNotesVersionsResponse.parse(await session.json('GET', `/api/meetings/${meetingId}/notes/versions?limit=${limit}${before ? `&before=${before}` : ''}`));
}

describe('the history of the notes, over a real server and stock y-websocket clients', () => {
  it('keeps who removed what, restores as a new version, refuses other meetings and sealed ones, and survives kill -9', async () => {
    const first = await start();
    cleanup(() => first.dispose());
    await addUser(first.dataDir, 'pat@team.org', { name: 'Pat' });
    const seeded = await seedNetwork(first.dataDir, { team: ['pat@team.org'], memberName: 'Sam' });
    const team = new HttpSession(first.url);
    await team.login('pat@team.org', PASSWORD);
    const member = HttpSession.forInvite(first.url, seeded.inviteUrl);
    const { client: pat } = await joinAndConnect(team, seeded.meetingId, 'Pat');
    const { client: sam } = await joinAndConnect(member, seeded.meetingId, 'Sam');
    cleanup(() => pat.destroy(), () => sam.destroy());

    for (const text of PARAGRAPHS) pat.addParagraph(text);
    await vi.waitFor(async () => expect((await versions(member, seeded.meetingId)).versions[0]).toMatchObject({ kind: 'edit', authors: [{ name: 'Pat' }] }), { timeout: 15_000, interval: 200 });

    // Sam (through the invite) empties the notes in one edit: the server names Sam, from the ticket.
    await vi.waitFor(() => expect(sam.text()).toContain(PARAGRAPHS[3]), SYNCED);
    sam.doc.transact(() => getNotes(sam.doc).delete(0, getNotes(sam.doc).length));
    const [deletion, before] = (await vi.waitFor(async () => {
      const page = await versions(team, seeded.meetingId);
      expect(page.versions[0]?.kind).toBe('large_deletion');
      return page.versions;
    }, SYNCED)) as [ListNotesVersionsResponse['versions'][number], ListNotesVersionsResponse['versions'][number]];
    expect(deletion).toMatchObject({ authors: [{ name: 'Sam' }], words: 0, relatedId: before.id, removedWords: countWords(PARAGRAPHS.join('\n')) });
    // The notes as they were: a version of their own, or the quiet-pause version already holding exactly them.
    expect(['before_deletion', 'edit']).toContain(before.kind);

    // Pat brings it back: the restore is Pat's edit, and the server keeps it as a new version. It is made
    // against what Pat sees, as in the app: once Pat has the deletion (before that, it would change nothing).
    await vi.waitFor(() => expect(pat.text()).toBe(''), SYNCED);
    const restore = NotesVersionResponse.parse(await team.json('POST', `/api/meetings/${seeded.meetingId}/notes/versions/${before.id}/restore`, {}));
    restoreNotes(pat.doc, restore.notes);
    await vi.waitFor(() => expect(sam.text()).toBe(PARAGRAPHS.join('\n')), SYNCED);
    const restored = await vi.waitFor(
      async () => {
        const newest = (await versions(member, seeded.meetingId)).versions[0];
        expect(newest).toMatchObject({ kind: 'restore', relatedId: before.id, authors: [{ name: 'Pat' }] });
        return newest;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(restored?.words).toBe(countWords(PARAGRAPHS.join('\n')));

    // A version of this meeting, named with another meeting: refused, saying why.
    const other = idOf(await cli(first.dataDir, ['meeting', 'create', '--network', seeded.networkId, '--at', new Date().toISOString()]));
    const wrong = await team.request('POST', `/api/meetings/${other}/notes/versions/${before.id}/restore`, {});
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/another meeting/);

    // kill -9: every version listed before the kill is there after the restart, unchanged.
    const listed = (await versions(team, seeded.meetingId)).versions;
    pat.destroy();
    sam.destroy();
    await first.stop('SIGKILL');
    const second = await start(first.dataDir);
    const again = new HttpSession(second.url);
    await again.login('pat@team.org', PASSWORD);
    expect((await versions(again, seeded.meetingId)).versions.slice(0, listed.length)).toEqual(listed);

    // Sealing keeps the notes as a last version; restoring into a sealed meeting is refused, saying why.
    await again.json('POST', `/api/meetings/${seeded.meetingId}/end`, {});
    const sealed = (await versions(again, seeded.meetingId)).versions[0];
    expect(sealed).toMatchObject({ kind: 'sealed', authors: [{ name: 'Pat' }], words: countWords(PARAGRAPHS.join('\n')) });
    const refused = await again.request('POST', `/api/meetings/${seeded.meetingId}/notes/versions/${before.id}/restore`, {});
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/ended.*sealed/);
    // Still readable: the history of a sealed meeting is part of its record.
    expect(NotesVersionResponse.parse(await again.json('GET', `/api/meetings/${seeded.meetingId}/notes/versions/${before.id}`)).notes.content).toHaveLength(4);

    // Erasing the network erases its notes' history too.
    await cli(first.dataDir, ['network', 'delete', '--network', seeded.networkId, '--confirm']);
    const db = new DatabaseSync(join(first.dataDir, DATABASE_FILE), { readOnly: true });
    cleanup(() => db.close());
    expect(db.prepare('SELECT COUNT(*) AS n FROM notes_versions').get()?.['n']).toBe(0);
  }, 180_000);
});

describe('a long history', () => {
  it('lists 10,000 versions a page at a time, newest first, each once', async () => {
    const server = await start();
    cleanup(() => server.dispose());
    await addUser(server.dataDir, 'pat@team.org', { name: 'Pat' });
    const seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'] });
    await fillHistory(server.dataDir, seeded.meetingId, 10_000);
    const team = new HttpSession(server.url);
    await team.login('pat@team.org', PASSWORD);
    const seen: number[] = [];
    let page = await versions(team, seeded.meetingId, undefined, 100);
    expect(page.total).toBe(10_000);
    for (;;) {
      expect(page.versions.length).toBeLessThanOrEqual(100);
      seen.push(...page.versions.map((v) => v.seq));
      if (page.nextBefore === null) break;
      page = await versions(team, seeded.meetingId, page.nextBefore, 100);
    }
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => 10_000 - i));
    const big = await team.request('GET', `/api/meetings/${seeded.meetingId}/notes/versions?limit=100000`);
    expect(big.status).toBe(400);
  }, 180_000);
});

/** Writes `count` versions straight into the server's database, in one transaction (as a long meeting would). */
async function fillHistory(dataDir: string, meetingId: string, count: number): Promise<void> {
  const { openDatabase } = await import('../../server/store/database.ts');
  const { createSqliteNotesVersionStore } = await import('../../server/store/notesVersionStore.ts');
  const { encodeNotes } = await import('../../server/record/notesVersionCodec.ts');
  const { transaction } = await import('../../server/store/transaction.ts');
  const db = openDatabase(dataDir);
  try {
    const store = createSqliteNotesVersionStore(db);
    const doc = new Y.Doc();
    transaction(db, () => {
      for (let i = 0; i < count; i++) {
        const notes = encodeNotes({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `line ${i}` }] }] });
        void store.add({ id: `v${String(i).padStart(21, '0')}`, meetingId, kind: 'edit', createdAt: new Date().toISOString(), authors: [], ...notes, relatedId: undefined, removedWords: undefined });
      }
    });
    doc.destroy();
  } finally {
    db.close();
  }
}
