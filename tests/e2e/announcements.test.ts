import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { pressControl } from '../helpers/meetingControls.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

/** LiveKit's and the shared space's events can take seconds on a busy machine. */
const SLOW = { timeout: 30_000 };

/**
 * What a screen reader hears in the meeting room, over the real server and LiveKit: the polite live region's
 * text as it changes when someone joins, raises a hand, writes in the chat, when reflecting starts and ends,
 * and when someone leaves. Alex (practitioner, laptop) is here first; Sam (family, phone) joins. The tests
 * run in order, as one meeting goes on.
 */
describe('meeting announcements for screen readers', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let alex: MeetingPage;
  let sam: MeetingPage;

  beforeAll(async () => {
    server = await startServerProcess({ env: await embeddedLiveKitEnv() });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex' });
    const seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    alex = await MeetingPage.open(await browser.newPerson({ viewport: { width: 1440, height: 900 } }), `${server.url}/login`);
    sam = await MeetingPage.open(await browser.newPerson({ viewport: { width: 390, height: 844 } }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('is one polite status region that is read, not seen', async () => {
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex');
    const region = announcements(alex.page);
    expect(await region.getAttribute('role')).toBe('status');
    expect(await region.getAttribute('aria-live')).toBe('polite');
    const box = await region.boundingBox();
    expect(box && box.width <= 1 && box.height <= 1).toBe(true);
    // Nobody else is here yet: nothing to say.
    expect(await region.textContent()).toBe('');
  });

  it('tells a newcomer who is already here, and tells those here who joined', async () => {
    // Past its first moments, Alex's room counts arrivals as joins rather than as people already here.
    await alex.page.locator('#meeting-announcements[data-settled="true"]').waitFor(SLOW);
    await sam.chooseFirstMeeting();
    await sam.join('Sam');
    await expect.poll(() => announcements(sam.page).textContent(), SLOW).toContain('Alex is here.');
    await expect.poll(() => announcements(alex.page).textContent(), SLOW).toContain('Sam joined.');
  });

  it('says whose hand went up to others, and to the person when someone else lowers theirs', async () => {
    await pressControl(sam.page, 'Raise hand');
    await expect.poll(() => lastAnnouncement(alex.page), SLOW).toBe('Sam raised their hand.');
    await alex.page.getByRole('button', { name: 'Lower Sam’s hand' }).click();
    await expect.poll(() => lastAnnouncement(sam.page), SLOW).toBe('Your hand was lowered.');
    // Sam's own raising is not read back to Sam: the button already says it.
    expect(await announcements(sam.page).textContent()).not.toContain('raised');
  });

  it('reads a short chat message with its sender, to the others only', async () => {
    await sam.openTab('Chat');
    await sam.page.getByRole('textbox', { name: 'Message' }).fill('Can we take a short break?');
    await sam.page.keyboard.press('Enter');
    await expect.poll(() => lastAnnouncement(alex.page), SLOW).toBe('Chat from Sam: Can we take a short break?');
    expect(await announcements(sam.page).textContent()).not.toContain('Chat from');
  });

  it('says when the team starts and finishes reflecting', async () => {
    await alex.page.getByRole('button', { name: 'Start reflecting' }).click();
    await expect.poll(() => lastAnnouncement(sam.page), SLOW).toBe('The team has started reflecting. You are welcome to listen.');
    await alex.page.getByRole('button', { name: 'Return to the network' }).click();
    await expect.poll(() => lastAnnouncement(sam.page), SLOW).toBe('The team has finished reflecting. Back to everyone.');
    // The banner on screen is not a second live region saying the same.
    expect(await sam.page.locator('[role="status"], [aria-live]').filter({ hasText: 'Back to everyone' }).count()).toBe(1);
  });

  it('does not say that others left while this phone was offline, and goes on once it is back', async () => {
    await sam.openTab('Video');
    await sam.page.context().setOffline(true);
    await sam.page.getByText('Reconnecting…', { exact: true }).waitFor();
    // The shared space has noticed too: its socket is closed, and with it everyone's presence.
    await sam.page.locator('.save-status[data-state^="offline"]').waitFor(SLOW);
    await sam.page.context().setOffline(false);
    await sam.page.locator('.save-status[data-state="saved"]').waitFor(SLOW);
    await alex.openTab('Chat');
    await alex.page.getByRole('textbox', { name: 'Message' }).fill('Welcome back, Sam.');
    await alex.page.keyboard.press('Enter');
    await expect.poll(() => lastAnnouncement(sam.page), SLOW).toBe('Chat from Alex: Welcome back, Sam.');
    expect(await announcements(sam.page).textContent()).not.toMatch(/Alex (left|joined)/);
  });

  it('says who left', async () => {
    await pressControl(sam.page, 'Leave meeting');
    await sam.page.getByRole('heading', { name: 'You have left the meeting' }).waitFor();
    await expect.poll(() => lastAnnouncement(alex.page), SLOW).toBe('Sam left.');
  });
});

function announcements(page: Page) {
  return page.locator('#meeting-announcements');
}

/** The newest announcement: each is added as its own paragraph, so that a repeated one is read again. */
async function lastAnnouncement(page: Page): Promise<string> {
  const lines = await announcements(page).locator('p').allTextContents();
  return lines.at(-1) ?? '';
}
