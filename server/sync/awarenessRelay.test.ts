import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createAwarenessRelay } from './awarenessRelay.ts';

/** A client's presence, as its provider would send it. */
function presence(name: string): { id: number; update: () => Uint8Array } {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState({ user: { name } });
  return { id: awareness.clientID, update: () => encodeAwarenessUpdate(awareness, [awareness.clientID]) };
}

/** The client ids in an awareness message (type 1, then the y-protocols awareness update). */
function idsIn(message: Uint8Array): number[] {
  const decoder = decoding.createDecoder(message);
  expect(decoding.readVarUint(decoder)).toBe(1);
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const ids: number[] = [];
  for (let count = decoding.readVarUint(update); count > 0; count--) {
    ids.push(decoding.readVarUint(update));
    decoding.readVarUint(update);
    decoding.readVarString(update);
  }
  return ids.sort();
}

describe('awareness relay', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState(null);
    const sent: Uint8Array[] = [];
    const relay = createAwarenessRelay<{ name: string }>(awareness, (message) => sent.push(message), 50);
    return { awareness, relay, sent };
  }

  it('merges the changes of one interval into one message', () => {
    const { relay, sent } = setup();
    const ann = presence('Ann');
    const bo = presence('Bo');
    relay.apply(ann.update(), { name: 'a' });
    relay.apply(bo.update(), { name: 'b' });
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(sent.map(idsIn)).toEqual([[ann.id, bo.id].sort()]);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1);
  });

  it("removes only the states a leaving peer set itself, not echoes of others' it relayed", () => {
    const { awareness, relay } = setup();
    const peerA = { name: 'a' };
    const peerB = { name: 'b' };
    const ann = presence('Ann');
    const bo = presence('Bo');
    relay.apply(ann.update(), peerA);
    relay.apply(bo.update(), peerB);
    relay.apply(ann.update(), peerB); // an echo with the same clock changes nothing, so claims nothing
    relay.removePeer(peerB);
    expect([...awareness.getStates().keys()]).toEqual([ann.id]);
    relay.removePeer(peerA);
    expect(awareness.getStates().size).toBe(0);
    expect(relay.snapshot()).toBeNull();
  });

  it('gives a snapshot of every current state, and sends nothing once stopped', () => {
    const { relay, sent } = setup();
    const ann = presence('Ann');
    relay.apply(ann.update(), { name: 'a' });
    const snapshot = relay.snapshot();
    expect(snapshot && idsIn(snapshot)).toEqual([ann.id]);
    relay.stop();
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(0);
  });
});
