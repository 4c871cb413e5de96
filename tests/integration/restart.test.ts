import { afterEach, describe, expect, it, vi } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { connectDocClient } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(dataDir?: string): Promise<ServerProcess> {
  const started = await startServerProcess({ env: { LIVEKIT: 'off' }, ...(dataDir ? { dataDir } : {}) });
  cleanups.push(() => started.stop());
  return started;
}

async function join(session: HttpSession, meetingId: string, name: string) {
  return JoinMeetingResponse.parse(await session.json('POST', `/api/meetings/${meetingId}/join`, { displayName: name }));
}

describe('the shared note across a server restart', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('two clients converge, and after %s a new client gets the full note', async (signal) => {
    const first = await server();
    cleanups.push(() => first.dispose());
    await addUser(first.dataDir, 'pat@team.org');
    const seeded = await seedNetwork(first.dataDir, { team: ['pat@team.org'] });
    const practitioner = new HttpSession(first.url);
    await practitioner.login('pat@team.org', PASSWORD);
    const member = HttpSession.forInvite(first.url, seeded.inviteUrl);

    const a = connectDocClient(first.url, (await join(practitioner, seeded.meetingId, 'Pat')).sync);
    const b = connectDocClient(first.url, (await join(member, seeded.meetingId, 'Sam')).sync);
    cleanups.push(() => a.destroy(), () => b.destroy());
    await Promise.all([a.synced, b.synced]);

    a.addParagraph('Pat: we talked about sleep.');
    b.addParagraph('Sam: and about work.');
    await vi.waitFor(() => {
      expect(a.text()).toContain('Sam: and about work.');
      expect(b.text()).toContain('Pat: we talked about sleep.');
    });
    expect(a.text()).toBe(b.text());
    const before = a.text();

    await first.stop(signal);
    a.destroy();
    b.destroy();

    const second = await server(first.dataDir);
    const again = HttpSession.forInvite(second.url, seeded.inviteUrl);
    const c = connectDocClient(second.url, (await join(again, seeded.meetingId, 'Sam')).sync);
    cleanups.push(() => c.destroy());
    await c.synced;
    await vi.waitFor(() => expect(c.text()).toBe(before));
  });
});
