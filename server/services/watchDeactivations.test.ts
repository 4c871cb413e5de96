import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { openDatabase } from '../store/database.ts';
import { createSqliteStores } from '../store/stores.ts';
import { watchDeactivations } from './watchDeactivations.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe('watchDeactivations', () => {
  it('tells this server of an account deactivated elsewhere, with the networks it was taken off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-watch-'));
    const db = openDatabase(dir);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => db.close());
    const stores = createSqliteStores(db);
    const at = new Date().toISOString();
    await stores.users.create({ id: 'u'.repeat(22), email: 'pat@team.org', name: 'Pat', role: 'practitioner', isAdmin: false, passwordHash: 'x', createdAt: at });
    await stores.networks.create({ id: 'n'.repeat(22), personName: 'Jo', referredAt: at, createdAt: at, createdBy: undefined });
    await stores.networks.assign('n'.repeat(22), 'u'.repeat(22), at);

    const seen = new Promise<{ userId: string; networkIds: string[] }>((done) => {
      const stop = watchDeactivations(stores.users, async (userId, networkIds) => {
        stop();
        done({ userId, networkIds });
      }, createLogger({}, () => {}), 10);
      cleanups.push(stop);
    });
    // Another process (the ops CLI) deactivates through its own connection to the same file, a moment
    // after the watcher started (its first look is for changes after its own start).
    const other = openDatabase(dir);
    await createSqliteStores(other).users.deactivate('u'.repeat(22), new Date(Date.now() + 5).toISOString(), 'Left the team');
    other.close();
    expect(await seen).toEqual({ userId: 'u'.repeat(22), networkIds: ['n'.repeat(22)] });
  });
});
