import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.ts';
import { createSqliteAccessEventStore } from '../store/accessEventStore.ts';
import { openDatabase } from '../store/database.ts';
import type { AccessEvent } from './accessEvents.ts';
import { createAccessEventCounters } from './eventCounters.ts';
import { createTimerDoorbell } from './outboxDoorbell.ts';
import { createOutboxEvents, type OutboxEvents } from './outboxEvents.ts';

const ID = (c: string) => c.repeat(22);
const revoked: AccessEvent = { kind: 'invite_revoked', inviteId: ID('a'), networkId: ID('b'), memberId: ID('c') };

describe('access events through the outbox', () => {
  let dir: string;
  let db: DatabaseSync;
  const started: OutboxEvents[] = [];
  let counters = createAccessEventCounters();
  const outbox = async (origin: string, options: { start?: boolean } = {}) => {
    const events = createOutboxEvents({ store: createSqliteAccessEventStore(db), origin, logger: createLogger({}, () => {}), doorbell: createTimerDoorbell(20), counters });
    if (options.start !== false) {
      await events.start();
      started.push(events);
    }
    return events;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyphony-outbox-'));
    db = openDatabase(dir);
    counters = createAccessEventCounters();
  });
  afterEach(async () => {
    for (const events of started.splice(0)) await events.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers an event to its own process at once, and to another process through the store, once each', async () => {
    const server = await outbox('server');
    const cli = await outbox('cli', { start: false });
    const atServer: AccessEvent[] = [];
    const atCli: AccessEvent[] = [];
    server.subscribe((event) => void atServer.push(event));
    cli.subscribe((event) => void atCli.push(event));

    await cli.publish(revoked);
    expect(atCli).toEqual([expect.objectContaining(revoked)]);
    await vi.waitFor(() => expect(atServer).toEqual([expect.objectContaining(revoked)]));
    // One name in every process that hears it: what lets an instance act on it once (mediaKeys.ts).
    expect(atServer[0]?.eventId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(atServer[0]?.eventId).toBe(atCli[0]?.eventId);
    await server.publish({ kind: 'meeting_ended', meetingId: ID('d'), networkId: ID('b') });
    await new Promise((done) => setTimeout(done, 100)); // several polls: the server must not hear itself again
    expect(atServer.map((e) => e.kind)).toEqual(['invite_revoked', 'meeting_ended']);
  });

  it('starts from now: a process does not replay events recorded before it started', async () => {
    await (await outbox('cli', { start: false })).publish(revoked);
    const server = await outbox('server');
    const heard: AccessEvent[] = [];
    server.subscribe((event) => void heard.push(event));
    await new Promise((done) => setTimeout(done, 100));
    expect(heard).toEqual([]);
  });

  it('drops and counts a row that does not parse as an event, and goes on with the next', async () => {
    const server = await outbox('server');
    const heard: AccessEvent[] = [];
    server.subscribe((event) => void heard.push(event));
    const store = createSqliteAccessEventStore(db);
    const at = new Date().toISOString();
    await store.append({ origin: 'elsewhere', at, body: '{"kind":"invite_revoked","inviteId":"../../etc"}' }, at);
    await store.append({ origin: 'elsewhere', at, body: 'not json' }, at);
    await store.append({ origin: 'elsewhere', at, body: JSON.stringify(revoked) }, at);
    await vi.waitFor(() => expect(heard).toEqual([revoked]));
    expect(counters).toMatchObject({ malformedRows: 2, received: 1 });
  });

  it('answers a ring that came during a read with one more read, so an event committed meanwhile is not left waiting', async () => {
    let ring: () => void = () => {};
    const doorbell = { start: async (onRing: () => void) => void (ring = onRing), stop: async () => {} };
    // A store whose reader, having found nothing more, is held there: the moment a read is about to end.
    const store = createSqliteAccessEventStore(db);
    let hold: Promise<void> | undefined;
    const after = async (seq: number, limit: number) => {
      const rows = await store.after(seq, limit);
      if (rows.length === 0 && hold) await hold;
      return rows;
    };
    const held = { ...store, after };
    const server = createOutboxEvents({ store: held, origin: 'server', logger: createLogger({}, () => {}), doorbell, counters });
    await server.start();
    const cli = await outbox('cli', { start: false });
    const heard: AccessEvent[] = [];
    server.subscribe((event) => void heard.push(event));
    let release: () => void = () => {};
    hold = new Promise<void>((done) => (release = done));
    await cli.publish(revoked);
    ring();
    await vi.waitFor(() => expect(heard).toEqual([expect.objectContaining(revoked)]));
    // Appended and rung for after the reader found nothing more, before it finished: no further ring comes.
    const ended: AccessEvent = { kind: 'meeting_ended', meetingId: ID('d'), networkId: ID('b') };
    await cli.publish(ended);
    ring();
    hold = undefined;
    release();
    await vi.waitFor(() => expect(heard).toEqual([expect.objectContaining(revoked), expect.objectContaining(ended)]));
  });

  it('keeps a failing handler from stopping the others', async () => {
    const server = await outbox('server');
    const heard: AccessEvent[] = [];
    server.subscribe(() => {
      throw new Error('LiveKit unreachable');
    });
    server.subscribe((event) => void heard.push(event));
    await server.publish(revoked);
    expect(heard).toEqual([expect.objectContaining(revoked)]);
  });
});
