import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SYNC_CLOSE, SYNC_CLOSE_REASON, type SyncCloseCode } from '../../shared/protocol/sync.ts';
import { resolveSyncLimits, SYNC_LIMITS, type SyncLimitsOverride } from '../../shared/protocol/syncLimits.ts';
import type { DocumentOwnership } from '../cluster/documentOwnership.ts';
import { newRandomId } from '../ids.ts';
import { errorFields, type Logger } from '../log.ts';
import type { DocStore } from '../store/docStore.ts';
import type { WriterIdentity } from './authorClaims.ts';
import { authorizeUpgrade, parseSyncRequest, type UpgradeDecision } from './authorizeUpgrade.ts';
import { ConnectionGrants, type AuthorizeAccess } from './connectionGrants.ts';
import { createDocumentRegistry, type DocumentObserver } from './documentRegistry.ts';
import { encodePermissionDenied } from './messages.ts';
import { createSyncConnection, SyncSocket, type ConnectionContext, type SyncConnection } from './syncConnection.ts';
import { SubjectRates } from './subjectRates.ts';
import { startSyncSession } from './syncSession.ts';
import type { SyncTicketClaims, TicketSigner } from './tickets.ts';

export interface SyncServerOptions {
  docStore: DocStore;
  verifyTicket: (ticket: string) => ReturnType<TicketSigner['verify']>;
  /**
   * Whether the ticket's holder may still open the document now (an invite not revoked, a team member
   * still on the network). Asked before the upgrade completes, so a refusal sends no document byte; asked
   * again by `recheck` when access changes; its `until` closes the connection when access runs out.
   */
  authorize?: AuthorizeAccess;
  logger: Logger;
  /**
   * Largest frame accepted; larger ones close the connection with 4413 (see `wsPayloadLimit`). Shorthand
   * for `limits.maxMessageBytes` (the `SYNC_MAX_MESSAGE_BYTES` setting); the per-connection byte burst
   * grows with it when needed.
   */
  maxMessageBytes?: number;
  /** Any of the limits in `SYNC_LIMITS` (shared/protocol/syncLimits.ts), e.g. smaller ones for tests. */
  limits?: SyncLimitsOverride;
  /** How long a document stays in memory after its last connection left. Default 10 s. */
  unloadGraceMs?: number;
  /** Stored rows a loaded document may reach before its log is compacted in the background. Default 500. */
  compactAfterRows?: number;
  /** Ping period; a connection that has not answered the previous ping is terminated. Default 30 s. */
  heartbeatIntervalMs?: number;
  /** Watches each loaded document (e.g. keeps versions of a meeting's notes: server/record). */
  observe?: DocumentObserver;
  /** Which instance serves which document; default: this process serves every one (server/cluster). */
  ownership?: DocumentOwnership;
}

export interface SyncServer {
  /** Takes an HTTP upgrade for `/sync/<docName>`; false for any other path, so the caller can answer 404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every connection on a document, e.g. when access was revoked (SYNC_CLOSE.forbidden). */
  closeDocumentConnections(docName: string, code: number, reason: string): void;
  /** Closes every connection opened with a ticket for `subject` (e.g. `invite:<id>` after a revocation). */
  closeSubjectConnections(subject: string, code: number, reason: string): void;
  /**
   * Asks `authorize` again for every open connection whose ticket `matches`, and closes those refused now
   * (forbidden, with the refusal's reason). Resolves to how many were closed.
   */
  recheck(matches: (claims: SyncTicketClaims) => boolean): Promise<number>;
  /**
   * Stops serving these documents at once (their network was erased, perhaps by another process): their
   * connections close with forbidden and `networkDeleted`, and they leave memory now, not after the grace.
   */
  dropDocuments(docNames: Iterable<string>): Promise<void>;
  stats(): { connections: number; documents: number };
  /** Closes every socket with 1001, flushes pending writes and unloads every document. */
  close(): Promise<void>;
}

/**
 * The y-websocket endpoint. Layers: this file is the transport entry (upgrade, authorisation, heartbeat);
 * `syncConnection` checks frames; `syncSession` speaks the protocol; `documentRegistry` and `syncDocument`
 * own the document lifecycle and the write path.
 */
export function createSyncServer(options: SyncServerOptions): SyncServer {
  const { logger } = options;
  const limits = limitsOf(options);
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: wsPayloadLimit(limits.maxMessageBytes), WebSocket: SyncSocket });
  const registry = createDocumentRegistry({
    docStore: options.docStore,
    logger,
    unloadGraceMs: options.unloadGraceMs ?? 10_000,
    ...(options.compactAfterRows === undefined ? {} : { compactAfterRows: options.compactAfterRows }),
    limits,
    ...(options.observe ? { observe: options.observe } : {}),
    ...(options.ownership ? { ownership: options.ownership } : {}),
  });
  const connections = new Set<SyncConnection>();
  const grants = new ConnectionGrants();
  const rates = new SubjectRates(limits.connectionRate);
  let closing = false;
  let closed: Promise<void> | null = null;

  const heartbeat = setInterval(() => {
    rates.sweep();
    for (const connection of connections) {
      // A timer: one connection's fault must not skip the others or reach the process.
      try {
        connection.heartbeat();
      } catch (error) {
        connection.log('error', 'sync_heartbeat_failed', errorFields(error));
        connection.close(SYNC_CLOSE.internal, 'internal error');
      }
    }
  }, options.heartbeatIntervalMs ?? 30_000);
  heartbeat.unref();
  // Access that runs out by itself (an invite's expiry) ends within this, not at the next reconnect.
  const expirySweep = setInterval(() => {
    // A timer: a fault here must end in the log, never reach the process.
    try {
      grants.closeExpired(Date.now());
    } catch (error) {
      logger.error('sync_access_sweep_failed', errorFields(error));
    }
  }, ACCESS_SWEEP_MS);
  expirySweep.unref();

  const context: ConnectionContext = {
    logger,
    limits,
    rates,
    attach: (connection) => startSyncSession(connection, registry),
    detach: (connection) => {
      connections.delete(connection);
      grants.delete(connection);
    },
  };

  const accept = (ws: SyncSocket, socket: Duplex, decision: AcceptedUpgrade): void => {
    const { docName, claims } = decision;
    // The literal rather than the ticket's own copy of it: one string for all connections, not one each.
    const mode = claims.mode === 'read-only' ? 'read-only' : 'read-write';
    // Without an authorizer (tools, tests of the sync layer alone) the ticket's subject is whom one writes as.
    const writer = decision.writer ?? { id: claims.subject, role: undefined };
    const connection = createSyncConnection(ws, { id: newRandomId(), docName, mode, subject: claims.subject, writer, socket }, context);
    if (!connection.isOpen) return;
    connections.add(connection);
    grants.add(connection, claims, decision.until);
    connection.log('info', 'sync_connected', { mode: connection.mode });
  };

  return {
    handleUpgrade(req, socket, head) {
      const target = parseSyncRequest(req.url);
      if (target.kind === 'other') return false;
      // An error before ws takes the socket over must not become an uncaught exception.
      const onEarlyError = (): void => void socket.destroy();
      socket.on('error', onEarlyError);
      if (closing) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return true;
      }
      void decideWithAccess(target, options, logger).then((decision) => {
        try {
          wss.handleUpgrade(req, socket, head, (ws) => {
            socket.off('error', onEarlyError);
            if (closing) return ws.close(SYNC_CLOSE.goingAway, 'server shutting down');
            if (decision.ok) return accept(ws, socket, decision);
            refuse(ws, decision, logger);
          });
        } catch (error) {
          // Also what accept or refuse threw: a promise callback, where it would end the process.
          logger.error('sync_upgrade_failed', errorFields(error));
          socket.destroy();
        }
      });
      return true;
    },

    closeDocumentConnections(docName, code, reason) {
      for (const connection of connections) {
        if (connection.docName === docName) connection.close(isSyncCloseCode(code) ? code : SYNC_CLOSE.forbidden, reason);
      }
    },

    closeSubjectConnections(subject, code, reason) {
      for (const connection of connections) {
        if (connection.subject === subject) connection.close(isSyncCloseCode(code) ? code : SYNC_CLOSE.forbidden, reason);
      }
    },

    recheck: (matches) => (options.authorize ? grants.recheck(matches, options.authorize, logger) : Promise.resolve(0)),

    async dropDocuments(docNames) {
      await Promise.all([...docNames].map((name) => registry.drop(name, SYNC_CLOSE.forbidden, SYNC_CLOSE_REASON.networkDeleted)));
    },

    stats: () => ({ connections: connections.size, documents: registry.size() }),

    close() {
      // Idempotent: a second call (a signal during shutdown) waits for the same flush.
      closed ??= (async () => {
        closing = true;
        clearInterval(heartbeat);
        clearInterval(expirySweep);
        for (const connection of [...connections]) connection.close(SYNC_CLOSE.goingAway, 'server shutting down');
        await registry.close();
        await new Promise<void>((done) => wss.close(() => done()));
      })();
      return closed;
    },
  };
}

/** The server's limits: the defaults, the options' overrides, and `maxMessageBytes` as a shorthand. */
function limitsOf(options: SyncServerOptions) {
  const override = options.limits ?? {};
  const maxMessageBytes = options.maxMessageBytes ?? override.maxMessageBytes;
  if (maxMessageBytes === undefined) return resolveSyncLimits(override);
  const burstBytes = Math.max(override.connectionRate?.burstBytes ?? SYNC_LIMITS.connectionRate.burstBytes, maxMessageBytes);
  return resolveSyncLimits({ ...override, maxMessageBytes, connectionRate: { ...override.connectionRate, burstBytes } });
}

/**
 * ws's own limit, above ours: frames between the two are read and refused with our 4413 (which the stock
 * provider treats as final); only absurd frames beyond twice the cap are cut off by ws, unbuffered, with
 * the standard 1009.
 */
function wsPayloadLimit(maxMessageBytes: number): number {
  return maxMessageBytes + Math.max(maxMessageBytes, 64 * 1024);
}

function decide(
  target: { docName: string | null; ticket: string | null },
  verifyTicket: SyncServerOptions['verifyTicket'],
  logger: Logger,
): UpgradeDecision {
  try {
    return authorizeUpgrade(target, verifyTicket);
  } catch (error) {
    logger.error('sync_authorize_failed', errorFields(error));
    return { ok: false, code: SYNC_CLOSE.internal, reason: 'internal error' };
  }
}

type AcceptedUpgrade = Extract<UpgradeDecision, { ok: true }> & { until?: number | undefined; writer?: WriterIdentity | undefined };

/** The ticket first (cheap, no I/O), then the store's word on whether access still stands. */
async function decideWithAccess(
  target: { docName: string | null; ticket: string | null },
  options: SyncServerOptions,
  logger: Logger,
): Promise<AcceptedUpgrade | Extract<UpgradeDecision, { ok: false }>> {
  const decision = decide(target, options.verifyTicket, logger);
  if (!decision.ok || !options.authorize) return decision;
  try {
    const check = await options.authorize(decision.claims);
    if (check.ok) return { ...decision, until: check.until, writer: check.writer };
    return { ok: false, code: SYNC_CLOSE.forbidden, reason: check.reason };
  } catch (error) {
    logger.error('sync_authorize_failed', errorFields(error));
    return { ok: false, code: SYNC_CLOSE.internal, reason: 'internal error' };
  }
}

/** The upgrade completes so that the client gets a reason and a code it can act on, and nothing else. */
function refuse(ws: WebSocket, decision: Extract<UpgradeDecision, { ok: false }>, logger: Logger): void {
  ws.on('error', (error) => logger.warn('sync_socket_error', errorFields(error)));
  logger.info('sync_refused', { code: decision.code, reason: decision.reason });
  ws.send(encodePermissionDenied(decision.reason), { binary: true });
  ws.close(decision.code, decision.reason);
}

/** How often connections are checked for access that ran out: well inside a second. */
const ACCESS_SWEEP_MS = 250;

const SYNC_CLOSE_CODES: ReadonlySet<number> = new Set(Object.values(SYNC_CLOSE));

/** Only the protocol's own codes go out, so clients can rely on the list in shared/protocol. */
function isSyncCloseCode(code: number): code is SyncCloseCode {
  return SYNC_CLOSE_CODES.has(code);
}
