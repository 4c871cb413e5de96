import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
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

function cursorUpdate(): Uint8Array {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState({ cursor: 3 });
  return encodeAwarenessUpdate(awareness, [awareness.clientID]);
}

describe('a document broadcasting what was committed', () => {
  it('sends others the update and the waiting cursor in one write each, and the sender only the cursor', async () => {
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

    const update = typedUpdate('hello');
    expect(document.applyClientUpdate(update, typist, checkUpdateBounds(update))).toBe('applied');
    document.applyAwareness(cursorUpdate(), typist);
    await new Promise((done) => setImmediate(done)); // the write has started
    expect(listener.writes).toEqual([]); // nothing before the commit
    commit();
    await document.flushed();

    expect(listener.writes).toEqual([[SYNC_MESSAGE.sync, SYNC_MESSAGE.awareness]]);
    expect(typist.writes).toEqual([[SYNC_MESSAGE.awareness]]);
    document.destroy();
  });
});

describe('a document holding structs that arrived before what they follow', () => {
  it('takes updates from others meanwhile, and the waiting structs once the rest arrives', async () => {
    const document = createSyncDocument({
      name: 'meeting',
      history: [],
      write: async () => {},
      storage: { bytes: 0, compactable: false, compact: async () => {} },
      limits: SYNC_LIMITS,
      onWriteFailed: () => {},
      onFault: (error) => {
        throw error;
      },
    });
    // Typed while reconnecting: the stock provider sends the new keystrokes on the open socket before the
    // answer to the server's SyncStep1 that carries what was typed offline, which they follow. Two people
    // did; Yjs keeps their waiting structs merged, in its v2 encoding.
    const typing = (name: string) => {
      const typed = new Y.Doc();
      const notes = typed.getXmlFragment('notes');
      const paragraph = (text: string) => {
        const element = new Y.XmlElement('paragraph');
        element.insert(0, [new Y.XmlText(text)]);
        notes.push([element]);
      };
      for (let i = 0; i < 3; i++) paragraph(`${name} offline ${i}`);
      const offline = Y.encodeStateAsUpdate(typed);
      const sinceOffline = Y.encodeStateVector(typed);
      for (let i = 0; i < 3; i++) paragraph(`${name} back ${i}`);
      return { peer: recordingPeer(name), offline, back: Y.encodeStateAsUpdate(typed, sinceOffline) };
    };
    const typists = [typing('ann'), typing('bo')];
    for (const { peer, back } of typists) expect(document.applyClientUpdate(back, peer, checkUpdateBounds(back))).toBe('applied');
    expect(document.doc.store.pendingStructs).not.toBeNull();

    const other = recordingPeer('other');
    const theirs = typedUpdate('hello');
    expect(document.applyClientUpdate(theirs, other, checkUpdateBounds(theirs))).toBe('applied');
    for (const { peer, offline } of typists) expect(document.applyClientUpdate(offline, peer, checkUpdateBounds(offline))).toBe('applied');
    expect(document.doc.store.pendingStructs).toBeNull();
    expect(document.doc.getText('t').toJSON()).toBe('hello');
    expect(document.doc.getXmlFragment('notes').length).toBe(12);
    await document.flushed();
    document.destroy();
  });
});
