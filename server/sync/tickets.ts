import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a sync ticket grants: one document, in one mode, to one subject, until `expiresAt`. */
export interface SyncTicketClaims {
  docName: string;
  mode: 'read-write' | 'read-only';
  /** Who the ticket was minted for (a participant id); for logs and audit, never shown to others. */
  subject: string;
  /** Epoch milliseconds after which the ticket is refused. */
  expiresAt: number;
  /** The login session a team member's ticket was minted in: when it ends, the ticket's sockets close. */
  session?: string | undefined;
}

export type TicketVerification =
  | { ok: true; claims: SyncTicketClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export interface TicketSigner {
  sign(claims: SyncTicketClaims): string;
  /** Checks the signature first, then the shape, then the expiry; `now` is epoch ms (defaults to the clock). */
  verify(ticket: string, now?: number): TicketVerification;
}

/**
 * Longest ticket accepted. Tickets travel in a URL, and refusing long ones early means an attacker cannot
 * make the server hash megabytes per upgrade request.
 */
export const MAX_TICKET_LENGTH = 2048;

const MIN_SECRET_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Tickets are `base64url(JSON claims) + '.' + base64url(HMAC-SHA256(secret, first part))`. Stateless, so any
 * server instance holding the secret can check them; revocation is done by closing connections, and by
 * keeping the TTL bounded.
 */
export function createTicketSigner(secret: Uint8Array): TicketSigner {
  if (secret.byteLength < MIN_SECRET_BYTES) throw new Error(`ticket secret must be at least ${MIN_SECRET_BYTES} bytes`);
  // Copied so that a caller reusing its buffer cannot change the key under us.
  const key = Buffer.from(secret);
  const mac = (payloadPart: string): string => createHmac('sha256', key).update(payloadPart).digest('base64url');

  return {
    sign(claims) {
      const { docName, mode, subject, expiresAt, session } = claims;
      const payloadPart = Buffer.from(JSON.stringify({ docName, mode, subject, expiresAt, ...(session === undefined ? {} : { session }) })).toString('base64url');
      const ticket = `${payloadPart}.${mac(payloadPart)}`;
      if (ticket.length > MAX_TICKET_LENGTH) throw new Error('ticket claims are too long');
      return ticket;
    },

    verify(ticket, now = Date.now()) {
      if (typeof ticket !== 'string' || ticket.length === 0 || ticket.length > MAX_TICKET_LENGTH) {
        return { ok: false, reason: 'malformed' };
      }
      const [payloadPart, signaturePart, ...rest] = ticket.split('.');
      if (payloadPart === undefined || signaturePart === undefined || rest.length > 0) return { ok: false, reason: 'malformed' };
      if (!BASE64URL.test(payloadPart) || !BASE64URL.test(signaturePart)) return { ok: false, reason: 'malformed' };

      // Compare the canonical encodings rather than decoded bytes: base64url decoding ignores stray low bits,
      // which would let several spellings of one signature pass.
      if (!constantTimeEqual(signaturePart, mac(payloadPart))) return { ok: false, reason: 'bad_signature' };

      const claims = parseClaims(payloadPart);
      if (!claims) return { ok: false, reason: 'malformed' };
      if (now >= claims.expiresAt) return { ok: false, reason: 'expired' };
      return { ok: true, claims };
    },
  };
}

function constantTimeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // The expected length is public (a SHA-256 MAC), so leaving early on a length mismatch leaks nothing.
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseClaims(payloadPart: string): SyncTicketClaims | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { docName, mode, subject, expiresAt, session } = value as Record<string, unknown>;
  if (typeof docName !== 'string' || docName.length === 0) return null;
  if (mode !== 'read-write' && mode !== 'read-only') return null;
  if (typeof subject !== 'string') return null;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return null;
  if (session !== undefined && typeof session !== 'string') return null;
  return { docName, mode, subject, expiresAt, ...(session === undefined ? {} : { session }) };
}
