import { describe, expect, it, vi } from 'vitest';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();

async function server(dataDir?: string): Promise<ServerProcess> {
  const started = await startServerProcess({ env: { LIVEKIT: 'off' }, ...(dataDir ? { dataDir } : {}) });
  cleanup(() => started.stop());
  return started;
}

describe('the shared note across a server restart', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('two clients converge, and after %s a new client gets the full note', async (signal) => {
    const first = await server();
    cleanup(() => first.dispose());
    await addUser(first.dataDir, 'pat@team.org');
    const seeded = await seedNetwork(first.dataDir, { team: ['pat@team.org'] });
    const practitioner = new HttpSession(first.url);
    await practitioner.login('pat@team.org', PASSWORD);
    const member = HttpSession.forInvite(first.url, seeded.inviteUrl);

    const { client: a } = await joinAndConnect(practitioner, seeded.meetingId, 'Pat');
    const { client: b } = await joinAndConnect(member, seeded.meetingId, 'Sam');
    cleanup(() => a.destroy(), () => b.destroy());

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
    const { client: c } = await joinAndConnect(again, seeded.meetingId, 'Sam');
    cleanup(() => c.destroy());
    await vi.waitFor(() => expect(c.text()).toBe(before));
  });
});
