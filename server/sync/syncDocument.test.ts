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
