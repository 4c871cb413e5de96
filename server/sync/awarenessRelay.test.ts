import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { AWARENESS_MAX_HOLD_MS, createAwarenessRelay, OWN_ECHO_EVERY_MS, type PresencePeer } from './awarenessRelay.ts';

/** A client's presence, as its provider would send it. */
function presence(name: string): { id: number; update: () => Uint8Array; rename: (to: string) => void; leave: () => void } {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState({ user: { name } });
  return {
    id: awareness.clientID,
    update: () => encodeAwarenessUpdate(awareness, [awareness.clientID]),
    rename: (to) => awareness.setLocalState({ user: { name: to } }),
    leave: () => awareness.setLocalState(null),
  };
}

const nameIn = (awareness: Awareness, id: number): unknown => (awareness.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name;

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
  // performance too: how long presence has waited is measured with performance.now().
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  function setup(writeInFlight?: () => boolean) {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState(null);
    const sent: Uint8Array[] = [];
    const relay = createAwarenessRelay<PresencePeer>(awareness, { broadcast: (message) => sent.push(message), onFault: (error) => { throw error; }, limits: SYNC_LIMITS.presence, intervalMs: 50, ...(writeInFlight ? { writeInFlight } : {}) });
    return { awareness, relay, sent };
  }

  it("waits for the document's write in flight and goes out with it, not in a write of its own", () => {
    let writing = true;
    const { relay, sent } = setup(() => writing);
    const ann = presence('Ann');
    relay.apply(ann.update(), { subject: 'a' });
    vi.advanceTimersByTime(200);
    expect(sent).toHaveLength(0);
    // The write's broadcast takes it along; nothing is left for the timer.
    const taken = relay.takePending();
    expect(taken && idsIn(taken.message)).toEqual([ann.id]);
    writing = false;
    vi.advanceTimersByTime(AWARENESS_MAX_HOLD_MS);
    expect(sent).toHaveLength(0);
  });

  it('goes out on its own after the longest hold when the write does not end (a database out of reach)', () => {
    const { relay, sent } = setup(() => true);
    const ann = presence('Ann');
    relay.apply(ann.update(), { subject: 'a' });
    vi.advanceTimersByTime(AWARENESS_MAX_HOLD_MS - 50);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(sent.map(idsIn)).toEqual([[ann.id]]);
    // The next change waits afresh.
    ann.rename('Ann (phone)');
    relay.apply(ann.update(), { subject: 'a' });
    vi.advanceTimersByTime(AWARENESS_MAX_HOLD_MS - 50);
    expect(sent).toHaveLength(1);
  });

  it('goes out after the interval when no write is in flight', () => {
    const { relay, sent } = setup(() => false);
    relay.apply(presence('Ann').update(), { subject: 'a' });
    vi.advanceTimersByTime(50);
    expect(sent).toHaveLength(1);
  });

  it('spares a connection its own states back, yet lets it hear them at least every OWN_ECHO_EVERY_MS', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState(null);
    const timed: [number[], PresencePeer | null][] = [];
    const relay = createAwarenessRelay<PresencePeer>(awareness, { broadcast: (message, except) => void timed.push([idsIn(message), except]), onFault: (error) => { throw error; }, limits: SYNC_LIMITS.presence, intervalMs: 50 });
    const ann = presence('Ann');
    const annPeer = { subject: 'a' };
    const moves = (to: string) => {
      ann.rename(to);
      relay.apply(ann.update(), annPeer);
    };
    moves('Ann 1');
    expect(relay.takePending()?.notFor).toBeNull(); // the first time, she hears it
    moves('Ann 2');
    expect(relay.takePending()?.notFor).toBe(annPeer);
    vi.advanceTimersByTime(OWN_ECHO_EVERY_MS - 1);
    moves('Ann 3');
    expect(relay.takePending()?.notFor).toBe(annPeer);
    vi.advanceTimersByTime(1);
    moves('Ann 4');
    expect(relay.takePending()?.notFor).toBeNull();
    // The timed message spares her as well.
    moves('Ann 5');
    vi.advanceTimersByTime(50);
    expect(timed).toEqual([[[ann.id], annPeer]]);
  });

  it("sends everyone a message that holds several connections' states, or a state that was removed", () => {
    const { relay } = setup();
    const [ann, bo] = [presence('Ann'), presence('Bo')];
    const [annPeer, boPeer] = [{ subject: 'a' }, { subject: 'b' }];
    relay.apply(ann.update(), annPeer);
    relay.apply(bo.update(), boPeer);
    expect(relay.takePending()?.notFor).toBeNull();
    ann.rename('Ann (phone)');
    relay.apply(ann.update(), annPeer);
    bo.rename('Bo (phone)');
    relay.apply(bo.update(), boPeer);
    expect(relay.takePending()?.notFor).toBeNull();
    relay.removePeer(annPeer);
    expect(relay.takePending()?.notFor).toBeNull();
  });

  it('merges the changes of one interval into one message', () => {
    const { relay, sent } = setup();
    const ann = presence('Ann');
    const bo = presence('Bo');
    relay.apply(ann.update(), { subject: 'a' });
    relay.apply(bo.update(), { subject: 'b' });
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(sent.map(idsIn)).toEqual([[ann.id, bo.id].sort()]);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1);
  });

  it("removes only the states a leaving peer set itself, not echoes of others' it relayed", () => {
    const { awareness, relay } = setup();
    const peerA = { subject: 'a' };
    const peerB = { subject: 'b' };
    const ann = presence('Ann');
    const bo = presence('Bo');
    relay.apply(ann.update(), peerA);
    relay.apply(bo.update(), peerB);
    expect(relay.apply(ann.update(), peerB).refusedOthers).toBe(0); // an echo with the same clock changes nothing, so claims nothing
    relay.removePeer(peerB);
    expect([...awareness.getStates().keys()]).toEqual([ann.id]);
    relay.removePeer(peerA);
    expect(awareness.getStates().size).toBe(0);
    expect(relay.snapshot()).toBeNull();
  });

  it('gives a snapshot of every current state, and sends nothing once stopped', () => {
    const { relay, sent } = setup();
    const ann = presence('Ann');
    relay.apply(ann.update(), { subject: 'a' });
    const snapshot = relay.snapshot();
    expect(snapshot && idsIn(snapshot)).toEqual([ann.id]);
    relay.stop();
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(0);
  });

  it("refuses changes to another person's state: a participant cannot rename or remove someone else's cursor", () => {
    const { awareness, relay } = setup();
    const practitioner = presence('Dr Lee');
    relay.apply(practitioner.update(), { subject: 'user:lee' });
    // A family member's connection replays the practitioner's client id with a newer clock.
    practitioner.rename('not really Dr Lee');
    expect(relay.apply(practitioner.update(), { subject: 'invite:sam' }).refusedOthers).toBe(1);
    practitioner.leave();
    expect(relay.apply(practitioner.update(), { subject: 'invite:sam' }).refusedOthers).toBe(1);
    expect(nameIn(awareness, practitioner.id)).toBe('Dr Lee');
  });

  it('ignores a state presenting someone other than the connection the server authenticated', () => {
    const { awareness, relay } = setup();
    const writer = { id: 'member-sam', role: 'network_member' as const };
    const forged = new Awareness(new Y.Doc());
    forged.setLocalState({ user: { name: 'Dr Lee' }, participant: { id: 'user-lee', name: 'Dr Lee', role: 'practitioner' } });
    expect(relay.apply(encodeAwarenessUpdate(forged, [forged.clientID]), { subject: 'invite:sam', writer }).refusedOthers).toBe(1);
    expect(awareness.getStates().has(forged.clientID)).toBe(false);
    const own = new Awareness(new Y.Doc());
    own.setLocalState({ user: { name: 'Mum' }, participant: { id: 'member-sam', name: 'Mum', role: 'network_member' } });
    relay.apply(encodeAwarenessUpdate(own, [own.clientID]), { subject: 'invite:sam', writer });
    expect(awareness.getStates().has(own.clientID)).toBe(true);
  });

  it("does not let a client's local timeout of someone else remove them for everyone", () => {
    const { awareness, relay } = setup();
    const practitioner = presence('Dr Lee');
    relay.apply(practitioner.update(), { subject: 'user:lee' });
    // What the stock provider sends on when a remote state times out locally: same clock, state null.
    const timedOut = new Awareness(new Y.Doc());
    applyAwarenessUpdate(timedOut, practitioner.update(), 'server');
    removeAwarenessStates(timedOut, [practitioner.id], 'timeout');
    expect(relay.apply(encodeAwarenessUpdate(timedOut, [practitioner.id]), { subject: 'invite:sam' }).refusedOthers).toBe(1);
    expect(nameIn(awareness, practitioner.id)).toBe('Dr Lee');
  });

  it('lets a new connection of the same person take its state over, as a reconnecting tab does', () => {
    const { awareness, relay } = setup();
    const ann = presence('Ann');
    const oldTab = { subject: 'invite:ann' };
    const newTab = { subject: 'invite:ann' };
    relay.apply(ann.update(), oldTab);
    ann.rename('Ann (phone)');
    expect(relay.apply(ann.update(), newTab).refusedOthers).toBe(0);
    expect(nameIn(awareness, ann.id)).toBe('Ann (phone)');
    relay.removePeer(oldTab); // the old socket timing out later does not take the state with it
    expect(nameIn(awareness, ann.id)).toBe('Ann (phone)');
  });

  it('ends a broadcast that throws in its timer in onFault, with this document, not in the process (issue 11)', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState(null);
    const faults: unknown[] = [];
    const relay = createAwarenessRelay<PresencePeer>(awareness, {
      broadcast: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
      onFault: (error) => faults.push(error),
      limits: SYNC_LIMITS.presence,
      intervalMs: 50,
    });
    relay.apply(presence('Ann').update(), { subject: 'a' });
    expect(() => vi.advanceTimersByTime(50)).not.toThrow();
    expect(faults).toHaveLength(1);
  });

  it('applies nothing of a message that would give one connection more states than it may own', () => {
    const { awareness, relay } = setup();
    const peer = { subject: 'a' };
    const states = Array.from({ length: SYNC_LIMITS.presence.maxStatesPerConnection + 1 }, (_, i) => presence(`P${i}`));
    const merged = new Awareness(new Y.Doc());
    for (const state of states) applyAwarenessUpdate(merged, state.update(), 'test');
    const outcome = relay.apply(encodeAwarenessUpdate(merged, states.map((state) => state.id)), peer);
    expect(outcome.overLimit).toBe('connection');
    expect(awareness.getStates().size).toBe(0);
  });

  it('refuses a new state once all states of the document would pass its presence bytes', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState(null);
    const relay = createAwarenessRelay<PresencePeer>(awareness, { broadcast: () => {}, onFault: () => {}, limits: { maxStatesPerConnection: 4, maxDocumentBytes: 200 } });
    const first = presence('x'.repeat(100));
    const second = presence('y'.repeat(100));
    expect(relay.apply(first.update(), { subject: 'a' }).overLimit).toBeNull();
    expect(relay.apply(second.update(), { subject: 'b' }).overLimit).toBe('document');
    first.leave();
    expect(relay.apply(first.update(), { subject: 'a' }).overLimit).toBeNull(); // leaving always fits
    expect(relay.apply(second.update(), { subject: 'b' }).overLimit).toBeNull();
  });
});
