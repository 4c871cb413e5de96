import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { SYNC_MESSAGE } from '../../shared/protocol/sync.ts';

/** One presence entry as y-protocols writes it; `state` is the JSON text sent (`'null'` for "left"). */
export interface RawPresence {
  clientId: number;
  clock: number;
  state: string;
}

/** An awareness message carrying exactly these entries, whatever their JSON looks like. */
export function presenceFrame(entries: readonly RawPresence[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(update, entry.clientId);
    encoding.writeVarUint(update, entry.clock);
    encoding.writeVarString(update, entry.state);
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, SYNC_MESSAGE.awareness);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}

/** A sync "update" message around a Yjs update. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, SYNC_MESSAGE.sync);
  encoding.writeVarUint(frame, 2);
  encoding.writeVarUint8Array(frame, update);
  return encoding.toUint8Array(frame);
}

/** The JSON text of arrays nested `depth` deep: the shape of issue 11's 12 KB presence state at 6,000. */
export function nestedJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** An update from a fresh client inserting `text` into the shared text `t` (one struct, however long). */
export function textInsert(text: string, clientId?: number): Uint8Array {
  const doc = new Y.Doc();
  if (clientId !== undefined) doc.clientID = clientId;
  doc.getText('t').insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** True for an awareness (presence) message. */
export function isAwareness(message: Uint8Array): boolean {
  return message[0] === SYNC_MESSAGE.awareness;
}
