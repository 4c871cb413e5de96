import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { writePermissionDenied } from 'y-protocols/auth';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate, writeSyncStep1, writeSyncStep2, writeUpdate } from 'y-protocols/sync';
import { SYNC_MESSAGE } from '../../shared/protocol/sync.ts';
import type { SyncLimits } from '../../shared/protocol/syncLimits.ts';
import { jsonDepth } from './jsonDepth.ts';
import { readPresenceEntries } from './presenceEntries.ts';
import { checkUpdateBounds, UpdateTooLargeError, type UpdateShape } from './updateBounds.ts';

/**
 * A frame from a client, fully decoded and checked. Decoding never touches a document, so a frame that
 * fails here has changed nothing; and y-protocols' `readSyncMessage` (which applies updates as it reads)
 * is never used on client input.
 */
export type ClientMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  | { type: 'syncStep2'; update: Uint8Array; shape: UpdateShape }
  | { type: 'update'; update: Uint8Array; shape: UpdateShape }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'queryAwareness' };

export type DecodeResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; reason: 'malformed' | 'unknown_type' }
  /** Well-formed, but beyond a limit of what one update or presence state may hold. */
  | { ok: false; reason: 'too_large'; what: 'update' | 'presence' };

/** The limits that decoding enforces. */
export type DecodeLimits = Pick<SyncLimits, 'maxUpdateStructs' | 'presence'>;

/**
 * Decodes one binary frame. `frame` must own its buffer (not be a view into a larger pooled one), so that
 * a lying length prefix cannot read past the frame.
 */
export function decodeClientMessage(frame: Uint8Array, limits: DecodeLimits): DecodeResult {
  try {
    const decoder = decoding.createDecoder(frame);
    const message = readMessage(decoder, limits);
    if (message === null) return { ok: false, reason: 'unknown_type' };
    // One message per frame, as the stock provider sends: trailing bytes mean a corrupt or crafted frame.
    if (decoding.hasContent(decoder)) return { ok: false, reason: 'malformed' };
    return { ok: true, message };
  } catch (error) {
    if (error instanceof UpdateTooLargeError) return { ok: false, reason: 'too_large', what: 'update' };
    if (error instanceof PresenceTooLargeError) return { ok: false, reason: 'too_large', what: 'presence' };
    // lib0 and Yjs throw on truncated input, impossible lengths, bad JSON and deep recursion alike.
    return { ok: false, reason: 'malformed' };
  }
}

class PresenceTooLargeError extends RangeError {}

function readMessage(decoder: decoding.Decoder, limits: DecodeLimits): ClientMessage | null {
  switch (decoding.readVarUint(decoder)) {
    case SYNC_MESSAGE.sync:
      return readSyncMessage(decoder, limits.maxUpdateStructs);
    case SYNC_MESSAGE.awareness: {
      const update = readBytes(decoder);
      validateAwarenessUpdate(update, limits.presence);
      return { type: 'awareness', update };
    }
    case SYNC_MESSAGE.queryAwareness:
      return { type: 'queryAwareness' };
    default:
      // Includes `auth`: only the server sends those.
      return null;
  }
}

function readSyncMessage(decoder: decoding.Decoder, maxStructs: number): ClientMessage | null {
  switch (decoding.readVarUint(decoder)) {
    case messageYjsSyncStep1: {
      const stateVector = readBytes(decoder);
      Y.decodeStateVector(stateVector);
      return { type: 'syncStep1', stateVector };
    }
    case messageYjsSyncStep2:
      return { type: 'syncStep2', ...readUpdate(decoder, maxStructs) };
    case messageYjsUpdate:
      return { type: 'update', ...readUpdate(decoder, maxStructs) };
    default:
      return null;
  }
}

/**
 * True for the update that changes nothing: no structs and an empty delete set, which Yjs encodes as
 * exactly these two bytes (e.g. a client's SyncStep2 when it has nothing the server lacks).
 */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/** A Yjs update (v1), parsed in full and bounds-checked, without touching any document. */
function readUpdate(decoder: decoding.Decoder, maxStructs: number): { update: Uint8Array; shape: UpdateShape } {
  const update = readBytes(decoder);
  return { update, shape: checkUpdateBounds(update, maxStructs) };
}

/** A length-prefixed byte string, bounds-checked, copied into its own buffer for the same reason as the frame. */
function readBytes(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder);
  if (length > decoder.arr.length - decoder.pos) throw new RangeError('length prefix beyond the frame');
  return decoding.readUint8Array(decoder, length).slice();
}

/**
 * Reads an awareness update the way y-protocols will, so that applying it cannot throw half-way (its
 * reader applies entry by entry), and refuses states too large or too deep: y-protocols compares states
 * and the relay re-encodes them recursively, later, where a stack overflow would take the process down.
 */
function validateAwarenessUpdate(update: Uint8Array, limits: DecodeLimits['presence']): void {
  for (const entry of readPresenceEntries(update)) {
    if (entry.bytes > limits.maxStateBytes) throw new PresenceTooLargeError('presence state too large');
    if (jsonDepth(entry.state, limits.maxStateDepth) > limits.maxStateDepth) throw new PresenceTooLargeError('presence state too deep');
    JSON.parse(entry.state);
  }
}

/** The server's state vector, so that the client sends what the server lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return frame(SYNC_MESSAGE.sync, (encoder) => writeSyncStep1(encoder, doc));
}

/** What the client lacks, given its state vector. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return frame(SYNC_MESSAGE.sync, (encoder) => writeSyncStep2(encoder, doc, stateVector));
}

export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  return frame(SYNC_MESSAGE.sync, (encoder) => writeUpdate(encoder, update));
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  return frame(SYNC_MESSAGE.awareness, (encoder) => encoding.writeVarUint8Array(encoder, awarenessUpdate));
}

/** y-protocols auth "permission denied"; the stock provider logs `reason`. */
export function encodePermissionDenied(reason: string): Uint8Array {
  return frame(SYNC_MESSAGE.auth, (encoder) => writePermissionDenied(encoder, reason));
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}
