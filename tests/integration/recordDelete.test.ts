import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { addPerson } from '../../shared/doc/networkMap.ts';
import { addQuestion } from '../../shared/doc/questions.ts';
import { DATABASE_FILE } from '../../server/store/database.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { connectDocClient } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

/** Everything personal about the network to delete: none of it may remain anywhere in the data directory. */
const SECRETS = {
  person: 'Zephyrine Quillfeather',
  member: 'Ottoline Brackenridge',
  interpreter: 'Bartholomew Inkwright',
  notes: 'Thaddeus takes the night bus to his aunt',
  mapPerson: 'Wilhelmina Fairweather',
  question: 'Should Zephyrine move back home',
  addendum: 'Peregrine called the ward on Friday',
};
/** A network that stays: its name must still be found, which shows the search can see names at all. */
const KEPT = 'Keepme Persistent';

let server: ServerProcess;
let doomed: SeededNetwork;
let kept: SeededNetwork;
let admin: HttpSession;

beforeAll(async () => {
  server = await startServerProcess({ env: { LIVEKIT: 'off' } });
  await addUser(server.dataDir, 'admin@team.org', { admin: true, name: 'Ada' });
  doomed = await seedNetwork(server.dataDir, { team: ['admin@team.org'], personName: SECRETS.person, memberName: SECRETS.member });
  kept = await seedNetwork(server.dataDir, { team: ['admin@team.org'], personName: KEPT, memberName: 'Kept Member' });
  const interpreter = idOf(await cli(server.dataDir, ['member', 'add', '--network', doomed.networkId, '--name', SECRETS.interpreter, '--relationship', 'interpreter', '--interpreter']));
  await cli(server.dataDir, ['invite', 'create', '--member', interpreter]);
  admin = new HttpSession(server.url);
  await admin.login('admin@team.org', PASSWORD);

  // Content in both documents, written as the meeting room writes it, plus a sealed record with an addendum.
  const joined = JoinMeetingResponse.parse(await admin.json('POST', `/api/meetings/${doomed.meetingId}/join`, { displayName: 'Ada' }));
  const member = HttpSession.forInvite(server.url, doomed.inviteUrl);
  await member.json('POST', `/api/meetings/${doomed.meetingId}/join`, { displayName: SECRETS.member });
  const meetingDoc = connectDocClient(server.url, joined.sync);
  const networkDoc = connectDocClient(server.url, joined.networkSync);
  await Promise.all([meetingDoc.synced, networkDoc.synced]);
  const author: Author = { id: joined.participantId, name: 'Ada', role: 'practitioner' };
  for (let i = 0; i < 20; i++) meetingDoc.addParagraph(`${SECRETS.notes} (${i})`);
  addPerson(networkDoc.doc, { name: SECRETS.mapPerson, relationship: 'aunt', closeness: 1 });
  addQuestion(networkDoc.doc, SECRETS.question, author, { meetingId: doomed.meetingId, meetingTitle: 'Network meeting', at: new Date().toISOString() });
  const keptJoin = JoinMeetingResponse.parse(await admin.json('POST', `/api/meetings/${kept.meetingId}/join`, { displayName: 'Ada' }));
  const keptDoc = connectDocClient(server.url, keptJoin.sync);
  await keptDoc.synced;
  keptDoc.addParagraph(`Notes of ${KEPT}`);
  await waitForStored(admin, doomed.meetingId, `${SECRETS.notes} (19)`);
  await waitForStored(admin, kept.meetingId, `Notes of ${KEPT}`);
  for (const client of [meetingDoc, networkDoc, keptDoc]) client.destroy();

  await admin.json('POST', `/api/meetings/${doomed.meetingId}/end`, {});
  await member.json('POST', `/api/meetings/${doomed.meetingId}/addenda`, { text: SECRETS.addendum });
  expect((await admin.request('GET', `/api/meetings/${doomed.meetingId}/export?format=md`)).status).toBe(200);
});
afterAll(async () => server?.dispose());

describe('deleting a network', () => {
  it('needs --confirm', async () => {
    const answer = await cli(server.dataDir, ['network', 'delete', '--network', doomed.networkId]);
    expect(answer).toMatchObject({ error: { code: 'bad_request' } });
    expect((await admin.request('GET', `/api/networks/${doomed.networkId}`)).status).toBe(200);
  });

  it('removes the network with all its documents, invites and records, while the server runs', async () => {
    // The names are really in the files before (the search below would find them).
    expect(filesContaining(server.dataDir, SECRETS.person).length).toBeGreaterThan(0);
    const answer = await cli(server.dataDir, ['network', 'delete', '--network', doomed.networkId, '--confirm']);
    expect(answer).toMatchObject({ deleted: true, meetings: 1, members: 2, invites: 2, documents: 2, logCleared: true });
    expect(Number(answer['documentRows'])).toBeGreaterThan(0);

    expect((await admin.request('GET', `/api/networks/${doomed.networkId}`)).status).toBe(404);
    expect((await admin.request('GET', `/api/meetings/${doomed.meetingId}/record`)).status).toBe(404);
    expect((await HttpSession.forInvite(server.url, doomed.inviteUrl).request('GET', '/api/invite')).status).toBe(401);
    expect((await admin.request('GET', `/api/networks/${kept.networkId}`)).status).toBe(200);
  });

  it('leaves no name in any file of the data directory, the write-ahead log included, while the server runs', () => {
    for (const secret of Object.values(SECRETS)) expect(filesContaining(server.dataDir, secret), secret).toEqual([]);
    expect(filesContaining(server.dataDir, KEPT).length).toBeGreaterThan(0);
  });

  it('leaves no row of it in any table, and none after the server has stopped either', async () => {
    await server.stop('SIGTERM');
    for (const secret of Object.values(SECRETS)) expect(filesContaining(server.dataDir, secret), secret).toEqual([]);
    const db = new DatabaseSync(join(server.dataDir, DATABASE_FILE), { readOnly: true });
    try {
      const count = (sql: string, ...params: string[]) => Number(db.prepare(sql).get(...params)?.['n']);
      const id = doomed.networkId;
      expect(count('SELECT COUNT(*) AS n FROM networks WHERE id = ?', id)).toBe(0);
      for (const table of ['network_team', 'network_members', 'invites', 'meetings', 'audit_log', 'meeting_addenda', 'network_closures', 'sealed_records']) {
        expect(count(`SELECT COUNT(*) AS n FROM ${table} WHERE network_id = ?`, id), table).toBe(0);
      }
      expect(count('SELECT COUNT(*) AS n FROM meeting_schedule WHERE meeting_id = ?', doomed.meetingId)).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name IN (?, ?)', `meeting-${doomed.meetingId}`, `network-${id}`)).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM doc_clients WHERE doc_name IN (?, ?)', `meeting-${doomed.meetingId}`, `network-${id}`)).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM audit_log WHERE meeting_id = ?', doomed.meetingId)).toBe(0);
      // What stays: the deletion itself, by id, and the other network.
      expect(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'network_deleted' AND target_id = ?", id)).toBe(1);
      expect(count('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name = ?', `meeting-${kept.meetingId}`)).toBeGreaterThan(0);
      expect(count('SELECT COUNT(*) AS n FROM doc_clients WHERE doc_name = ?', `meeting-${kept.meetingId}`)).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});

/** Every file under `dir` whose raw bytes contain `text` (UTF-8, as SQLite and Yjs store it). */
function filesContaining(dir: string, text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  const found: string[] = [];
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if (readFileSync(path).includes(needle)) {
      found.push(path);
    }
  };
  walk(dir);
  return found;
}

/** Waits until the stored record shows `text` (each update is stored before it is acknowledged). */
async function waitForStored(session: HttpSession, meetingId: string, text: string): Promise<void> {
  const { vi } = await import('vitest');
  await vi.waitFor(async () => {
    const body = JSON.stringify(await session.json('GET', `/api/meetings/${meetingId}/record`));
    expect(body).toContain(text);
  });
}
