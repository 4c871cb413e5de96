import * as encoding from 'lib0/encoding';

/**
 * A Yjs update that passes every check short of applying it: client 200 inserts "ok" into the root text
 * 't' (fine), then client 100's first item names an origin in its own, still empty, range, and Yjs throws
 * while integrating it, after "ok" went in. Applied directly, a server would store and broadcast half of it.
 */
export function halfApplicableUpdate(): Uint8Array {
  const encoder = encoding.createEncoder();
  const uint = (value: number): void => encoding.writeVarUint(encoder, value);
  const text = (value: string): void => encoding.writeVarString(encoder, value);
  uint(2);
  // Client 200: one item (info 4: a string) whose parent is the root type 't'.
  uint(1); uint(200); uint(0); encoding.writeUint8(encoder, 4); uint(1); text('t'); text('ok');
  // Client 100: one item with an origin (info 0x80 | 4), pointing at its own clock 5, which does not exist.
  uint(1); uint(100); uint(0); encoding.writeUint8(encoder, 0x80 | 4); uint(100); uint(5); text('x');
  uint(0);
  return encoding.toUint8Array(encoder);
}
