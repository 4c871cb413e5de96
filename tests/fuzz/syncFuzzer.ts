import * as decoding from 'lib0/decoding';
import fc from 'fast-check';
import * as Y from 'yjs';
import { SYNC_CLOSE, SYNC_MESSAGE } from '../../shared/protocol/sync.ts';
import { resolveSyncLimits, type SyncLimits, type SyncLimitsOverride } from '../../shared/protocol/syncLimits.ts';
import { nestedJson, presenceFrame, updateFrame, type RawPresence } from '../helpers/syncFrames.ts';
import {
  connectProvider,
  emptySyncStep1,
  isSyncStep2,
  loadStoredDoc,
  openRawSocket,
  runCleanups,
  socketUrl,
  startSyncTestServer,
  type Cleanups,
  type RawSocket,
  type SyncTestServer,
} from '../integration/helpers/syncClient.ts';

/**
 * A structure-aware fuzzer of the sync server (issue 11): batches of presence states and Yjs updates
 * shaped like the attacks that matter (deep, wide, huge, many client ids, other people's ids, deeply nested
 * shared types, many structs, sizes at and just beyond every limit), sent over real sockets to a real server.
 * After each batch: the server is alive, a victim pair on another document still syncs, a bystander on the
 * attacked document keeps its presence, a newcomer's presence snapshot is within the limit, the stored
 * document loads and stays within its quota, and every connection the server closed was closed with one
 * of the protocol's refusal codes (never `internal`, which would mean something failed).
 *
 * The limits are smaller than the defaults so that a batch can reach each one quickly; every check is
 * relative to them.
 */
export const FUZZ_LIMITS: SyncLimitsOverride = {
  maxMessageBytes: 256 * 1024,
  maxUpdateStructs: 2_000,
  maxDocumentBytes: 1024 * 1024,
};

type Bracket = '[' | '{';

/** A presence state to send, as a plan (plain data, so fast-check can print and shrink it). */
export type PresencePlan =
  | { kind: 'deep'; depth: number; bracket: Bracket }
  | { kind: 'wide'; keys: number }
  | { kind: 'string'; bytes: number }
  | { kind: 'manyIds'; count: number; bytes: number }
  | { kind: 'removeBystander' }
  | { kind: 'json'; value: fc.JsonValue };

/** A Yjs update to send, as a plan. */
export type UpdatePlan =
  | { kind: 'nest'; type: 'map' | 'array' | 'xml'; depth: number }
  | { kind: 'string'; length: number }
  | { kind: 'structs'; count: number }
  | { kind: 'clients'; count: number }
  | { kind: 'edits'; texts: string[] };

export type FramePlan = { on: 'presence'; plan: PresencePlan } | { on: 'update'; plan: UpdatePlan; as: 'update' | 'syncStep2' };

export interface Batch {
  /** Frames per attacker connection (one to three connections). */
  connections: FramePlan[][];
}

/** Around a limit: well below, at, and just beyond it. */
const around = (limit: number, spread = 3): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: 0, max: limit }), fc.integer({ min: Math.max(0, limit - spread), max: limit + spread }), fc.integer({ min: limit, max: limit * 8 }));

export function batchArbitrary(limits: SyncLimits): fc.Arbitrary<Batch> {
  const { presence } = limits;
  const presencePlan: fc.Arbitrary<PresencePlan> = fc.oneof(
    fc.record({ kind: fc.constant('deep' as const), depth: fc.oneof(around(presence.maxStateDepth), fc.constant(6_000)), bracket: fc.constantFrom<Bracket>('[', '{') }),
    fc.record({ kind: fc.constant('wide' as const), keys: fc.integer({ min: 0, max: 2_000 }) }),
    fc.record({ kind: fc.constant('string' as const), bytes: around(presence.maxStateBytes, 16) }),
    fc.record({ kind: fc.constant('manyIds' as const), count: around(presence.maxStatesPerConnection, 2), bytes: fc.integer({ min: 2, max: presence.maxStateBytes }) }),
    fc.constant({ kind: 'removeBystander' as const }),
    fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 6 }) }),
  );
  const updatePlan: fc.Arbitrary<UpdatePlan> = fc.oneof(
    fc.record({ kind: fc.constant('nest' as const), type: fc.constantFrom('map' as const, 'array' as const, 'xml' as const), depth: around(limits.maxContentDepth) }),
    fc.record({ kind: fc.constant('string' as const), length: around(limits.maxMessageBytes, 64) }),
    fc.record({ kind: fc.constant('structs' as const), count: around(limits.maxUpdateStructs, 4) }),
    fc.record({ kind: fc.constant('clients' as const), count: fc.integer({ min: 1, max: limits.maxUpdateStructs + 10 }) }),
    fc.record({ kind: fc.constant('edits' as const), texts: fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 8 }) }),
  );
  const frame: fc.Arbitrary<FramePlan> = fc.oneof(
    fc.record({ on: fc.constant('presence' as const), plan: presencePlan }),
    fc.record({ on: fc.constant('update' as const), plan: updatePlan, as: fc.constantFrom('update' as const, 'syncStep2' as const) }),
  );
  return fc.record({ connections: fc.array(fc.array(frame, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }) });
}

/** A presence plan as entries; `own` is the connection's first client id, `bystander` someone else's. */
export function presenceEntries(plan: PresencePlan, own: number, bystander: number): RawPresence[] {
  switch (plan.kind) {
    case 'deep':
      return [{ clientId: own, clock: 1, state: plan.bracket === '[' ? nestedJson(plan.depth) : '{"a":'.repeat(plan.depth) + '0' + '}'.repeat(plan.depth) }];
    case 'wide':
      return [{ clientId: own, clock: 1, state: JSON.stringify(Object.fromEntries(Array.from({ length: plan.keys }, (_, i) => [`k${i}`, i]))) }];
    case 'string':
      return [{ clientId: own, clock: 1, state: JSON.stringify('s'.repeat(Math.max(0, plan.bytes - 2))) }];
    case 'manyIds': {
      const state = JSON.stringify('m'.repeat(Math.max(0, plan.bytes - 2)));
      return Array.from({ length: plan.count }, (_, i) => ({ clientId: own + i, clock: 1, state }));
    }
    case 'removeBystander':
      return [{ clientId: bystander, clock: 1_000, state: 'null' }];
    case 'json':
      return [{ clientId: own, clock: 1, state: JSON.stringify(plan.value) }];
  }
}

/** An update plan as a real Yjs update, made by a real document. */
export function buildUpdate(plan: UpdatePlan, clientId: number): Uint8Array {
  // A fixed guid: Yjs would otherwise draw a random UUID for every document made here.
  const doc = new Y.Doc({ guid: 'fuzz' });
  doc.clientID = clientId;
  try {
    switch (plan.kind) {
      case 'nest':
        doc.transact(() => nest(doc, plan.type, plan.depth));
        break;
      case 'string':
        doc.getText('t').insert(0, 'x'.repeat(plan.length));
        break;
      case 'structs':
        // Alternating formats: every character its own struct, as bad as typing gets.
        doc.transact(() => {
          const text = doc.getText('t');
          for (let i = 0; i < Math.ceil(plan.count / 3); i++) text.insert(0, 'a', { bold: i % 2 === 0 });
        });
        break;
      case 'clients':
        // One struct from each of many clients: Yjs takes the document's client id at each insertion.
        doc.transact(() => {
          for (let i = 0; i < plan.count; i++) {
            doc.clientID = clientId + i;
            doc.getArray('a').insert(0, [i]);
          }
        });
        break;
      case 'edits':
        for (const text of plan.texts) doc.getText('t').insert(0, text);
        break;
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

function nest(doc: Y.Doc, type: 'map' | 'array' | 'xml', depth: number): void {
  if (type === 'xml') {
    let parent: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment('notes');
    for (let i = 0; i < depth; i++) {
      const child: Y.XmlElement = new Y.XmlElement('paragraph');
      parent.insert(0, [child]);
      parent = child;
    }
  } else if (type === 'map') {
    let parent = doc.getMap('m');
    for (let i = 0; i < depth; i++) {
      const child = new Y.Map<unknown>();
      parent.set('c', child);
      parent = child;
    }
  } else {
    let parent = doc.getArray<unknown>('a');
    for (let i = 0; i < depth; i++) {
      const child = new Y.Array<unknown>();
      parent.insert(0, [child]);
      parent = child;
    }
  }
}

function frameBytes(frame: FramePlan, own: number, bystander: number): Uint8Array {
  if (frame.on === 'presence') return presenceFrame(presenceEntries(frame.plan, own, bystander));
  const update = buildUpdate(frame.plan, own);
  if (frame.as === 'update') return updateFrame(update);
  const bytes = updateFrame(update);
  bytes[1] = 1; // the same message as SyncStep2 (sync sub-type 1)
  return bytes;
}

/** The refusals a connection may end with; `internal` or an abnormal close would mean a fault. */
const REFUSALS: ReadonlySet<number> = new Set([SYNC_CLOSE.badMessage, SYNC_CLOSE.tooLarge, SYNC_CLOSE.rateLimited, SYNC_CLOSE.documentFull, SYNC_CLOSE.notYours, 1009]);

const BATCH_TIMEOUT_MS = 120_000;
/** y-protocols' `outdatedTimeout`, minus a margin for the check's own interval. */
const AWARENESS_TIMEOUT_MS = 25_000;

/** What stays up across batches: one server, a victim pair on a calm document. */
export interface FuzzTarget {
  server: SyncTestServer;
  limits: SyncLimits;
  cleanups: Cleanups;
  /** Runs one batch and checks every invariant; throws (with the reason) on a violation. */
  run(batch: Batch): Promise<void>;
  close(): Promise<void>;
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const cleanups: Cleanups = [];
  const limits = resolveSyncLimits(FUZZ_LIMITS);
  const server = await startSyncTestServer(cleanups, { limits: FUZZ_LIMITS, unloadGraceMs: 50 });
  // Tickets that outlive a long run: the stock provider reconnects with the ticket it was given.
  const victimTicket = (): string => server.ticket('calm', { expiresAt: Date.now() + 7 * 24 * 3_600_000 });
  const writer = connectProvider(cleanups, server, 'calm', victimTicket());
  const reader = connectProvider(cleanups, server, 'calm', victimTicket());
  await Promise.all([writer.synced, reader.synced]);
  let batchNo = 0;

  // A batch that never finishes is a finding too (a connection paused for good, an answer never sent):
  // it fails with the step it was at, rather than hanging the run.
  const run = async (batch: Batch): Promise<void> => {
    const state = { phase: 'starting' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`batch ${batchNo} still at "${state.phase}" after ${BATCH_TIMEOUT_MS} ms`)), BATCH_TIMEOUT_MS);
    });
    try {
      await Promise.race([runBatch(batch, state), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const runBatch = async (batch: Batch, state: { phase: string }): Promise<void> => {
    const docName = `attacked-${++batchNo}`;
    const perBatch: Cleanups = [];
    try {
      state.phase = 'bystander';
      const bystanderId = 900_000 + batchNo;
      // Everyone in a batch is a person of their own: subjects shared across batches would share one rate
      // bucket (per person, by design), and a fast run would drain it and see its own people rate-limited.
      const subject = (who: string): string => `${who}-${batchNo}`;
      const bystander = openRawSocket(perBatch, socketUrl(server, docName, server.ticket(docName, { subject: subject('bystander') })));
      await bystander.opened;
      const bystanderRefused = await barrier(bystander, presenceFrame([{ clientId: bystanderId, clock: 1, state: '{"user":{"name":"B"}}' }]));
      if (bystanderRefused) throw new Error(`the bystander was closed (${bystanderRefused.code} ${bystanderRefused.reason}) before any attacker came`);
      // y-protocols forgets a state not renewed for 30 s (the stock client renews every 15 s; this one does
      // not): past that, a missing bystander is the timeout, not someone else's doing.
      const bystanderSetAt = performance.now();
      const bystanderEnd: { outcome?: { code: number; reason: string } } = {};
      void bystander.closed.then((outcome) => (bystanderEnd.outcome = outcome));

      state.phase = 'attackers';
      const attackers = batch.connections.map((_, i) => openRawSocket(perBatch, socketUrl(server, docName, server.ticket(docName, { subject: subject(`attacker-${i}`) }))));
      await Promise.all(attackers.map((socket) => socket.opened));
      await Promise.all(
        batch.connections.map(async (frames, i) => {
          const socket = attackers[i];
          if (!socket) return;
          frames.forEach((frame, f) => socket.ws.send(frameBytes(frame, 1_000 * (i + 1) + 10 * f + batchNo * 10_000, bystanderId)));
          const outcome = await barrier(socket, null);
          if (outcome !== null && !REFUSALS.has(outcome.code)) throw new Error(`attacker ${i} closed with ${outcome.code} ${outcome.reason}`);
        }),
      );

      state.phase = 'newcomer';
      const newcomer = openRawSocket(perBatch, socketUrl(server, docName, server.ticket(docName, { subject: subject('newcomer') })));
      const snapshot = await Promise.race([
        newcomer.waitForMessage((message) => message[0] === SYNC_MESSAGE.awareness),
        newcomer.closed.then(({ code, reason }) => Promise.reject(new Error(`the newcomer was closed (${code} ${reason}) before any presence snapshot`))),
      ]);
      if (snapshot.byteLength > limits.presence.maxDocumentBytes + 64) throw new Error(`newcomer snapshot of ${snapshot.byteLength} bytes`);
      const sinceSet = performance.now() - bystanderSetAt;
      if (sinceSet <= AWARENESS_TIMEOUT_MS && !idsInAwareness(snapshot).includes(bystanderId)) {
        // What the next look needs: whether the bystander's own socket ended (and how), and when.
        const ended = bystanderEnd.outcome;
        const socketState = ended === undefined ? 'still open' : `closed ${ended.code} ${ended.reason}`;
        throw new Error(`the bystander's presence was removed by someone else (its socket ${socketState}, ${Math.round(sinceSet)} ms after its state was set)`);
      }

      state.phase = 'stored document';
      for (const socket of [bystander, ...attackers, newcomer]) socket.ws.close();
      const stored = await loadStoredDoc(server.store, docName);
      stored.destroy();
      const { updates } = await server.store.load(docName);
      const bytes = updates.reduce((sum, update) => sum + update.byteLength, 0);
      if (bytes > limits.maxDocumentBytes) throw new Error(`stored ${bytes} bytes, over the quota`);

      state.phase = 'victim';
      const marker = `batch ${batchNo};`;
      // Replaced, not appended: appended markers reach the document quota (1 MiB here) after 88,303 batches,
      // where the server rightly refuses the victim's next write.
      writer.doc.transact(() => {
        writer.text.delete(0, writer.text.length);
        writer.text.insert(0, marker);
      });
      await whenDoc(reader.doc, () => reader.text.toJSON() === marker, `the victim on another document did not sync after batch ${batchNo}`).catch((error: unknown) => {
        // What a failure here needs to be told apart from a starved machine: were the victims connected?
        const connected = { writer: writer.provider.wsconnected, reader: reader.provider.wsconnected, server: server.sync.stats() };
        throw new Error(`${error instanceof Error ? error.message : String(error)} ${JSON.stringify(connected)}`);
      });
    } finally {
      await runCleanups(perBatch);
    }
  };

  return { server, limits, cleanups, run, close: () => runCleanups(cleanups) };
}

/**
 * Sends `frame` (if any), then a SyncStep1; resolves when its answer arrives (everything before it was
 * handled) with null, or with the close if the server closed the connection instead.
 */
async function barrier(socket: RawSocket, frame: Uint8Array | null): Promise<{ code: number; reason: string } | null> {
  const before = socket.messages.length;
  if (frame) socket.ws.send(frame);
  if (socket.ws.readyState === socket.ws.OPEN) socket.ws.send(emptySyncStep1());
  const answered = socket.waitForMessage((message) => socket.messages.indexOf(message) >= before && isSyncStep2(message)).then(() => null);
  return Promise.race([answered, socket.closed]);
}

function idsInAwareness(message: Uint8Array): number[] {
  const frame = decoding.createDecoder(message);
  decoding.readVarUint(frame);
  const update = decoding.createDecoder(decoding.readVarUint8Array(frame));
  const ids: number[] = [];
  for (let count = decoding.readVarUint(update); count > 0; count--) {
    ids.push(decoding.readVarUint(update));
    decoding.readVarUint(update);
    decoding.readVarString(update);
  }
  return ids;
}

/** Resolves once `condition` holds, re-checked on each change of `doc`; rejects after `timeoutMs`. */
function whenDoc(doc: Y.Doc, condition: () => boolean, failure: string, timeoutMs = 60_000): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((done, fail) => {
    const check = (): void => {
      if (!condition()) return;
      doc.off('update', check);
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      doc.off('update', check);
      fail(new Error(failure));
    }, timeoutMs);
    doc.on('update', check);
  });
}
