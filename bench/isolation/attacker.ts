import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { SYNC_MESSAGE } from '../../shared/protocol/sync.ts';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';

// The attacker of `npm run bench:isolation`, in a process of its own (its CPU is not the victim's): every
// connection sends the costliest updates the server accepts (as many structs as allowed, of the costliest
// kind) and the largest presence states, paced just under the per-connection byte and message
// rates, and reconnects at once whenever it is closed (after the quota, a reconnect makes the server
// encode the full document for it). Runs until SIGTERM, then prints what it did as one JSON line.
export interface AttackerConfig {
  url: string;
  /** One entry per connection: the document and its ticket. */
  connections: { docName: string; ticket: string }[];
}

const config = JSON.parse(process.argv[2] ?? '{}') as AttackerConfig;
const { connectionRate, presence, maxUpdateStructs } = SYNC_LIMITS;
// Just under the server's rates, which are per person (all connections of one invite share them): the
// attacker is then throttled by the documents' budgets rather than closed for its rate.
const BYTES_PER_SECOND = (connectionRate.bytesPerSecond * 0.95) / Math.max(1, config.connections.length);
// A connection's share of the person's burst: room for one costliest update at a time.
const BURST = connectionRate.burstBytes / Math.max(1, config.connections.length);
const slots: { budget: number; last: number }[] = [];
const stats = { updates: 0, presence: 0, bytes: 0, closes: {} as Record<string, number>, connects: 0 };
let stopping = false;

process.once('SIGTERM', () => {
  stopping = true;
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  process.exit(0);
});

for (const [index, target] of config.connections.entries()) void attack(index, target);

async function attack(index: number, target: { docName: string; ticket: string }): Promise<void> {
  while (!stopping) {
    stats.connects++;
    const code = await oneConnection(index, target);
    stats.closes[code] = (stats.closes[code] ?? 0) + 1;
  }
}

function oneConnection(index: number, target: { docName: string; ticket: string }): Promise<number> {
  return new Promise((done) => {
    const ws = new WebSocket(`${config.url}/${target.docName}?ticket=${encodeURIComponent(target.ticket)}`);
    const doc = new Y.Doc();
    const ids = Array.from({ length: presence.maxStatesPerConnection }, (_, i) => (index + 1) * 1_000_000 + stats.connects * 10 + i);
    let clock = 0;
    let nextUpdate: Uint8Array | null = null;
    let presenceTurn = true;
    let timer: NodeJS.Timeout | null = null;
    // Each connection's share of the person's budget, kept across its reconnects as the server keeps it.
    const slot = (slots[index] ??= { budget: BURST / 2, last: performance.now() });
    const send = (frame: Uint8Array): void => {
      ws.send(frame);
      stats.bytes += frame.byteLength;
      slot.budget -= frame.byteLength;
    };
    const tick = (): void => {
      const now = performance.now();
      slot.budget = Math.min(BURST, slot.budget + ((now - slot.last) / 1000) * BYTES_PER_SECOND);
      slot.last = now;
      const { budget } = slot;
      // Strictly alternating, each sent as soon as the budget allows: the largest presence (every id this
      // connection may own), then the costliest update (built only when it is its turn: each continues
      // this connection's history).
      if (presenceTurn) {
        const message = presenceFrame(ids, clock + 1);
        if (budget > message.byteLength) {
          clock++;
          send(message);
          stats.presence++;
          presenceTurn = false;
        }
      } else {
        nextUpdate ??= costliestUpdate(doc);
        if (budget > nextUpdate.byteLength) {
          send(nextUpdate);
          nextUpdate = null;
          stats.updates++;
          presenceTurn = true;
        }
      }
      timer = setTimeout(tick, 50);
    };
    ws.on('open', tick);
    ws.on('error', () => {});
    ws.on('close', (code: number) => {
      if (timer) clearTimeout(timer);
      doc.destroy();
      done(code);
    });
  });
}

/**
 * As many structs as one update may hold, of the kind that costs the server most per struct (measured:
 * XML elements inserted at the front of the notes, about 3 µs each through the guard), appended to this
 * connection's own history.
 */
function costliestUpdate(doc: Y.Doc): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const notes = doc.getXmlFragment('notes');
  doc.transact(() => {
    for (let i = 0; i < maxUpdateStructs - 10; i++) notes.insert(0, [new Y.XmlElement('paragraph')]);
  });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC_MESSAGE.sync);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, before));
  return encoding.toUint8Array(encoder);
}

/** Every id the connection may own, each with the largest state allowed, nested as deep as allowed. */
function presenceFrame(ids: readonly number[], clock: number): Uint8Array {
  const depth = presence.maxStateDepth - 2;
  const shaped = (pad: string): string => '{"n":'.repeat(depth) + JSON.stringify({ user: { name: 'p'.repeat(60) }, pad }) + '}'.repeat(depth);
  const state = shaped('p'.repeat(presence.maxStateBytes - shaped('').length));
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, ids.length);
  for (const id of ids) {
    encoding.writeVarUint(update, id);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, state);
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, SYNC_MESSAGE.awareness);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}
