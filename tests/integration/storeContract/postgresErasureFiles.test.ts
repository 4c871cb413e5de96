import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../server/store/postgres/database.ts';
import { ERASURE_TABLES } from '../../../server/store/postgres/networkEraser.ts';
import { createPostgresAccessEventStore } from '../../../server/store/postgres/accessEventStore.ts';
import { createPostgresStores } from '../../../server/store/postgres/stores.ts';
import type { ContractStores } from './engines.ts';
import { createTestDatabase } from '../../helpers/postgresDatabase.ts';
import { seedNetwork, seedTeamMember, type SeededNetwork } from './networkTraces.ts';

const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

interface Opened {
  url: string;
  pool: pg.Pool;
  stores: ContractStores;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openDatabase(): Promise<Opened> {
  const database = await createTestDatabase({ migrated: true });
  cleanups.push(() => database.drop());
  const pool = await openPostgres(database.url, { max: 4 });
  cleanups.push(() => pool.end());
  return { url: database.url, pool, stores: { ...createPostgresStores(pool), accessEvents: createPostgresAccessEventStore(pool) } };
}

async function seeded(opened: Opened, token: string): Promise<SeededNetwork> {
  return seedNetwork({ stores: opened.stores, exec: async (sql, params) => void (await opened.pool.query(sql, params)) }, token);
}

/** The ways a network's words can stand in a dump or a file: as text, and as the hex of a bytea column. */
function spellings(network: SeededNetwork): string[] {
  return [network.memberName, network.noteText].flatMap((text) => [text, Buffer.from(text).toString('hex')]);
}

async function pgDump(url: string): Promise<string> {
  const { stdout } = await run(join(PG_BIN, 'pg_dump'), ['--dbname', url], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Every file of the database's directory (tables, TOAST, indexes, free-space maps), after a checkpoint wrote them. */
async function databaseFiles(pool: pg.Pool): Promise<Buffer> {
  await pool.query('CHECKPOINT');
  const { rows } = await pool.query<{ dir: string }>(
    "SELECT current_setting('data_directory') || '/base/' || oid AS dir FROM pg_database WHERE datname = current_database()",
  );
  const dir = rows[0]?.dir;
  if (!dir) throw new Error('no database directory');
  return Buffer.concat(readdirSync(dir).map((file) => readIfStillThere(join(dir, file))));
}

/**
 * PostgreSQL removes some files of the directory on its own while it is listed (its relation cache's
 * `pg_internal.init`, a dropped relation's segments): one gone before it was read holds nothing any more.
 */
function readIfStillThere(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}

describe('erasure on PostgreSQL, beyond the rows', () => {
  it('leaves nothing of the network in a pg_dump made after it', async () => {
    const opened = await openDatabase();
    await seedTeamMember(opened);
    const gone = await seeded(opened, 'gonexq');
    const kept = await seeded(opened, 'keptzy');
    const before = await pgDump(opened.url);
    for (const text of [...spellings(gone), ...spellings(kept)]) expect(before).toContain(text);

    await opened.stores.eraser.erase(gone.networkId);

    const after = await pgDump(opened.url);
    for (const text of spellings(gone)) expect(after).not.toContain(text);
    for (const text of spellings(kept)) expect(after).toContain(text);
  });

  it('says the rows stay in the files while an older snapshot can still read them', async () => {
    const opened = await openDatabase();
    await seedTeamMember(opened);
    const gone = await seeded(opened, 'gonexq');
    const reader = new pg.Client({ connectionString: opened.url });
    await reader.connect();
    cleanups.push(() => reader.end());
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT 1');

    expect(await opened.stores.eraser.erase(gone.networkId)).toMatchObject({ logCleared: false });

    // What the README says: deleted is not gone while a transaction from before can still see it.
    const seen = await reader.query<{ name: string }>('SELECT name FROM network_members WHERE network_id = $1', [gone.networkId]);
    expect(seen.rows.map((row) => row.name)).toEqual([gone.memberName]);
    await reader.query('COMMIT');
  });

  it('leaves nothing of the network in the table files once the erased tables had VACUUM FULL', async () => {
    const opened = await openDatabase();
    await seedTeamMember(opened);
    const gone = await seeded(opened, 'gonexq');
    const kept = await seeded(opened, 'keptzy');
    const before = await databaseFiles(opened.pool);
    for (const text of [gone.memberName, gone.noteText, kept.memberName]) expect(before.includes(text)).toBe(true);

    await opened.stores.eraser.erase(gone.networkId);
    // The operator's step from the README (plain VACUUM, which the erasure ran, leaves freed space unwiped).
    await opened.pool.query(`VACUUM FULL ${ERASURE_TABLES.join(', ')}`);

    const after = await databaseFiles(opened.pool);
    for (const text of [gone.memberName, gone.noteText]) expect(after.includes(text)).toBe(false);
    expect(after.includes(kept.memberName)).toBe(true);
  });
});
