import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { keepPresenceAcrossReconnects, type PresenceProvider } from './presenceAcrossReconnects.ts';

/** A device's presence and the status events its provider emits, as the stock y-websocket provider does. */
function device(name: string) {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalStateField('user', { name });
  const listeners = new Set<(event: { status: string }) => void>();
  const provider: PresenceProvider = { awareness, on: (_event, listener) => void listeners.add(listener), off: (_event, listener) => void listeners.delete(listener) };
  const stop = keepPresenceAcrossReconnects(provider);
  return {
    awareness,
    stop,
    /** What the provider does when its socket closes: everyone else's state goes, then it says so. */
    disconnect() {
      removeAwarenessStates(awareness, [...awareness.getStates().keys()].filter((id) => id !== awareness.clientID), 'provider');
      for (const listener of listeners) listener({ status: 'disconnected' });
    },
    connect: () => listeners.forEach((listener) => listener({ status: 'connected' })),
    /** This device's own state as it sends it. */
    own: () => encodeAwarenessUpdate(awareness, [awareness.clientID]),
  };
}

const sees = (awareness: Awareness, other: Awareness) => awareness.getStates().has(other.clientID);

describe('presence across reconnects', () => {
  it("takes the others' states again at once after this device reconnected, though their clocks did not move", () => {
    const [ann, bo] = [device('Ann'), device('Bo')];
    applyAwarenessUpdate(bo.awareness, ann.own(), 'server');
    expect(sees(bo.awareness, ann.awareness)).toBe(true);
    bo.disconnect();
    expect(sees(bo.awareness, ann.awareness)).toBe(false);
    // The server's snapshot on reconnect carries Ann's state with the clock Bo had already seen.
    applyAwarenessUpdate(bo.awareness, ann.own(), 'server');
    expect(bo.awareness.getStates().get(ann.awareness.clientID)).toEqual({ user: { name: 'Ann' } });
  });

  it('sends its own state with a higher clock on every connect, so those who saw it removed take it back', () => {
    const [ann, bo] = [device('Ann'), device('Bo')];
    applyAwarenessUpdate(bo.awareness, ann.own(), 'server');
    // Ann's socket closed; the server told Bo she left, at the clock he had.
    const left = new Awareness(new Y.Doc());
    applyAwarenessUpdate(left, ann.own(), 'server');
    removeAwarenessStates(left, [ann.awareness.clientID], 'connection closed');
    applyAwarenessUpdate(bo.awareness, encodeAwarenessUpdate(left, [ann.awareness.clientID]), 'server');
    expect(sees(bo.awareness, ann.awareness)).toBe(false);
    ann.connect();
    applyAwarenessUpdate(bo.awareness, ann.own(), 'server');
    expect(sees(bo.awareness, ann.awareness)).toBe(true);
  });

  it("never changes someone else's state, and a device that left presence off stays off", () => {
    const [ann, viewer] = [device('Ann'), device('Viewer')];
    viewer.awareness.setLocalState(null);
    applyAwarenessUpdate(viewer.awareness, ann.own(), 'server');
    const before = ann.awareness.meta.get(ann.awareness.clientID)?.clock;
    viewer.connect();
    expect(viewer.awareness.getLocalState()).toBeNull();
    expect(viewer.awareness.getStates().get(ann.awareness.clientID)).toEqual({ user: { name: 'Ann' } });
    expect(ann.awareness.meta.get(ann.awareness.clientID)?.clock).toBe(before);
    ann.stop();
    viewer.stop();
  });
});
