import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessEvent } from '../../server/events/accessEvents.ts';
import { createAccessEventCounters } from '../../server/events/eventCounters.ts';
import { createOutboxEvents, type OutboxEvents } from '../../server/events/outboxEvents.ts';
import { createPostgresDoorbell } from '../../server/events/postgresDoorbell.ts';
import { createLogger } from '../../server/log.ts';
import { createPostgresAccessEventStore } from '../../server/store/postgres/accessEventStore.ts';
import { openPostgres } from '../../server/store/postgres/database.ts';
import { useCleanups } from '../helpers/cleanups.ts';

/**
 * The PostgreSQL doorbell across a restart of PostgreSQL: the listening connection is lost, made again,
 * and what was appended meanwhile is delivered. This file runs its own PostgreSQL (scripts/postgres.sh), so
 * that stopping it disturbs no other test.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/postgres.sh');
const run = promisify(execFile);
const ID = (c: string) => c.repeat(22);

const cleanup = useCleanups();
let postgresDir = '';
let databaseUrl = '';

beforeAll(async () => {
  const { stdout } = await run('bash', [SCRIPT, 'start', '--owner-pid', String(process.pid)]);
  postgresDir = exported(stdout, 'POLYPHONY_POSTGRES_DIR');
  databaseUrl = exported(stdout, 'DATABASE_URL');
}, 120_000);

afterAll(async () => {
  if (postgresDir) await run('bash', [SCRIPT, 'stop', postgresDir]);
}, 120_000);

function exported(output: string, name: string): string {
  const value = new RegExp(`^export ${name}='([^']*)'`, 'm').exec(output)?.[1];
  if (!value) throw new Error(`no ${name} in ${output}`);
  return value;
}

/** One process's port on this file's PostgreSQL, listening (started) or only publishing, as the CLI does. */
async function port(origin: string, options: { listen: boolean }) {
  const pool: pg.Pool = await openPostgres(databaseUrl, { max: 2 });
  const logger = createLogger({}, () => {});
  const counters = createAccessEventCounters();
  const events: OutboxEvents = createOutboxEvents({
    store: createPostgresAccessEventStore(pool),
    origin,
    logger,
    counters,
    doorbell: createPostgresDoorbell({ databaseUrl, logger, counters }),
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
    const first: AccessEvent = { kind: 'invite_revoked', inviteId: ID('a'), networkId: ID('b'), memberId: ID('c') };
    await cli.events.publish(first);
    await vi.waitFor(() => expect(server.heard).toEqual([first]));

    await run('bash', [SCRIPT, 'pause', postgresDir]);
    await run('bash', [SCRIPT, 'resume', postgresDir]);
    // At once after the restart, while the listener is most likely still waiting to try again: this one can
    // only arrive by the read that follows listening again (or by NOTIFY, if it was back already).
    const second: AccessEvent = { kind: 'meeting_ended', meetingId: ID('d'), networkId: ID('b') };
    await cli.events.publish(second);
    await vi.waitFor(() => expect(server.heard).toEqual([first, second]), { timeout: 20_000 });
    expect(server.counters.listenerReconnects).toBeGreaterThanOrEqual(1);

    // Listening still: the next event comes by NOTIFY, once.
    const third: AccessEvent = { kind: 'sessions_ended', userId: ID('e') };
    await cli.events.publish(third);
    await vi.waitFor(() => expect(server.heard).toEqual([first, second, third]));
    expect(server.counters).toMatchObject({ received: 3, malformedRows: 0, malformedNotifications: 0 });
  }, 120_000);
});
