import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isEmptyUpdate } from './messages.ts';

describe('isEmptyUpdate', () => {
  it('is true for what an up-to-date client sends as its SyncStep2', () => {
    const server = new Y.Doc();
    server.getText('t').insert(0, 'shared');
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)))).toBe(true);
  });

  it('is false for an update that only deletes, and for one that inserts', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'abc');
    const before = Y.encodeStateVector(doc);
    doc.getText('t').delete(0, 1);
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc, before))).toBe(false);
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc))).toBe(false);
  });
});
