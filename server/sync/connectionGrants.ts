import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { errorFields, type Logger } from '../log.ts';
import type { WriterIdentity } from './authorClaims.ts';
import type { SyncConnection } from './syncConnection.ts';
import type { SyncTicketClaims } from './tickets.ts';

/**
 * The store's word on whether a ticket's holder may open its document now. `until` (epoch ms) is when that
 * access runs out by itself (an invite's expiry); `writer` is the participant the holder writes as (the
 * ticket's subject when absent); `reason` is one of SYNC_CLOSE_REASON, for the client.
 */
export type AccessCheck = { ok: true; until?: number | undefined; writer?: WriterIdentity | undefined } | { ok: false; reason: string };
export type AuthorizeAccess = (claims: SyncTicketClaims) => Promise<AccessCheck>;

interface Grant {
  readonly claims: SyncTicketClaims;
  readonly until: number;
}

/**
 * What each open connection was let in on, so that it can be asked again when access changes (an access
 * event) and closed the moment its access runs out. Invariant: every open, authorised connection has a grant.
 */
export class ConnectionGrants {
  readonly #grants = new Map<SyncConnection, Grant>();

  add(connection: SyncConnection, claims: SyncTicketClaims, until: number | undefined): void {
    this.#grants.set(connection, { claims, until: until ?? Number.POSITIVE_INFINITY });
  }

  delete(connection: SyncConnection): void {
    this.#grants.delete(connection);
  }

  /** Closes every connection whose access ran out by `now`. */
  closeExpired(now: number): void {
    for (const [connection, grant] of this.#grants) {
      if (grant.until <= now) connection.close(SYNC_CLOSE.forbidden, SYNC_CLOSE_REASON.accessExpired);
    }
  }

  /**
   * Asks the store again for each connection `matches` picks, and closes those it refuses, with its reason.
   * Resolves to how many were closed. A failed check closes the connection: when in doubt, access ends.
   */
  async recheck(matches: (claims: SyncTicketClaims) => boolean, authorize: AuthorizeAccess, logger: Logger): Promise<number> {
    const picked = [...this.#grants].filter(([, grant]) => matches(grant.claims));
    const checks = await Promise.all(
      picked.map(async ([connection, grant]) => {
        try {
          return { connection, check: await authorize(grant.claims) };
        } catch (error) {
          logger.error('sync_recheck_failed', errorFields(error));
          return { connection, check: { ok: false, reason: SYNC_CLOSE_REASON.accessRevoked } as const };
        }
      }),
    );
    let closed = 0;
    for (const { connection, check } of checks) {
      if (check.ok || !connection.isOpen) continue;
      connection.close(SYNC_CLOSE.forbidden, check.reason);
      closed++;
    }
    return closed;
  }
}
