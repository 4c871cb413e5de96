import * as encoding from 'lib0/encoding';
import { writeSyncStep2, writeUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { decodeClientMessage } from '/work/main/server/sync/messages.ts';
import { createGuardedDoc } from '/work/main/server/sync/guardedDoc.ts';

const N = Number(process.argv[2] ?? 5000);
const writers = Array.from({ length: 4 }, () => new Y.Doc());
function realMessage(i: number, from: Y.Doc): Uint8Array {
  const doc = writers[i % writers.length]!;
  const t = doc.getText('t');
  const sv = Y.encodeStateVector(doc);
  t.insert(Math.floor(Math.random() * (t.length + 1)), 'w' + i);
  if (i % 3 === 0) doc.getMap('m').set('k' + (i % 5), { a: [i, 'x'] });
  if (i % 2 === 0 && t.length > 30) t.delete(Math.floor(Math.random() * (t.length - 5)), 3);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  if (i % 4 === 0) writeSyncStep2(e, doc, Y.encodeStateVector(from)); else writeUpdate(e, Y.encodeStateAsUpdate(doc, sv));
  return encoding.toUint8Array(e);
}
const mirror = new Y.Doc();
import { writeFileSync } from 'node:fs';
let currentU: Uint8Array | null = null; let beforeState: Uint8Array | null = null;
const guarded = createGuardedDoc([], (u) => { try { Y.applyUpdate(mirror, u) } catch (e) { writeFileSync('/tmp/fuzz/poison-u.bin', currentU!); writeFileSync('/tmp/fuzz/poison-before.bin', beforeState!); writeFileSync('/tmp/fuzz/poison-c.bin', u); console.log('MIRROR THREW', (e as Error).message); process.exit(3); } });
let malformed = 0, rejected = 0, applied = 0, rejectChanged = 0, divergent = 0;
const fp = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('hex') + '|' + d.getText('t').toString() + '|' + JSON.stringify(d.getMap('m').toJSON());
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const m = realMessage(i, guarded.current).slice();
  const flips = i % 4;
  for (let f = 0; f < flips; f++) { const at = Math.floor(Math.random() * m.length); m[at] ^= 1 << Math.floor(Math.random() * 8); }
  const r = decodeClientMessage(m);
  if (!r.ok) { malformed++; } else if (r.message.type === 'update' || r.message.type === 'syncStep2') {
    const before = i % 10 === 0 ? fp(guarded.current) : null;
    currentU = r.message.update; beforeState = Y.encodeStateAsUpdate(guarded.current);
    if (guarded.apply(r.message.update, { kind: 'connection' })) applied++;
    else { rejected++; if (before !== null && fp(guarded.current) !== before) rejectChanged++; }
  }
  if (i % 500 === 0) { if (fp(guarded.current) !== fp(mirror)) { divergent++; console.log('DIVERGENT at', i); } }
  if (i % 200 === 0) for (const w of writers) { try { Y.applyUpdate(w, Y.encodeStateAsUpdate(guarded.current)); } catch (e) { console.log('WRITER SYNC THREW', (e as Error).message); process.exit(4); } }
}
console.log({ N, ms: Math.round(performance.now() - t0), malformed, rejected, applied, rejectChanged, divergent, final: fp(guarded.current) === fp(mirror), textLen: guarded.current.getText('t').length });
