import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { getNotes, notesPlainText } from '../../shared/doc/schema.ts';
import { SYNC_MESSAGE } from '../../shared/protocol/sync.ts';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { checkUpdateBounds } from './updateBounds.ts';
import { createSyncDocument, type SyncPeer } from './syncDocument.ts';

/** A peer that records each write it was asked to make (one array per send or sendMany call). */
function recordingPeer(id: string): SyncPeer & { writes: number[][] } {
  const writes: number[][] = [];
  const kindOf = (message: Uint8Array): number => decoding.readVarUint(decoding.createDecoder(message));
  return {
    id,
    subject: `person-${id}`,
    writer: { id: `person-${id}`, role: undefined },
    writes,
    send: (message) => void writes.push([kindOf(message)]),
    sendMany: (messages) => void writes.push(messages.map(kindOf)),
    close: () => {},
  };
}

function typedUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** The updates one Yjs client sends while someone types paragraphs into the notes, one per paragraph. */
function paragraphsTyped(clientId: number, lines: readonly string[]): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => void updates.push(update));
  for (const line of lines) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(line)]);
    getNotes(doc).push([paragraph]);
  }
  return updates;
}

/** A client's cursor, as its provider sends it on each move. */
function cursorOf(): { moveTo: (position: number) => Uint8Array } {
  const awareness = new Awareness(new Y.Doc());
  return {
    moveTo(position) {
      awareness.setLocalState({ cursor: position });
      return encodeAwarenessUpdate(awareness, [awareness.clientID]);
    },
  };
}

describe('a document broadcasting what was committed', () => {
  it('sends others the update and the waiting cursor in one write each, and the sender its own cursor only now and then', async () => {
    let commit: () => void = () => {};
    const document = createSyncDocument({
      name: 'meeting',
      history: [],
      write: () => new Promise<void>((done) => (commit = done)),
      storage: { bytes: 0, compactable: false, compact: async () => {} },
      limits: SYNC_LIMITS,
      onWriteFailed: () => {},
      onFault: (error) => {
        throw error;
      },
    });
    const typist = recordingPeer('typist');
    const listener = recordingPeer('listener');
    document.addPeer(typist);
    document.addPeer(listener);

    const cursor = cursorOf();
    const keystroke = async (text: string) => {
      const update = typedUpdate(text);
      expect(document.applyClientUpdate(update, typist, checkUpdateBounds(update))).toBe('applied');
      document.applyAwareness(cursor.moveTo(text.length), typist);
      await new Promise((done) => setImmediate(done)); // the write has started
      const before = listener.writes.length;
      commit();
      await document.flushed();
      return before;
    };
    expect(await keystroke('hello')).toBe(0); // nothing before the commit
    expect(listener.writes).toEqual([[SYNC_MESSAGE.sync, SYNC_MESSAGE.awareness]]);
    expect(typist.writes).toEqual([[SYNC_MESSAGE.awareness]]);

    // The next keystroke's cursor goes to the listener only: the typist heard its own a moment ago.
    await keystroke('hello!');
    expect(listener.writes).toHaveLength(2);
    expect(listener.writes[1]).toEqual([SYNC_MESSAGE.sync, SYNC_MESSAGE.awareness]);
    expect(typist.writes).toEqual([[SYNC_MESSAGE.awareness]]);
    document.destroy();
  });
});

describe('a document holding parts of updates back (Yjs pending structs)', () => {
  // After a reconnect (a PostgreSQL restart discarded the document), a client's new paragraphs can reach the
  // freshly loaded document before its SyncStep2 brings those the store never got: the new ones wait as Yjs
  // "pending" structs until then. Yjs keeps them in its v2 encoding; read as v1 (the conflict scan did)
  // they threw on every later update once two clients had some waiting, so each connection was closed with
  // `internal`, each reconnect failed the same way, and the meeting had no live sync until everyone left
  // (found by tests/integration/postgresFaults.test.ts).
  it('applies every update meanwhile, and the waiting parts once what they wait for arrives', async () => {
    const lines = (who: string) => Array.from({ length: 13 }, (_, n) => `${who} n${n}`);
    const first = paragraphsTyped(1, lines('c1'));
    const second = paragraphsTyped(2, lines('c2'));
    // The store has the first ten paragraphs of each; the eleventh of each was lost with the restart, and
    // the twelfth and thirteenth come first.
    const written: Uint8Array[] = [...first.slice(0, 10), ...second.slice(0, 10)];
    const document = createSyncDocument({
      name: 'meeting',
      history: [...written],
      write: async (updates) => void written.push(...updates),
      storage: { bytes: 0, compactable: false, compact: async () => {} },
      limits: SYNC_LIMITS,
      onWriteFailed: (error) => {
        throw error;
      },
      onFault: (error) => {
        throw error;
      },
    });
    const [one, two, three] = ['one', 'two', 'three'].map(recordingPeer);
    if (!one || !two || !three) throw new Error('three peers expected');
    [one, two, three].forEach((peer) => document.addPeer(peer));
    const apply = (update: Uint8Array | undefined, from: SyncPeer) => {
      if (!update) throw new Error('no such update');
      return document.applyClientUpdate(update, from, checkUpdateBounds(update));
    };

    for (const n of [11, 12]) {
      expect(apply(first[n], one)).toBe('applied');
      expect(apply(second[n], two)).toBe('applied');
    }
    expect(document.doc.store.pendingStructs).not.toBeNull();
    expect(apply(paragraphsTyped(3, ['c3 hello'])[0], three)).toBe('applied');
    expect(apply(first[10], one)).toBe('applied');
    expect(apply(second[10], two)).toBe('applied');
    await document.flushed();

    expect(document.doc.store.pendingStructs).toBeNull();
    const stored = new Y.Doc();
    for (const update of written) Y.applyUpdate(stored, update);
    expect(notesPlainText(stored).split('\n').sort()).toEqual([...lines('c1'), ...lines('c2'), 'c3 hello'].sort());
    document.destroy();
  });
});
