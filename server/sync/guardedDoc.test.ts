import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createGuardedDoc } from './guardedDoc.ts';
import { REMOTE_EDIT } from './origins.ts';
import { halfApplicableUpdate } from '../../tests/helpers/corruptUpdates.ts';

/** A guarded doc over `history`, and a mirror that applies exactly what the guarded doc reports (the store). */
function guardedWithMirror(history: Uint8Array[] = []) {
  const mirror = new Y.Doc();
  for (const update of history) Y.applyUpdate(mirror, update);
  const reported: Uint8Array[] = [];
  const senderLacks: boolean[] = [];
  const guarded = createGuardedDoc(history, (update, _origin, senderLacksIt) => {
    reported.push(update);
    senderLacks.push(senderLacksIt);
    Y.applyUpdate(mirror, update);
  });
  return { guarded, mirror, reported, senderLacks };
}

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('guarded document', () => {
  it('loads the history and reports what each update changed', () => {
    const { guarded, mirror, reported } = guardedWithMirror([textUpdate('stored')]);
    expect(guarded.current.getText('t').toJSON()).toBe('stored');
    expect(guarded.apply(textUpdate('new '), REMOTE_EDIT)).toBe(true);
    expect(reported).toHaveLength(1);
    expect(mirror.getText('t').toJSON()).toBe(guarded.current.getText('t').toJSON());
    // A duplicate changes nothing and reports nothing.
    expect(guarded.apply(Y.encodeStateAsUpdate(guarded.current), REMOTE_EDIT)).toBe(true);
    expect(reported).toHaveLength(1);
  });

  it('refuses an update Yjs throws on half-way, and the live document never sees any of it', () => {
    const { guarded, reported } = guardedWithMirror([textUpdate('before')]);
    // The plain Yjs behaviour this guards against:
    const plain = new Y.Doc();
    expect(() => Y.applyUpdate(plain, halfApplicableUpdate())).toThrow();
    expect(plain.getText('t').toJSON()).toBe('ok');

    const live = guarded.current;
    expect(guarded.apply(halfApplicableUpdate(), REMOTE_EDIT)).toBe(false);
    expect(guarded.current).toBe(live);
    expect(live.getText('t').toJSON()).toBe('before');
    expect(reported).toHaveLength(0);
    // The twin was rebuilt: later updates go through as before.
    expect(guarded.apply(textUpdate('after '), REMOTE_EDIT)).toBe(true);
    expect(guarded.current.getText('t').toJSON()).toContain('after');
  });

  it('says the sender lacks the result when its update released a deletion that arrived earlier', () => {
    const writer = new Y.Doc();
    writer.clientID = 1;
    writer.getText('t').insert(0, 'ab');
    const { guarded, reported, senderLacks } = guardedWithMirror([Y.encodeStateAsUpdate(writer)]);
    // Someone deletes the writer's clocks 5–6, which do not exist yet: Yjs keeps the deletion pending.
    const deletion = encoding.createEncoder();
    for (const field of [0, 1, 1, 1, 5, 2]) encoding.writeVarUint(deletion, field);
    expect(guarded.apply(encoding.toUint8Array(deletion), REMOTE_EDIT)).toBe(true);
    expect(reported).toHaveLength(0);

    const stateBefore = Y.encodeStateVector(writer);
    writer.getText('t').insert(2, 'cdefgh');
    expect(guarded.apply(Y.encodeStateAsUpdate(writer, stateBefore), REMOTE_EDIT)).toBe(true);
    expect(guarded.current.getText('t').toJSON()).toBe('abcdeh');
    expect(senderLacks).toEqual([true]);
    // Without pending parts, the sender has everything already.
    expect(guarded.apply(textUpdate('x'), REMOTE_EDIT)).toBe(true);
    expect(senderLacks).toEqual([true, false]);
  });

  it('lets the twin take over when the live document throws where the twin did not', () => {
    const { guarded, mirror, reported, senderLacks } = guardedWithMirror([textUpdate('before')]);
    const live = guarded.current;
    live.getText('t').observe(() => {
      throw new Error('an observer failed mid-transaction');
    });

    expect(guarded.apply(textUpdate('added '), REMOTE_EDIT)).toBe(true);
    expect(guarded.current).not.toBe(live);
    expect(senderLacks).toEqual([true]);
    expect(guarded.current.getText('t').toJSON()).toContain('added');
    // What was reported brings the store exactly to the new live state.
    expect(reported).toHaveLength(1);
    expect(Y.encodeStateVector(mirror)).toEqual(Y.encodeStateVector(guarded.current));
    expect(mirror.getText('t').toJSON()).toBe(guarded.current.getText('t').toJSON());
    expect(guarded.apply(textUpdate('more '), REMOTE_EDIT)).toBe(true);
    expect(mirror.getText('t').toJSON()).toBe(guarded.current.getText('t').toJSON());
  });
});
