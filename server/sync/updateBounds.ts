import * as Y from 'yjs';

/**
 * Highest clock an update may reach. Real clocks count one client's insertions (far below this); a
 * corrupted one near 2^53 would be stored, then make every later reader throw "Integer out of Range" on
 * the document's state vector, a poison pill for the whole meeting.
 */
export const MAX_UPDATE_CLOCK = 2 ** 40;

/** Throws unless `update` parses, and its clocks and ranges are ones Yjs can encode and read back. */
export function checkUpdateBounds(update: Uint8Array): void {
  const { structs, ds } = Y.decodeUpdate(update);
  // Yjs never writes an empty struct or delete range, but it trips over one later (an empty struct breaks
  // its binary search, an empty range its re-encoding), after part of the update was applied.
  for (const struct of structs) {
    if (struct.length < 1 || struct.id.clock + struct.length > MAX_UPDATE_CLOCK) throw new RangeError('struct out of range');
  }
  for (const ranges of ds.clients.values()) {
    for (const range of ranges) {
      if (range.len < 1 || range.clock + range.len > MAX_UPDATE_CLOCK) throw new RangeError('delete range out of range');
    }
  }
}

/**
 * Throws unless `update` would load into a fresh document: what the server stores must always load again,
 * or one bad row would make the meeting's notes unreadable for everyone.
 */
export function checkLoadable(update: Uint8Array): void {
  checkUpdateBounds(update);
  // A fixed guid: Yjs would otherwise draw a random UUID, ~30 crypto calls, per update checked.
  const probe = new Y.Doc({ guid: 'load-probe' });
  // Observed, so that Yjs also runs its re-encoding of what it could not apply (where some faults surface).
  probe.on('update', () => {});
  try {
    Y.applyUpdate(probe, update);
  } finally {
    probe.destroy();
  }
}
