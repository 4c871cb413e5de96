import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ClientBindings } from './clientBindings.ts';

const at = '2026-12-01T10:00:00.000Z';

function typed(clientId: number, text: string, base?: Y.Doc): { update: Uint8Array; structs: (Y.Item | Y.GC | Y.Skip)[] } {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  // Set afterwards: Yjs picks a new id when an update brings content of its own (taken, it thinks).
  doc.clientID = clientId;
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(0, text);
  const update = Y.encodeStateAsUpdate(doc, before);
  return { update, structs: Y.decodeUpdate(update).structs };
}

describe('binding Yjs client ids to the participant who writes with them', () => {
  it('binds a new client id to its first writer and refuses it to anyone else', () => {
    const doc = new Y.Doc();
    const bindings = new ClientBindings([]);
    const first = typed(7, 'hello');
    const claimed = bindings.check(doc, first.structs, 'user-pat', at);
    expect(claimed).toEqual({ fresh: [{ clientId: 7, participantId: 'user-pat', at }] });
    if ('fresh' in claimed) bindings.bind(claimed.fresh);
    Y.applyUpdate(doc, first.update);
    expect(bindings.ownerOf(7)).toBe('user-pat');
    // The same person again: nothing new to bind.
    expect(bindings.check(doc, typed(7, 'more', doc).structs, 'user-pat', at)).toEqual({ fresh: [] });
    // Someone else with Pat's client id: refused.
    expect(bindings.check(doc, typed(7, 'forged', doc).structs, 'member-sam', at)).toEqual({ refused: 7 });
  });

  it('starts from the stored bindings, and lets anyone send back content the document already holds', () => {
    const doc = new Y.Doc();
    const pats = typed(7, 'hello');
    Y.applyUpdate(doc, pats.update);
    const bindings = new ClientBindings([{ clientId: 7, participantId: 'user-pat', at }]);
    expect(bindings.check(doc, pats.structs, 'member-sam', at)).toEqual({ fresh: [] });
    expect(bindings.check(doc, typed(7, 'x', doc).structs, 'member-sam', at)).toEqual({ refused: 7 });
  });

  it('takes back a binding whose update was not applied', () => {
    const bindings = new ClientBindings([]);
    const fresh = [{ clientId: 9, participantId: 'member-sam', at }];
    bindings.bind(fresh);
    bindings.unbind(fresh);
    expect(bindings.ownerOf(9)).toBeUndefined();
  });
});
