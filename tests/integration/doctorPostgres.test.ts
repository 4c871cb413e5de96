import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../server/livekit/freePort.ts';
import { runDoctor, type DoctorCheck } from '../../server/ops/doctor.ts';
import { openDatabase } from '../../server/store/database.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { createTestDatabase, queryRows } from '../helpers/postgresDatabase.ts';

const cleanup = useCleanups();
const MINUTE = 60_000;

async function setup(): Promise<{ url: string; dataDir: string; env: NodeJS.ProcessEnv }> {
  const made = await createTestDatabase({ migrated: true });
  cleanup(() => made.drop());
  const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-doctor-pg-'));
  cleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir, DATABASE_URL: made.url, PORT: String(await freeTcpPort()), HOST: '127.0.0.1', LIVEKIT: 'off', PUBLIC_URL: 'https://meet.example.org' };
  return { url: made.url, dataDir, env };
}

async function clockCheck(env: NodeJS.ProcessEnv, offsetMs = 0): Promise<DoctorCheck> {
  const checks = await runDoctor(env, { now: () => new Date(Date.now() + offsetMs) });
  const clock = checks.find((check) => check.name === 'clock');
  if (!clock) throw new Error('no clock check');
  return clock;
}

describe('polyphony doctor on PostgreSQL: the clock', () => {
  it("passes a clock that agrees with PostgreSQL's, and fails one ten minutes behind or ahead of it", async () => {
    const { env } = await setup();
    expect(await clockCheck(env)).toMatchObject({ ok: true, detail: expect.stringMatching(/within \d+ ms of the PostgreSQL server's clock, after the newest time in the database/) as unknown });
    expect(await clockCheck(env, -10 * MINUTE)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/, 10 min behind the PostgreSQL server's clock \(at most 30 s allowed\)\.$/) as unknown,
      fix: expect.stringMatching(/^Turn on time synchronisation .* on this machine and on the PostgreSQL server/) as unknown,
    });
    expect(await clockCheck(env, 10 * MINUTE)).toMatchObject({ ok: false, detail: expect.stringMatching(/10 min ahead of the PostgreSQL server's clock/) as unknown });
    // Within the limit: a few seconds apart is not a fault worth waking someone for.
    expect(await clockCheck(env, -5_000)).toMatchObject({ ok: true });
  });

  it("compares with the times PostgreSQL holds, not with a SQLite file left in DATA_DIR", async () => {
    const { url, dataDir, env } = await setup();
    // A SQLite database from before the move to PostgreSQL, stamped tomorrow: not what this server uses.
    const sqlite = openDatabase(dataDir);
    sqlite.prepare("INSERT INTO audit_log (at, actor_kind, action) VALUES (?, 'system', 'test')").run(new Date(Date.now() + 24 * 60 * MINUTE).toISOString());
    sqlite.close();
    expect(await clockCheck(env)).toMatchObject({ ok: true });

    const tomorrow = new Date(Date.now() + 24 * 60 * MINUTE).toISOString();
    await queryRows(url, `INSERT INTO audit_log (at, actor_kind, action) VALUES ('${tomorrow}', 'system', 'test')`);
    expect(await clockCheck(env)).toMatchObject({ ok: false, detail: expect.stringContaining(`but the database already holds ${tomorrow}: the clock is behind`) as unknown });
  });

  it('says the clock could not be compared when PostgreSQL does not answer', async () => {
    const { env } = await setup();
    const closed = await freeTcpPort();
    const unreachable = { ...env, DATABASE_URL: `postgres://nobody@127.0.0.1:${closed}/none` };
    expect(await clockCheck(unreachable)).toMatchObject({ ok: true, detail: expect.stringContaining('the database could not be read to compare (see the database check)') as unknown });
  });
});
