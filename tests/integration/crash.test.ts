import { describe, expect, it, vi } from 'vitest';
import { useCleanups } from '../helpers/cleanups.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();

async function start(dataDir?: string): Promise<ServerProcess> {
  const server = await startServerProcess({ env: { LIVEKIT: 'off' }, ...(dataDir ? { dataDir } : {}) });
  cleanup(() => server.stop());
  return server;
}

describe('kill -9 in the middle of a burst of typing', () => {
  it('loses nothing that another client had already received, and leaves a document that loads', async () => {
    const first = await start();
    cleanup(() => first.dispose());
    await addUser(first.dataDir, 'pat@team.org');
    const seeded = await seedNetwork(first.dataDir, { team: ['pat@team.org'] });
    const team = new HttpSession(first.url);
    await team.login('pat@team.org', PASSWORD);
    const { client: writer } = await joinAndConnect(team, seeded.meetingId);
    const { client: reader } = await joinAndConnect(HttpSession.forInvite(first.url, seeded.inviteUrl), seeded.meetingId);
    cleanup(() => writer.destroy(), () => reader.destroy());

    // A bounded burst: one paragraph every 2 ms; the server is killed once the reader has seen 100.
    let sent = 0;
    const burst = setInterval(() => {
      if (sent < 2000) writer.addParagraph(`line ${sent++}`);
    }, 2);
    cleanup(() => clearInterval(burst));
    await vi.waitFor(() => expect(reader.text().split('\n').length).toBeGreaterThanOrEqual(100), { timeout: 20_000, interval: 5 });
    await first.stop('SIGKILL');
    const received = reader.text().split('\n');
    clearInterval(burst);
    writer.destroy();
    reader.destroy();

    const second = await start(first.dataDir);
    const after = HttpSession.forInvite(second.url, seeded.inviteUrl);
    const { client: loaded } = await joinAndConnect(after, seeded.meetingId);
    cleanup(() => loaded.destroy());
    const stored = new Set(loaded.text().split('\n'));
    const lost = received.filter((line) => !stored.has(line));
    expect(lost).toEqual([]);
    expect(received.length).toBeGreaterThanOrEqual(100);
  });
});
