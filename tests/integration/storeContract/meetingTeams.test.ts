import { describe, expect, it } from 'vitest';
import { replaceMeetingTeam } from '../../../server/store/postgres/meetingTeamStore.ts';
import { ENGINES, POSTGRES, type EngineDatabase } from './engines.ts';
import { expectToWait, useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';

/** Users u1, u2, u3 and network n1 with meetings mt1, mt2, mt3. */
async function teamAndMeetings(database: EngineDatabase): Promise<void> {
  const { users, networks, meetings } = database.stores;
  for (const id of ['u1', 'u2', 'u3']) {
    await users.create({ id, email: `${id}@clinic.example`, name: id, role: 'practitioner', isAdmin: false, passwordHash: 'h', createdAt: T0 });
  }
  await networks.create({ id: 'n1', personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: undefined });
  for (const id of ['mt1', 'mt2', 'mt3']) {
    await meetings.create({ id, networkId: 'n1', title: 'Meeting', scheduledAt: T0, status: 'scheduled', createdAt: T0, endedAt: undefined });
  }
}

describe.each(ENGINES)('meeting teams on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('keeps each meeting’s choice in the order chosen, without repeats, and replaces it whole', async () => {
    const database = await fresh();
    const { meetingTeams } = database.stores;
    await teamAndMeetings(database);
    await meetingTeams.set('mt1', ['u3', 'u1', 'u2']);
    await meetingTeams.set('mt2', ['u2', 'u2', 'u1']);
    // Only meetings with a choice, in the order asked for.
    expect([...(await meetingTeams.forMeetings(['mt2', 'mt3', 'mt1', 'nope']))]).toEqual([
      ['mt2', ['u2', 'u1']],
      ['mt1', ['u3', 'u1', 'u2']],
    ]);
    await meetingTeams.set('mt1', ['u2']);
    expect(await meetingTeams.forMeetings(['mt1'])).toEqual(new Map([['mt1', ['u2']]]));
    await meetingTeams.set('mt1', []);
    expect(await meetingTeams.forMeetings(['mt1', 'mt2'])).toEqual(new Map([['mt2', ['u2', 'u1']]]));
    expect(await meetingTeams.forMeetings([])).toEqual(new Map());
  });

  it('changes nothing when a choice names someone who does not exist, or a meeting that does not', async () => {
    const database = await fresh();
    const { meetingTeams } = database.stores;
    await teamAndMeetings(database);
    await meetingTeams.set('mt1', ['u1']);
    await expect(meetingTeams.set('mt1', ['u2', 'ghost'])).rejects.toThrow();
    expect(await meetingTeams.forMeetings(['mt1'])).toEqual(new Map([['mt1', ['u1']]]));
    await expect(meetingTeams.set('nope', ['u1'])).rejects.toThrow();
    await meetingTeams.set('nope', []);
    expect(await meetingTeams.forMeetings(['nope'])).toEqual(new Map());
  });

  it('keeps one whole choice, never a mix, when two connections choose at once', async () => {
    const database = await fresh();
    await teamAndMeetings(database);
    const other = await database.another();
    for (let round = 0; round < 8; round += 1) {
      await Promise.all([database.stores.meetingTeams.set('mt1', ['u1', 'u2']), other.meetingTeams.set('mt1', ['u3', 'u2'])]);
      expect([['u1', 'u2'], ['u3', 'u2']]).toContainEqual((await database.stores.meetingTeams.forMeetings(['mt1'])).get('mt1'));
    }
  });
});

describe('meeting teams on postgres, with another writer in flight', () => {
  const fresh = useFreshDatabase(POSTGRES);

  it('replaces a choice committed while it waited, rather than keeping part of it', async () => {
    const database = await fresh();
    await teamAndMeetings(database);
    await database.stores.meetingTeams.set('mt1', ['u1']);
    const first = await database.begin();
    await replaceMeetingTeam(first.sql, 'mt1', ['u2']);
    const second = database.stores.meetingTeams.set('mt1', ['u3']);
    await expectToWait(database, second);
    await first.commit();
    await second;
    expect(await database.stores.meetingTeams.forMeetings(['mt1'])).toEqual(new Map([['mt1', ['u3']]]));
  });
});
