import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { notesPlainText } from '../../shared/doc/schema.ts';
import { cli } from '../helpers/cli.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { meetingsWithWriters } from '../helpers/meetingsWithWriters.ts';
import { addUser, PASSWORD } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();
const WRITERS = 5;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-restore-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function server(dataDir: string): Promise<ServerProcess> {
  const started = await startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
  cleanup(() => started.stop());
  return started;
}

async function restoreInto(file: string): Promise<string> {
  const target = join(tempDir(), 'restored');
  expect(await cli(target, ['restore', '--from', file])).toMatchObject({ entries: [{ name: 'polyphony.sqlite' }, { name: 'server-secret' }] });
  return target;
}

/** Each meeting's document as a fresh stock client receives it from `url`. */
async function servedDocs(url: string, meetings: string[]): Promise<Y.Doc[]> {
  const session = new HttpSession(url);
  await session.login('pat@team.org', PASSWORD);
  return Promise.all(
    meetings.map(async (id) => {
      const { client } = await joinAndConnect(session, id, 'Reader');
      cleanup(() => client.destroy());
      return client.doc;
    }),
  );
}

function paragraphs(doc: Y.Doc): Set<string> {
  return new Set(notesPlainText(doc).split('\n').filter(Boolean));
}

/** Every row of every table, in primary-key order (read-only: the server may be running on it). */
function everyTable(dataDir: string): Record<string, unknown[]> {
  const db = new DatabaseSync(join(dataDir, 'polyphony.sqlite'), { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    return Object.fromEntries(tables.map(({ name }) => [String(name), db.prepare(`SELECT * FROM "${String(name)}" ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

describe('backup while the server runs and restore into a new data directory', () => {
  it('taken while five clients write: holds everything acknowledged before it began, and nothing the server never had', async () => {
    const source = await server(tempDir());
    const { meetings, observers, stopWriting, written } = await meetingsWithWriters(source, WRITERS, cleanup);
    // Every meeting, not only all of them together, has enough acknowledged before the backup begins: on a
    // busy machine one writer can start late while the others already wrote the hundred.
    await vi.waitFor(
      () => {
        expect(written()).toBeGreaterThan(100);
        for (const observer of observers) expect(paragraphs(observer.doc).size).toBeGreaterThan(10);
      },
      { timeout: 30_000, interval: 50 },
    );
    const acknowledged = observers.map((observer) => paragraphs(observer.doc));
    const file = join(tempDir(), 'running.backup');
    const backup = await cli(source.dataDir, ['backup', '--out', file]);
    expect(backup).toMatchObject({ out: file });
    expect(backup['schemaVersions']).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    const atBackup = written();
    await vi.waitFor(() => expect(written()).toBeGreaterThan(atBackup + 50));
    stopWriting();

    const restored = await server(await restoreInto(file));
    const finalDocs = await servedDocs(source.url, meetings);
    const restoredDocs = await servedDocs(restored.url, meetings);
    meetings.forEach((_, i) => {
      const [before, after, last] = [acknowledged[i] ?? new Set(), paragraphs(restoredDocs[i] ?? new Y.Doc()), paragraphs(finalDocs[i] ?? new Y.Doc())];
      expect(before.size).toBeGreaterThan(10);
      for (const line of before) expect(after).toContain(line);
      for (const line of after) expect(last).toContain(line);
      const restoredClocks = Y.decodeStateVector(Y.encodeStateVector(restoredDocs[i] ?? new Y.Doc()));
      const finalClocks = Y.decodeStateVector(Y.encodeStateVector(finalDocs[i] ?? new Y.Doc()));
      for (const [client, clock] of restoredClocks) expect(finalClocks.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
    });
  });

  it('taken once writing stopped: every document byte-identical and every table equal, on a server started on it', async () => {
    const source = await server(tempDir());
    const { meetings, writers, stopWriting, written } = await meetingsWithWriters(source, WRITERS, cleanup);
    await vi.waitFor(() => expect(written()).toBeGreaterThan(100));
    stopWriting();
    const sourceDocs = await servedDocs(source.url, meetings);
    // Every writer's last line has reached a fresh reader, so it is stored (the server relays only what it stored).
    await vi.waitFor(() => writers.forEach((w, i) => expect(Y.encodeStateVector(sourceDocs[i % 2] ?? new Y.Doc())).toEqual(Y.encodeStateVector(w.doc))));

    const file = join(tempDir(), 'quiet.backup');
    await cli(source.dataDir, ['backup', '--out', file]);
    const sourceTables = everyTable(source.dataDir);
    const target = await restoreInto(file);
    expect(everyTable(target)).toEqual(sourceTables);

    const restored = await server(target);
    const restoredDocs = await servedDocs(restored.url, meetings);
    const again = await servedDocs(source.url, meetings);
    meetings.forEach((_, i) => {
      expect(Buffer.from(Y.encodeStateAsUpdate(restoredDocs[i] ?? new Y.Doc()))).toEqual(Buffer.from(Y.encodeStateAsUpdate(again[i] ?? new Y.Doc())));
    });
  });

  it('refuses a backup cut in half with one clear error and leaves the new data directory empty', async () => {
    const dataDir = tempDir();
    await addUser(dataDir, 'pat@team.org');
    const file = join(tempDir(), 'whole.backup');
    await cli(dataDir, ['backup', '--out', file]);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length / 2));
    const target = tempDir();
    const answer = await cli(target, ['restore', '--from', file]);
    expect(answer).toMatchObject({ error: { code: 'bad_request' } });
    expect(JSON.stringify(answer)).toMatch(/cut short/);
    expect(readdirSync(target)).toEqual([]);
  });
});
