import * as encoding from 'lib0/encoding';
import { writeSyncStep2, writeUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { decodeClientMessage } from '/work/main/server/sync/messages.ts';
import { createGuardedDoc } from '/work/main/server/sync/guardedDoc.ts';

const writers = Array.from({ length: 4 }, () => new Y.Doc());
function realMessage(i: number, from: Y.Doc): Uint8Array {
  const doc = writers[i % writers.length]!;
  const t = doc.getText('t');
  const sv = Y.encodeStateVector(doc);
  t.insert(Math.floor(Math.random() * (t.length + 1)), 'w' + i);
  if (i % 3 === 0) doc.getMap('m').set('k' + (i % 5), { a: [i, 'x'] });
  if (i % 2 === 0 && t.length > 30) t.delete(Math.floor(Math.random() * (t.length - 5)), 3);
  if (i % 7 === 0) { const x = new Y.XmlElement('p'); x.insert(0, [new Y.XmlText('hi')]); doc.getXmlFragment('notes').push([x]); }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  if (i % 4 === 0) writeSyncStep2(e, doc, Y.encodeStateVector(from)); else writeUpdate(e, Y.encodeStateAsUpdate(doc, sv));
  return encoding.toUint8Array(e);
}
const mirror = new Y.Doc();
const guarded = createGuardedDoc([], (u) => Y.applyUpdate(mirror, u));
let malformed = 0, rejected = 0, applied = 0, rejectChanged = 0, divergent = 0;
const fp = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('hex') + '|' + d.getText('t').toString() + '|' + JSON.stringify(d.getMap('m').toJSON()) + d.getXmlFragment('notes').toString();
for (let i = 0; i < 60000; i++) {
  const clean = realMessage(i, guarded.current);
  // feed clean message to keep writers in sync with the server sometimes
  const m = clean.slice();
  const flips = i % 4;
  for (let f = 0; f < flips; f++) { const at = Math.floor(Math.random() * m.length); m[at] ^= 1 << Math.floor(Math.random() * 8); }
  const r = decodeClientMessage(m);
  if (!r.ok) { malformed++; } else if (r.message.type === 'update' || r.message.type === 'syncStep2') {
    const before = fp(guarded.current);
    if (guarded.apply(r.message.update, { kind: 'connection' })) applied++;
    else { rejected++; if (fp(guarded.current) !== before) rejectChanged++; }
  }
  if (i % 500 === 0) { if (fp(guarded.current) !== fp(mirror)) { divergent++; console.log('DIVERGENT at', i); } }
  // writers learn the server state now and then (like a sync), so updates keep referencing shared content
  if (i % 50 === 0) for (const w of writers) Y.applyUpdate(w, Y.encodeStateAsUpdate(guarded.current));
}
console.log({ malformed, rejected, applied, rejectChanged, divergent, final: fp(guarded.current) === fp(mirror), textLen: guarded.current.getText('t').length });
