import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/api/errors.ts';
import { NetworkDetail } from '../../shared/api/networks.ts';
import type { AuditAction } from '../../server/store/auditStore.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { createInProcessApp, type InProcessApp } from '../helpers/inProcessApp.ts';
import { PASSWORD } from '../helpers/seed.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BASE_URL = 'http://localhost';

async function app(): Promise<InProcessApp> {
  const server = await createInProcessApp({ start: new Date('2026-03-02T08:00:00Z') });
  cleanups.push(() => server.close());
  return server;
}

/**
 * Makes the database itself refuse the audit entry `action` (after `allowed` of them), as a full disk or a
 * broken constraint would: the last step of each service below, after every other write it makes.
 */
function refuseAudit(server: InProcessApp, action: AuditAction, allowed = 0): void {
  server.db.exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log
    WHEN NEW.action = '${action}' AND (SELECT COUNT(*) FROM audit_log WHERE action = '${action}') >= ${allowed}
    BEGIN SELECT RAISE(ABORT, 'the audit log refused this entry'); END`);
}

async function refusedWith500(res: Response): Promise<void> {
  expect(res.status).toBe(500);
  expect(ErrorBody.parse(await res.json()).error.code).toBe('internal');
}

describe('services whose last write fails leave nothing of the earlier ones', () => {
  it('opening a network: no network, no team assignment, when its audit entry is refused', async () => {
    const server = (await app());
    const pat = await server.team('pat@team.org');
    refuseAudit(server, 'network_created');
    await refusedWith500(await pat.request('POST', '/api/networks', { personName: 'Jo', referredAt: '2026-03-01T20:00:00.000Z' }));
    expect(await server.stores.networks.list()).toEqual([]);
    expect(server.db.prepare('SELECT COUNT(*) AS n FROM network_team').get()?.['n']).toBe(0);
  });

  it('removing a member: still a member with working links, and nobody told, when the last revocation is not audited', async () => {
    const server = (await app());
    const { networkId, memberId, member } = await server.seed({ teamEmail: 'pat@team.org', meetingAt: new Date('2026-03-03T10:00:00Z') });
    const pat = await server.team('pat@team.org');
    await pat.json('PUT', `/api/networks/${networkId}/person`, { memberId });
    // A second link, so that the refused entry comes after a first revocation in the same unit.
    await pat.json('POST', `/api/networks/${networkId}/members/${memberId}/invites`, { expiresInDays: 7 });
    const publishedBefore = server.published.length;
    refuseAudit(server, 'invite_revoked', 1);

    await refusedWith500(await pat.request('POST', `/api/networks/${networkId}/members/${memberId}/remove`, { reason: 'moved away' }));

    const detail = NetworkDetail.parse(await pat.json('GET', `/api/networks/${networkId}`));
    expect(detail.members.find((m) => m.id === memberId)).toMatchObject({ isPerson: true });
    expect(detail.members.find((m) => m.id === memberId)?.removedAt).toBeUndefined();
    expect(detail.network.personMemberId).toBe(memberId);
    expect(detail.invites.filter((i) => i.memberId === memberId && i.revokedAt === undefined)).toHaveLength(2);
    expect((await server.stores.audit.list({ networkId, limit: 50 })).map((e) => e.action)).not.toContain('member_removed');
    // Their link still opens the network, and no socket was told to close for a revocation that never was.
    expect((await member.request('GET', '/api/invite')).status).toBe(200);
    expect(server.published.slice(publishedBefore)).toEqual([]);
  });

  it('scheduling a daily series: not one meeting of it, when the third is refused', async () => {
    const server = (await app());
    const { networkId } = await server.seed({ teamEmail: 'pat@team.org', meetingAt: new Date('2026-03-03T10:00:00Z') });
    const pat = await server.team('pat@team.org');
    const before = (await server.stores.meetings.listForNetwork(networkId)).map((m) => m.id);
    // The seed made one meeting already: the fourth entry overall is the series' third.
    refuseAudit(server, 'meeting_created', 3);

    await refusedWith500(await pat.request('POST', `/api/networks/${networkId}/schedule`, { startsAt: '2026-03-04T09:00:00.000Z', count: 5, timeZone: 'Europe/Oslo' }));

    expect((await server.stores.meetings.listForNetwork(networkId)).map((m) => m.id)).toEqual(before);
    expect(server.db.prepare('SELECT COUNT(*) AS n FROM meeting_schedule').get()?.['n']).toBe(0);
  });

  it('deactivating an account: still active, logged in and on its networks, when leaving a network is not audited', async () => {
    const server = (await app());
    const { networkId } = await server.seed({ teamEmail: 'pat@team.org', meetingAt: new Date('2026-03-03T10:00:00Z') });
    const pat = await server.team('pat@team.org');
    const patId = (await server.stores.users.byEmail('pat@team.org'))?.id ?? '';
    await server.services.auth.createUser({ email: 'ada@team.org', name: 'Ada', role: 'practitioner', isAdmin: true, password: PASSWORD });
    const admin = new HttpSession(BASE_URL, { fetch: server.fetch });
    await admin.login('ada@team.org', PASSWORD);
    refuseAudit(server, 'team_unassigned');

    await refusedWith500(await admin.request('POST', `/api/users/${patId}/deactivate`, { reason: 'left the team' }));

    expect((await server.stores.users.byId(patId))?.deactivatedAt).toBeUndefined();
    expect(await server.stores.networks.isAssigned(networkId, patId)).toBe(true);
    expect((await pat.request('GET', `/api/networks/${networkId}`)).status).toBe(200);
    expect((await server.stores.audit.list({ limit: 50 })).map((e) => e.action)).not.toContain('user_deactivated');
    expect(server.published.filter((e) => e.kind === 'user_deactivated' || e.kind === 'sessions_ended')).toEqual([]);
  });
});
