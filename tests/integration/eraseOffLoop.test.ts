import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/store/database.ts';
import { createSqliteStores } from '../../server/store/stores.ts';
import { getNotes } from '../../shared/doc/schema.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const SECRET = 'Jo told us about the night in the hospital';

async function networkWithNotes() {
  const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-erase-'));
  const db = openDatabase(dataDir);
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => db.close());
  const stores = createSqliteStores(db);
  const at = new Date().toISOString();
  const networkId = 'network0000000000000001';
  await stores.networks.create({ id: networkId, personName: 'Jo', referredAt: at, createdAt: at, createdBy: undefined });
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(SECRET)]);
  getNotes(doc).push([paragraph]);
  await stores.docs.append(`network-${networkId}`, Y.encodeStateAsUpdate(doc));
  return { dataDir, stores, networkId };
}

function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes(Buffer.from(text)));
}

describe('erasing a network (finding: its VACUUM ran on the event loop, 807 ms during which every meeting waited)', () => {
  it('keeps the event loop turning while the file is compacted, and still leaves nothing readable', async () => {
    const { dataDir, stores, networkId } = await networkWithNotes();
    expect(filesContaining(dataDir, SECRET)).not.toEqual([]);

    // Counts the loop's turns while the erasure runs: with the VACUUM on this thread it is one
    // synchronous stretch, and no turn happens before the erasure answers.
    let turns = 0;
    let erasing = true;
    const turn = (): void => {
      if (!erasing) return;
      turns += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
    const counts = await stores.eraser.erase(networkId);
    erasing = false;

    expect(turns).toBeGreaterThan(0);
    expect(counts).toMatchObject({ documents: 1, logCleared: true });
    expect(filesContaining(dataDir, SECRET)).toEqual([]);
  });
});
