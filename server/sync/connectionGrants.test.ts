import { describe, expect, it } from 'vitest';
import { SYNC_CLOSE, SYNC_CLOSE_REASON } from '../../shared/protocol/sync.ts';
import { createLogger } from '../log.ts';
import { ConnectionGrants } from './connectionGrants.ts';
import type { SyncConnection } from './syncConnection.ts';
import type { SyncTicketClaims } from './tickets.ts';

/** A connection that only records how it was closed (the grants never do more with it). */
function fakeConnection(subject: string) {
  const closes: { code: number; reason: string }[] = [];
  const connection = {
    subject,
    get isOpen() {
      return closes.length === 0;
    },
    close: (code: number, reason: string) => void closes.push({ code, reason }),
  } as unknown as SyncConnection;
  return { connection, closes };
}
const claims = (subject: string): SyncTicketClaims => ({ docName: 'meeting-x', mode: 'read-write', subject, expiresAt: Date.now() + 60_000 });
const silent = createLogger({}, () => {});

describe('connection grants', () => {
  it('closes a connection when its access runs out, and not before', () => {
    const grants = new ConnectionGrants();
    const expiring = fakeConnection('invite:a');
    const lasting = fakeConnection('user:b');
    grants.add(expiring.connection, claims('invite:a'), 1_000);
    grants.add(lasting.connection, claims('user:b'), undefined);
    grants.closeExpired(999);
    expect(expiring.closes).toEqual([]);
    grants.closeExpired(1_000);
    expect(expiring.closes).toEqual([{ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessExpired }]);
    expect(lasting.closes).toEqual([]);
  });

  it('re-checks only the connections asked about, closing those refused with the refusal’s reason', async () => {
    const grants = new ConnectionGrants();
    const revoked = fakeConnection('invite:a');
    const other = fakeConnection('invite:b');
    grants.add(revoked.connection, claims('invite:a'), undefined);
    grants.add(other.connection, claims('invite:b'), undefined);
    const asked: string[] = [];
    const closed = await grants.recheck(
      (c) => c.subject === 'invite:a',
      async (c) => {
        asked.push(c.subject);
        return { ok: false, reason: SYNC_CLOSE_REASON.accessRevoked };
      },
      silent,
    );
    expect({ closed, asked }).toEqual({ closed: 1, asked: ['invite:a'] });
    expect(revoked.closes).toEqual([{ code: SYNC_CLOSE.forbidden, reason: SYNC_CLOSE_REASON.accessRevoked }]);
    expect(other.closes).toEqual([]);
  });

  it('closes a connection whose re-check fails: when in doubt, access ends', async () => {
    const grants = new ConnectionGrants();
    const doubtful = fakeConnection('user:c');
    grants.add(doubtful.connection, claims('user:c'), undefined);
    await grants.recheck(
      () => true,
      async () => {
        throw new Error('database locked');
      },
      silent,
    );
    expect(doubtful.closes).toHaveLength(1);
  });
});
