import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { SYNC_CLOSE } from '../../shared/protocol/sync.ts';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { createLogger } from '../log.ts';
import { createSyncConnection, SyncSocket, type ConnectionContext, type SyncConnection } from './syncConnection.ts';
import { SubjectRates } from './subjectRates.ts';

const context: ConnectionContext = {
  logger: createLogger({}, () => {}),
  limits: SYNC_LIMITS,
  rates: new SubjectRates(SYNC_LIMITS.connectionRate),
  attach: () => ({ message: () => {}, closed: () => {} }),
  detach: () => {},
};

const servers: WebSocketServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A real ws server whose first connection is a SyncConnection, and a stock client connected to it. */
async function connectedPair(): Promise<{ connection: SyncConnection; client: WebSocket }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', WebSocket: SyncSocket });
  servers.push(server);
  await new Promise((done) => server.once('listening', done));
  const accepted = new Promise<SyncConnection>((done) =>
    server.once('connection', (ws: SyncSocket, request) => {
      const socket = request.socket;
      done(createSyncConnection(ws, { id: 'c1', docName: 'doc', mode: 'read-write', subject: 's', writer: { id: 's', role: undefined }, socket }, context));
    }),
  );
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await new Promise((done) => client.once('open', done));
  return { connection: await accepted, client };
}

describe('a sync connection closed while its reading is paused (throttled)', () => {
  it("ends the close handshake at once instead of waiting out ws's 30 s close timeout", async () => {
    const { connection, client } = await connectedPair();
    connection.pauseReading();
    const closed = new Promise<number>((done) => client.once('close', (code) => done(code)));
    connection.close(SYNC_CLOSE.internal, 'document reset, please reconnect');
    // Paused, the server never read the client's answering close frame and both sides sat for 30 s.
    const winner = await Promise.race([closed, new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 10_000))]);
    expect(winner).toBe(SYNC_CLOSE.internal);
  }, 20_000);
});
