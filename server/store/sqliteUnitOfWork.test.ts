import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { setImmediate as nextTask } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { createSqliteStores, type Stores, type TransactionalStores } from './stores.ts';
import { UnitOfWorkMisuseError } from './unitOfWork.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const T0 = '2026-12-01T10:00:00.000Z';

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-uow-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(dir: string): DatabaseSync {
  const db = openDatabase(dir);
  cleanups.push(() => db.close());
  return db;
}

async function stores(): Promise<Stores> {
  const made = createSqliteStores(open(dataDir()));
  for (const id of ['u1', 'u2']) await made.users.create({ id, email: `${id}@x.example`, name: id, role: 'practitioner', isAdmin: id === 'u1', passwordHash: 'h', createdAt: T0 });
  await made.networks.create({ id: 'n1', personName: 'Jo', referredAt: T0, createdAt: T0, createdBy: 'u1' });
  await made.meetings.create({ id: 'm1', networkId: 'n1', title: 'Meeting', scheduledAt: T0, status: 'scheduled', createdAt: T0, endedAt: undefined });
  return made;
}

const audited = (tx: Pick<TransactionalStores, 'audit'>, action: 'retention_changed' | 'network_closed') => tx.audit.record({ at: T0, actorKind: 'system', action });

describe('a unit of work on SQLite', () => {
  it('is rolled back and refused when its work awaits something that needs another task, while other requests go on outside it', async () => {
    const s = await stores();
    let otherRequest: Promise<void> | undefined;
    const crossing = s.unitOfWork(async (tx) => {
      await tx.settings.set('mine', 'v');
      // Another request runs while this work waits: its write must not become part of (and die with) this unit.
      setImmediate(() => void (otherRequest = s.settings.set('theirs', 'v')));
      await nextTask(); // a password hash, a file, a network call: anything that is not these stores
      await audited(tx, 'retention_changed');
    });
    await expect(crossing).rejects.toThrow(UnitOfWorkMisuseError);
    await expect(crossing).rejects.toThrow(/awaited something other than its stores/);
    await otherRequest;
    expect(await s.settings.get('mine')).toBeUndefined();
    expect(await s.audit.list({ limit: 10 })).toEqual([]);
    expect(await s.settings.get('theirs')).toBe('v');
    // The next unit starts cleanly.
    await s.unitOfWork((tx) => tx.settings.set('mine', 'again'));
    expect(await s.settings.get('mine')).toBe('again');
  });

  it('refuses the stores it gave once it has ended, so a write kept for later is never made outside it', async () => {
    const s = await stores();
    let kept: TransactionalStores | undefined;
    await s.unitOfWork(async (tx) => {
      kept = tx;
      await tx.settings.set('k', 'v');
    });
    const later = kept;
    if (!later) throw new Error('the work did not run');
    // Thrown as the call is made (a store may be synchronous), so `await` turns it into a rejection.
    await expect(async () => later.settings.set('k', 'later')).rejects.toThrow(UnitOfWorkMisuseError);
    expect(await s.settings.get('k')).toBe('v');
  });

  it('undoes what stores did in transactions of their own when the unit fails after them', async () => {
    const s = await stores();
    await s.networks.assign('n1', 'u2', T0);
    const failing = s.unitOfWork(async (tx) => {
      await tx.meetingTeams.set('m1', ['u2']);
      await tx.records.reschedule('m1', '2026-12-02T10:00:00.000Z');
      expect(await tx.users.deactivate('u2', T0, 'left')).toMatchObject({ status: 'deactivated', networkIds: ['n1'] });
      throw new Error('the last step failed');
    });
    await expect(failing).rejects.toThrow('the last step failed');
    expect(await s.meetingTeams.forMeetings(['m1'])).toEqual(new Map());
    expect((await s.meetings.get('m1'))?.scheduledAt).toBe(T0);
    expect((await s.records.schedules(['m1'])).get('m1')).toBeUndefined();
    expect((await s.users.byId('u2'))?.deactivatedAt).toBeUndefined();
    expect(await s.networks.isAssigned('n1', 'u2')).toBe(true);
  });

  it('keeps what a store step undid on its own when the work goes on and commits', async () => {
    const s = await stores();
    await s.unitOfWork(async (tx) => {
      await tx.settings.set('k', 'v');
      // Not on the team: refused by the foreign key inside the store's own transaction (a savepoint here).
      await expect(tx.meetingTeams.set('m1', ['no-such-user'])).rejects.toThrow(/foreign key/i);
      await audited(tx, 'network_closed');
    });
    expect(await s.settings.get('k')).toBe('v');
    expect((await s.audit.list({ limit: 10 })).map((e) => e.action)).toEqual(['network_closed']);
    expect(await s.meetingTeams.forMeetings(['m1'])).toEqual(new Map());
  });

  it('runs units started in the same task one after the other, each committed whole', async () => {
    const s = await stores();
    await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        s.unitOfWork(async (tx) => {
          await tx.settings.set(key, 'v');
          await audited(tx, 'retention_changed');
        }),
      ),
    );
    expect(await Promise.all(['a', 'b', 'c'].map((key) => s.settings.get(key)))).toEqual(['v', 'v', 'v']);
    expect(await s.audit.list({ limit: 10 })).toHaveLength(3);
  });

  it('gives way to the next unit when it could not begin (another process held the write lock too long)', async () => {
    const dir = dataDir();
    const db = open(dir);
    db.exec('PRAGMA busy_timeout = 0');
    const s = createSqliteStores(db);
    const otherProcess = open(dir);
    otherProcess.exec('BEGIN IMMEDIATE');
    await expect(s.unitOfWork((tx) => tx.settings.set('k', 'v'))).rejects.toThrow(/locked/);
    otherProcess.exec('COMMIT');
    await s.unitOfWork((tx) => tx.settings.set('k', 'v'));
    expect(await s.settings.get('k')).toBe('v');
  });
});
