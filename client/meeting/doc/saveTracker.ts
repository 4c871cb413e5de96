/**
 * Knows honestly whether this client's edits are stored on the server.
 *
 * y-websocket has no acknowledgements, but the server handles a connection's messages in order and answers
 * a SyncStep1 only once everything it applied before is stored. So a SyncStep1 sent after some local edits
 * (a "probe") is an acknowledgement of those edits when its SyncStep2 comes back. The provider's own
 * SyncStep1 at connection start is the handshake: edits made offline travel in the client's answer to the
 * server's SyncStep1, after it, so only a probe sent after the handshake can confirm them.
 */
export type ConnectionState = 'connecting' | 'open' | 'down' | 'refused';

export interface SaveStatus {
  connection: ConnectionState;
  /** The server has the shared space (handshake finished on the current connection). */
  inStep: boolean;
  /** Some of this client's edits are not yet confirmed stored by the server. */
  pending: boolean;
}

export interface SaveTracker {
  /** A change made on this client (typing, or edits loaded from this device's own copy). */
  localChange(): void;
  /** A socket opened; the provider has just sent its handshake SyncStep1. */
  opened(): void;
  /** The socket closed; probes in flight are lost. */
  closed(): void;
  /** The server closed for good (no access). */
  refused(): void;
  /** A SyncStep2 arrived: the answer to the oldest SyncStep1 still waiting. */
  syncStep2Received(): void;
  status(): SaveStatus;
}

type Expected = { kind: 'handshake' } | { kind: 'probe'; upTo: number };

export function createSaveTracker(options: { sendProbe: () => void; onChange: (status: SaveStatus) => void }): SaveTracker {
  let connection: ConnectionState = 'connecting';
  let inStep = false;
  let localSeq = 0;
  let savedSeq = 0;
  let expected: Expected[] = [];

  const status = (): SaveStatus => ({ connection, inStep, pending: localSeq > savedSeq });
  const changed = () => options.onChange(status());
  const maybeProbe = () => {
    // One probe at a time: edits made while it travels are covered by the next one.
    if (connection !== 'open' || !inStep || expected.length > 0 || localSeq <= savedSeq) return;
    expected.push({ kind: 'probe', upTo: localSeq });
    options.sendProbe();
  };

  return {
    localChange() {
      localSeq++;
      maybeProbe();
      changed();
    },
    opened() {
      connection = 'open';
      inStep = false;
      expected = [{ kind: 'handshake' }];
      changed();
    },
    closed() {
      if (connection === 'refused') return;
      connection = 'down';
      inStep = false;
      expected = [];
      changed();
    },
    refused() {
      connection = 'refused';
      inStep = false;
      expected = [];
      changed();
    },
    syncStep2Received() {
      const answered = expected.shift();
      if (!answered) return;
      if (answered.kind === 'handshake') inStep = true;
      else savedSeq = Math.max(savedSeq, answered.upTo);
      maybeProbe();
      changed();
    },
    status,
  };
}

/** What the save status line can say. */
export type SaveState = 'connecting' | 'saved' | 'saving' | 'offline-unsaved' | 'offline-saved' | 'refused';

/** The one state the status line shows for a tracker status. */
export function saveStateOf(status: SaveStatus): SaveState {
  if (status.connection === 'refused') return 'refused';
  if (status.connection === 'down') return status.pending ? 'offline-unsaved' : 'offline-saved';
  // Connecting or handshaking: edits are on their way, not refused.
  if (!status.inStep) return status.pending ? 'saving' : 'connecting';
  return status.pending ? 'saving' : 'saved';
}


const CONNECTION_WORST_FIRST: readonly ConnectionState[] = ['refused', 'down', 'connecting', 'open'];

/** One status for several documents: saved only when all are; the worst connection of them all. */
export function combinedStatus(...statuses: SaveStatus[]): SaveStatus {
  const connection = CONNECTION_WORST_FIRST.find((c) => statuses.some((s) => s.connection === c)) ?? 'connecting';
  return { connection, inStep: statuses.every((s) => s.inStep), pending: statuses.some((s) => s.pending) };
}
