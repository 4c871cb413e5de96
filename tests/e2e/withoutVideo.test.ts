import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

describe('a meeting when no video server can be had', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;

  beforeAll(async () => {
    // A binary path that does not exist: the server must still start and say why video is missing.
    server = await startServerProcess({ env: { LIVEKIT_SERVER_BIN: '/nonexistent/livekit-server', PATH: '/usr/bin:/bin', POLYPHONY_CACHE: '/nonexistent' } });
    await addUser(server.dataDir, 'robin@team.org', { name: 'Robin' });
    seeded = await seedNetwork(server.dataDir, { team: ['robin@team.org'], personName: 'Jo', memberName: 'Kim' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('loads the meeting, keeps the notes working, and says plainly that video is unavailable', async () => {
    const robin = await MeetingPage.open(await browser.newPerson(), `${server.url}/login`);
    await robin.loginAndOpenMeeting('robin@team.org', PASSWORD, 'Jo');
    await robin.join('Robin', { audioOnly: true });
    await robin.page.getByText('Video is not available').waitFor();

    const kim = await MeetingPage.open(await browser.newPerson(), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await kim.chooseFirstMeeting();
    await kim.join('Kim');
    await robin.typeInNotes('Notes still work.');
    await expect.poll(() => kim.notes.textContent()).toContain('Notes still work.');
    await robin.screenshot('meeting-without-video');
    expect(await seriousAxeViolations(robin.page)).toEqual([]);

    // Ending the meeting reaches everyone through the shared space alone.
    await robin.chooseFromMore('End meeting for everyone');
    await robin.page.getByRole('button', { name: 'End for everyone' }).click();
    await kim.page.getByRole('heading', { name: 'The meeting has ended' }).waitFor();
    await robin.page.getByRole('heading', { name: 'The meeting has ended' }).waitFor();
  });
});
