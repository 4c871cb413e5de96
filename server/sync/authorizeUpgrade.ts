import { SYNC_CLOSE, SYNC_PATH, SYNC_TICKET_PARAM, type SyncCloseCode } from '../../shared/protocol/sync.ts';
import type { SyncTicketClaims, TicketVerification } from './tickets.ts';

/** Document names are ids (`meeting-<RandomId>`); anything else is refused before it reaches the store. */
const DOC_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** Where an upgrade request points: not at the sync endpoint at all, or at one (possibly invalid) document. */
export type SyncRequestTarget = { kind: 'other' } | { kind: 'sync'; docName: string | null; ticket: string | null };

export type UpgradeDecision =
  | { ok: true; docName: string; claims: SyncTicketClaims }
  /** `reason` goes to the client and the log; it never contains the ticket. */
  | { ok: false; code: SyncCloseCode; reason: string };

/** Reads the document name (null when invalid) and the ticket from a request URL such as `/sync/<docName>?ticket=…`. */
export function parseSyncRequest(rawUrl: string | undefined): SyncRequestTarget {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '', 'http://sync.invalid');
  } catch {
    return { kind: 'other' };
  }
  const prefix = `${SYNC_PATH}/`;
  if (!url.pathname.startsWith(prefix)) return { kind: 'other' };
  return {
    kind: 'sync',
    docName: decodeDocName(url.pathname.slice(prefix.length)),
    ticket: url.searchParams.get(SYNC_TICKET_PARAM),
  };
}

/**
 * Decides whether a connection may open. The ticket is checked first, so that someone without a valid
 * ticket learns nothing about which document names are valid.
 */
export function authorizeUpgrade(
  target: { docName: string | null; ticket: string | null },
  verifyTicket: (ticket: string) => TicketVerification,
): UpgradeDecision {
  if (target.ticket === null || target.ticket === '') {
    return { ok: false, code: SYNC_CLOSE.unauthorized, reason: 'missing ticket' };
  }
  const verified = verifyTicket(target.ticket);
  if (!verified.ok) return { ok: false, code: SYNC_CLOSE.unauthorized, reason: `ticket ${verified.reason}` };
  if (target.docName === null) return { ok: false, code: SYNC_CLOSE.notFound, reason: 'invalid document name' };
  if (verified.claims.docName !== target.docName) {
    return { ok: false, code: SYNC_CLOSE.forbidden, reason: 'ticket is for another document' };
  }
  return { ok: true, docName: target.docName, claims: verified.claims };
}

function decodeDocName(encoded: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  return DOC_NAME.test(name) ? name : null;
}
