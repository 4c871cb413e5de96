import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkConflictScan } from './conflictScan.ts';
import { checkUpdateBounds, UpdateTooLargeError } from './updateBounds.ts';

/** `count` paragraphs inserted one by one at the front of the notes by client `clientId`. */
function frontInserts(clientId: number, count: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const notes = doc.getXmlFragment('notes');
  doc.transact(() => {
    for (let i = 0; i < count; i++) notes.insert(0, [new Y.XmlElement('paragraph')]);
  });
  return Y.encodeStateAsUpdate(doc);
}

describe('conflict scan budget (issue 11: Yjs is quadratic in concurrent inserts at one place)', () => {
  it('refuses, before applying it, an update whose inserts would each walk past thousands of concurrent ones', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, frontInserts(1, 4_000));
    const attack = checkUpdateBounds(frontInserts(2, 4_000));
    expect(() => checkConflictScan(doc, attack.structs, 100_000)).toThrow(UpdateTooLargeError);
  });

  it('lets typing and a long offline run at the end through with a handful of steps', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'shared start');
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(doc));
    // Meanwhile others append 2,000 times at the end...
    for (let i = 0; i < 2_000; i++) text.insert(text.length, `${i} `);
    // ...and the offline person types 2,000 characters at the end, one by one.
    const before = Y.encodeStateVector(offline);
    for (let i = 0; i < 2_000; i++) offline.getText('t').insert(offline.getText('t').length, 'x');
    const catchUp = checkUpdateBounds(Y.encodeStateAsUpdate(offline, before));
    expect(() => checkConflictScan(doc, catchUp.structs, 10_000)).not.toThrow();
  });

  it('finds the parents of a chain of the update\'s own inserts once per struct, within the budget', () => {
    // 4,000 front inserts name their parent only through each other (each one's right origin is the one
    // before it): following that chain per struct was quadratic and outside the budget.
    const chain = checkUpdateBounds(frontInserts(3, 4_000));
    expect(() => checkConflictScan(new Y.Doc(), chain.structs, 4_500)).not.toThrow();
    expect(() => checkConflictScan(new Y.Doc(), chain.structs, 3_000)).toThrow(UpdateTooLargeError);
  });
});
