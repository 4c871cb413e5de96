import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One client's presence in a y-protocols awareness update. */
export interface PresenceEntry {
  clientId: number;
  clock: number;
  /** The state as JSON text (`null` for "left"), kept as sent. */
  state: string;
  /** UTF-8 bytes of `state` on the wire. */
  bytes: number;
}

/** The entries of an awareness update; throws on a truncated one or trailing bytes. */
export function readPresenceEntries(update: Uint8Array): PresenceEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: PresenceEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const bytes = decoding.peekVarUint(decoder);
    entries.push({ clientId, clock, state: decoding.readVarString(decoder), bytes });
  }
  if (decoding.hasContent(decoder)) throw new RangeError('trailing bytes in awareness update');
  return entries;
}

export function writePresenceEntries(entries: readonly PresenceEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}
