import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const LIVEKIT = { timeout: 30_000 };

/**
 * A browser that cannot encrypt media end to end (no insertable streams, no RTCRtpScriptTransform: made so
 * here by removing both before the app loads) never joins the video: it says why and what to do, on a phone
 * and on a laptop, and the notes still work. The others never receive anything from it.
 */
describe('a browser that cannot encrypt media', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;

  beforeAll(async () => {
    server = await startServerProcess({ env: await embeddedLiveKitEnv() });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('says plainly that video is off because it cannot be encrypted, keeps the notes, and sends nothing', async () => {
    const alex = await MeetingPage.open(await browser.newPerson(), `${server.url}/login`);
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex');
    await alex.page.getByText('End-to-end encrypted', { exact: true }).waitFor();

    for (const viewport of [{ width: 360, height: 640 }, { width: 1440, height: 900 }]) {
      const context = await browser.newPerson({ viewport });
      await withoutEncryption(context);
      const sam = await MeetingPage.open(context, `${server.url}${new URL(seeded.inviteUrl).pathname}`);
      await sam.chooseFirstMeeting();
      await sam.join('Sam');
      await sam.openTab('Video');
      const message = sam.page.getByText('it cannot encrypt them end to end', { exact: false });
      await message.waitFor();
      expect(await inViewport(sam.page, message)).toBe(true);
      expect(await message.textContent()).toContain('open your link in an up-to-date Chrome, Edge, Firefox or Safari');
      expect(await sam.page.getByText('End-to-end encrypted', { exact: true }).count()).toBe(0);
      // No microphone or camera buttons that could do nothing; leaving still can.
      const controls = sam.page.getByRole('toolbar', { name: 'Meeting controls' });
      expect(await controls.getByRole('button', { name: /microphone|camera/ }).count()).toBe(0);
      expect(await controls.getByRole('button', { name: 'Leave meeting' }).isVisible()).toBe(true);
      await sam.page.screenshot({ path: `test-results/screenshots/e2ee-unsupported-${viewport.width}x${viewport.height}.png` });
      expect(await seriousAxeViolations(sam.page)).toEqual([]);

      const line = `Notes still work at ${viewport.width} pixels.`;
      await sam.typeInNotes(line);
      await alex.openTab('Notes');
      await expect.poll(() => alex.notes.textContent(), LIVEKIT).toContain(line);
      // Alex's video shows only Alex: Sam never joined the room.
      await alex.openTab('Video');
      expect(await alex.page.locator('figure.tile').count()).toBe(1);
      await context.close();
    }
  });
});

/** Removes the two ways a browser encrypts media frames, before any page script runs. */
async function withoutEncryption(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete (RTCRtpSender.prototype as unknown as Record<string, unknown>)['createEncodedStreams'];
    delete (RTCRtpReceiver.prototype as unknown as Record<string, unknown>)['createEncodedStreams'];
    delete w['RTCRtpScriptTransform'];
  });
}

async function inViewport(page: Page, locator: ReturnType<Page['locator']>): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height && box.width > 0;
}
