import type pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import type { AccessEvent } from '../../server/events/accessEvents.ts';
import { createAccessEventCounters } from '../../server/events/eventCounters.ts';
import { createOutboxEvents, type OutboxEvents } from '../../server/events/outboxEvents.ts';
import { createPostgresDoorbell } from '../../server/events/postgresDoorbell.ts';
import { createLogger } from '../../server/log.ts';
import { createPostgresAccessEventStore } from '../../server/store/postgres/accessEventStore.ts';
import { openPostgres } from '../../server/store/postgres/database.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { usePrivatePostgres } from '../helpers/privatePostgres.ts';

/**
 * The PostgreSQL doorbell across a restart of PostgreSQL: the listening connection is lost, made again,
 * and what was appended meanwhile is delivered. This file runs its own PostgreSQL (scripts/postgres.sh), so
 * that stopping it disturbs no other test.
 */
const ID = (c: string) => c.repeat(22);

const cleanup = useCleanups();
const postgres = usePrivatePostgres();

/** One process's port on this file's PostgreSQL, listening (started) or only publishing, as the CLI does. */
async function port(origin: string, options: { listen: boolean }) {
  const pool: pg.Pool = await openPostgres(postgres.url(), { max: 2 });
  const logger = createLogger({}, () => {});
  const counters = createAccessEventCounters();
  const events: OutboxEvents = createOutboxEvents({
    store: createPostgresAccessEventStore(pool),
    origin,
    logger,
    counters,
    doorbell: createPostgresDoorbell({ databaseUrl: postgres.url(), logger, counters }),
  });
  const heard: AccessEvent[] = [];
  events.subscribe((event) => void heard.push(event));
  if (options.listen) await events.start();
  cleanup(async () => {
    await events.stop();
    await pool.end();
  });
  return { events, heard, counters };
}

describe('access events on PostgreSQL across a restart of PostgreSQL', () => {
  it('listens again once PostgreSQL is back, and delivers what was appended while it was not listening', async () => {
    const server = await port('server-b', { listen: true });
    const cli = await port('cli', { listen: false });
    const first: AccessEvent = { eventId: 'first', kind: 'invite_revoked', inviteId: ID('a'), networkId: ID('b'), memberId: ID('c') };
    await cli.events.publish(first);
    await vi.waitFor(() => expect(server.heard).toEqual([first]));

    await postgres.pause();
    await postgres.resume();
    // At once after the restart, while the listener is most likely still waiting to try again: this one can
    // only arrive by the read that follows listening again (or by NOTIFY, if it was back already).
    const second: AccessEvent = { eventId: 'second', kind: 'meeting_ended', meetingId: ID('d'), networkId: ID('b') };
    await cli.events.publish(second);
    await vi.waitFor(() => expect(server.heard).toEqual([first, second]), { timeout: 20_000 });
    expect(server.counters.listenerReconnects).toBeGreaterThanOrEqual(1);

    // Listening still: the next event comes by NOTIFY, once.
    const third: AccessEvent = { eventId: 'third', kind: 'sessions_ended', userId: ID('e') };
    await cli.events.publish(third);
    await vi.waitFor(() => expect(server.heard).toEqual([first, second, third]));
    expect(server.counters).toMatchObject({ received: 3, malformedRows: 0, malformedNotifications: 0 });
  }, 120_000);
});
