import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, vi } from 'vitest';
import { KNOWN_SCHEMA_VERSIONS } from '../../server/store/database.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { PASSWORD } from '../helpers/seed.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();
const FIXTURE = resolve(import.meta.dirname, '../fixtures/dataDir-0.1.0');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as { email: string; meetingId: string; notes: string; schemaVersions: number[] };

/**
 * The data directory kept from release 0.1.0, rebuilt from its SQL dump (text in the repository, not a
 * database file; made with `sqlite3 .dump` from the database that release wrote).
 */
function oldDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-upgrade-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const db = new DatabaseSync(join(dir, 'polyphony.sqlite'));
  db.exec(readFileSync(join(FIXTURE, 'polyphony.sql'), 'utf8'));
  db.close();
  return dir;
}

function schemaVersions(dataDir: string): number[] {
  const db = new DatabaseSync(join(dataDir, 'polyphony.sqlite'), { readOnly: true });
  try {
    return db.prepare('SELECT version FROM schema_migrations ORDER BY version').all().map((row) => Number(row['version']));
  } finally {
    db.close();
  }
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('starting this release on a data directory from an older one', () => {
  it('migrates a 0.1.0 data directory and serves its documents and accounts', async () => {
    const dataDir = oldDataDir();
    const server = await startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
    cleanup(() => server.stop());
    expect(schemaVersions(dataDir)).toEqual([...KNOWN_SCHEMA_VERSIONS].sort((a, b) => a - b));
    const session = new HttpSession(server.url);
    await session.login(expected.email, PASSWORD);
    const { client } = await joinAndConnect(session, expected.meetingId, 'Pat');
    cleanup(() => client.destroy());
    await vi.waitFor(() => expect(client.text()).toBe(expected.notes));
  });

  it('refuses a data directory from a newer release with a clear message, exit 1, and leaves it untouched', async () => {
    const dataDir = oldDataDir();
    const db = new DatabaseSync(join(dataDir, 'polyphony.sqlite'));
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(9999, new Date().toISOString());
    db.close();
    const before = sha256(join(dataDir, 'polyphony.sqlite'));
    const refused = startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
    // Were it to start after all, it is stopped rather than left running.
    cleanup(() => refused.then((server) => server.stop(), () => undefined));
    await expect(refused).rejects.toThrow(/code 1,[\s\S]*newer Polyphony release \(schema versions 9999/);
    expect(sha256(join(dataDir, 'polyphony.sqlite'))).toBe(before);
    expect(schemaVersions(dataDir)).toEqual([...expected.schemaVersions, 9999]);
  });
});
