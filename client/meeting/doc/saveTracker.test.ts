import { describe, expect, it } from 'vitest';
import { combinedStatus, createSaveTracker, saveStateOf, type SaveStatus } from './saveTracker.ts';

function tracker() {
  let probes = 0;
  const seen: SaveStatus[] = [];
  const t = createSaveTracker({ sendProbe: () => probes++, onChange: (s) => seen.push(s) });
  return { t, probes: () => probes, seen };
}

describe('save tracker', () => {
  it('is saved once the handshake is answered and nothing was edited', () => {
    const { t, probes } = tracker();
    expect(t.status()).toEqual({ connection: 'connecting', inStep: false, pending: false });
    t.opened();
    t.syncStep2Received();
    expect(t.status()).toEqual({ connection: 'open', inStep: true, pending: false });
    expect(probes()).toBe(0);
  });

  it('says not yet saved until the answer to a probe sent after the edit comes back', () => {
    const { t, probes } = tracker();
    t.opened();
    t.syncStep2Received();
    t.localChange();
    expect(probes()).toBe(1);
    expect(t.status().pending).toBe(true);
    t.localChange(); // while the probe travels: not covered by it
    expect(probes()).toBe(1);
    t.syncStep2Received();
    expect(probes()).toBe(2);
    expect(t.status().pending).toBe(true);
    t.syncStep2Received();
    expect(t.status().pending).toBe(false);
  });

  it('does not count the handshake answer as saving edits made before or while offline', () => {
    const { t, probes } = tracker();
    t.localChange(); // e.g. loaded from this device's copy before the socket opened
    expect(probes()).toBe(0);
    t.opened();
    t.syncStep2Received(); // handshake answer
    expect(probes()).toBe(1);
    expect(t.status().pending).toBe(true);
    t.syncStep2Received();
    expect(t.status().pending).toBe(false);
  });

  it('keeps edits pending across a dropped connection and confirms them after the reconnect', () => {
    const { t, probes } = tracker();
    t.opened();
    t.syncStep2Received();
    t.localChange();
    t.closed(); // the probe's answer is lost with the socket
    t.localChange();
    expect(t.status()).toEqual({ connection: 'down', inStep: false, pending: true });
    t.opened();
    expect(t.status().pending).toBe(true);
    t.syncStep2Received();
    expect(probes()).toBe(2);
    t.syncStep2Received();
    expect(t.status()).toEqual({ connection: 'open', inStep: true, pending: false });
  });

  it('stays refused once the server has refused access', () => {
    const { t } = tracker();
    t.refused();
    t.closed();
    expect(t.status().connection).toBe('refused');
  });

  it('ignores an answer nobody asked for', () => {
    const { t } = tracker();
    t.syncStep2Received();
    expect(t.status()).toEqual({ connection: 'connecting', inStep: false, pending: false });
  });
});

describe('saveStateOf', () => {
  it('says saved only when connected, in step and nothing is pending', () => {
    expect(saveStateOf({ connection: 'open', inStep: true, pending: false })).toBe('saved');
    expect(saveStateOf({ connection: 'open', inStep: true, pending: true })).toBe('saving');
    expect(saveStateOf({ connection: 'open', inStep: false, pending: true })).toBe('saving');
    expect(saveStateOf({ connection: 'connecting', inStep: false, pending: false })).toBe('connecting');
    expect(saveStateOf({ connection: 'down', inStep: false, pending: true })).toBe('offline-unsaved');
    expect(saveStateOf({ connection: 'down', inStep: false, pending: false })).toBe('offline-saved');
    expect(saveStateOf({ connection: 'refused', inStep: false, pending: true })).toBe('refused');
  });
});

describe('combinedStatus', () => {
  it('is saved only when every document is, and as disconnected as the worst', () => {
    const saved: SaveStatus = { connection: 'open', inStep: true, pending: false };
    expect(combinedStatus(saved, saved)).toEqual(saved);
    expect(combinedStatus(saved, { connection: 'down', inStep: false, pending: true })).toEqual({ connection: 'down', inStep: false, pending: true });
    expect(saveStateOf(combinedStatus(saved, { connection: 'open', inStep: true, pending: true }))).toBe('saving');
  });
});
