import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAndJoin, joinMeeting } from '../helpers/apiClient.ts';
import { connectDocClient } from '../helpers/docClient.ts';
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

describe('the shared note across a server restart', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('two clients converge, and after %s a new client gets the full note', async (signal) => {
    const first = await server();
    cleanups.push(() => first.dispose());
    const alex = await createAndJoin(first.url, 'Alex');
    const sam = await joinMeeting(first.url, alex.meetingId, 'Sam');

    const a = connectDocClient(first.url, alex.sync);
    const b = connectDocClient(first.url, sam.sync);
    cleanups.push(() => a.destroy(), () => b.destroy());
    await Promise.all([a.synced, b.synced]);

    a.addParagraph('Alex: we talked about sleep.');
    b.addParagraph('Sam: and about work.');
    await vi.waitFor(() => {
      expect(a.text()).toContain('Sam: and about work.');
      expect(b.text()).toContain('Alex: we talked about sleep.');
    });
    expect(a.text()).toBe(b.text());
    const before = a.text();

    await first.stop(signal);
    a.destroy();
    b.destroy();

    const second = await server(first.dataDir);
    const rejoined = await joinMeeting(second.url, alex.meetingId, 'Alex');
    const c = connectDocClient(second.url, rejoined.sync);
    cleanups.push(() => c.destroy());
    await c.synced;
    await vi.waitFor(() => expect(c.text()).toBe(before));
  });
});
