import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

describe('a meeting when no video server can be had', () => {
  let server: ServerProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    // A binary path that does not exist: the server must still start and say why video is missing.
    server = await startServerProcess({ env: { LIVEKIT_SERVER_BIN: '/nonexistent/livekit-server', PATH: '/usr/bin:/bin', POLYPHONY_CACHE: '/nonexistent' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('loads the meeting, keeps the notes working, and says plainly that video is unavailable', async () => {
    const first = await MeetingPage.open(await browser.newPerson(), server.url);
    const joinLink = await first.createMeeting();
    await first.page.goto(joinLink);
    await first.join('Robin', { audioOnly: true });
    await first.page.getByText('Video is not available').waitFor();

    const second = await MeetingPage.open(await browser.newPerson(), joinLink);
    await second.join('Kim');
    await first.typeInNotes('Notes still work.');
    await expect.poll(() => second.notes.textContent()).toContain('Notes still work.');
    await first.screenshot('meeting-without-video');
    expect(await seriousAxeViolations(first.page)).toEqual([]);
  });
});
