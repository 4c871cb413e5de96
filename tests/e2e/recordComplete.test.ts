import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const run = promisify(execFile);
const SCREENS = 'test-results/screenshots';
const SMALL_PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1440, height: 900 };
/** Not the test machine's zone (UTC): a time shown in the wrong zone would show. */
const ZONE = 'Asia/Tokyo';

const REFLECTION = 'I heard how much Kim wants to help, and also how tired Kim is.';
const ANSWER = 'It helped to hear that. We are tired, but we are not giving up.';
const VIEW = 'I would rather wait until Jo sleeps better.';
const CHAT = 'Can we talk about Gran next time?';

/**
 * The network answers the team's reflections and gives its views in the meeting, by keyboard on a small
 * phone; the sealed record shows that, the chat and the map, in the network's zone; the family downloads
 * the same PDF the team files.
 */
describe('the complete record, written in the meeting and read through the family’s link', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let robin: MeetingPage;
  let kim: MeetingPage;
  let downloads: string;

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    downloads = mkdtempSync(join(tmpdir(), 'polyphony-downloads-'));
    server = await startServerProcess({ env: { LIVEKIT: 'off' } });
    await addUser(server.dataDir, 'robin@team.org', { name: 'Robin' });
    seeded = await seedNetwork(server.dataDir, { team: ['robin@team.org'], personName: 'Jo', memberName: 'Kim' });
    const team = new HttpSession(server.url);
    await team.login('robin@team.org', PASSWORD);
    await team.json('PUT', `/api/networks/${seeded.networkId}/time-zone`, { timeZone: ZONE });
    browser = await launchBrowser();
    robin = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    await robin.loginAndOpenMeeting('robin@team.org', PASSWORD, 'Jo');
    await robin.join('Robin', { audioOnly: true });
    kim = await MeetingPage.open(await browser.newPerson({ viewport: SMALL_PHONE }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await kim.chooseFirstMeeting();
    await kim.join('Kim');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  it('lets the network answer the reflections and give its view, by keyboard, and everyone sees it', async () => {
    await robin.openTab('Questions');
    await robin.page.getByLabel('Add an open question').fill('Medication');
    await robin.page.getByRole('button', { name: 'Add question' }).click();
    await robin.openTab('Map');
    await robin.page.getByLabel('Name', { exact: true }).fill('Gran');
    await robin.page.getByLabel('Relationship').fill('grandmother');
    await robin.page.getByRole('button', { name: 'Add to map' }).click();
    await robin.openTab('Reflections');
    await robin.page.getByLabel('Write a reflection').fill(REFLECTION);
    await robin.page.getByRole('button', { name: 'Add reflection' }).click();
    // The team reads answers but is not offered the form: the answer is the network's.
    expect(await robin.page.getByLabel('What did you make of what the team said?').count()).toBe(0);

    await kim.openTab('Reflections');
    await kim.page.getByRole('list', { name: 'Reflections' }).getByText(REFLECTION).waitFor();
    await kim.page.getByLabel('What did you make of what the team said?').focus();
    await kim.page.keyboard.type(ANSWER);
    await kim.page.keyboard.press('Tab');
    await kim.page.keyboard.press('Enter');
    await kim.page.getByRole('status').filter({ hasText: 'Your answer was added. Everyone can read it.' }).waitFor();
    await expect.poll(() => robin.page.getByRole('list', { name: 'What the network made of it' }).textContent()).toContain(ANSWER);
    await kim.screenshot('recordComplete-answer-phone');
    await robin.screenshot('recordComplete-answer-laptop');
    expect(await seriousAxeViolations(kim.page)).toEqual([]);
    expect(await seriousAxeViolations(robin.page)).toEqual([]);

    await kim.openTab('Questions');
    await kim.page.getByLabel('Your view on “Medication”').focus();
    await kim.page.keyboard.type(VIEW);
    await kim.page.keyboard.press('Tab');
    await kim.page.keyboard.press('Enter');
    await kim.page.getByRole('status').filter({ hasText: 'Your view was saved.' }).waitFor();
    await robin.openTab('Questions');
    await expect.poll(() => robin.page.getByRole('list', { name: 'Views on “Medication” today' }).textContent()).toContain(`Kim: ${VIEW}`);
    await kim.screenshot('recordComplete-view-phone');
    expect(await seriousAxeViolations(kim.page)).toEqual([]);

    await kim.openTab('Chat');
    await kim.page.getByRole('textbox', { name: 'Message' }).fill(CHAT);
    await kim.page.keyboard.press('Enter');
    await robin.openTab('Chat');
    await expect.poll(() => robin.page.getByRole('list', { name: 'Chat messages' }).textContent()).toContain(CHAT);

    await robin.chooseFromMore('End meeting for everyone');
    await robin.page.getByRole('button', { name: 'End for everyone' }).click();
    await kim.page.getByRole('heading', { name: 'The meeting has ended' }).waitFor();
  });

  it('shows the family the whole record in the network’s zone, and gives them the same PDF', async () => {
    for (const [viewport, suffix] of [
      [SMALL_PHONE, 'phone'],
      [LAPTOP, 'laptop'],
    ] as const) {
      const context = await browser.newPerson({ viewport });
      const page = await context.newPage();
      await page.goto(`${server.url}${new URL(seeded.inviteUrl).pathname}`);
      await page.getByRole('button', { name: /^Read the record of this meeting/ }).first().click();
      await page.getByRole('heading', { name: 'What was written in the meeting' }).waitFor();
      for (const text of [REFLECTION, ANSWER, CHAT]) await page.getByText(text).waitFor();
      await page.getByRole('list', { name: 'Views on “Medication”' }).getByText(VIEW).waitFor();
      await page.getByText("In the network's time zone, Asia/Tokyo").waitFor();
      await page.getByRole('img', { name: /^Network map with Jo at the centre/ }).waitFor();
      await page.getByRole('list', { name: 'People on the network map' }).getByText('Gran').waitFor();
      // Times read as the network's clock: Tokyo is UTC+9, and its zone is named.
      expect(await page.locator('.record').textContent()).toMatch(/GMT\+9|JST/);
      await expect.poll(() => imageLoaded(page)).toBe(true);
      await page.screenshot({ path: `${SCREENS}/recordComplete-member-record-${suffix}.png`, fullPage: true });
      expect(await seriousAxeViolations(page)).toEqual([]);

      if (suffix === 'phone') {
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as PDF' }).click()]);
        const pdf = join(downloads, 'record.pdf');
        await download.saveAs(pdf);
        const { stdout } = await run('pdftotext', ['-layout', pdf, '-']);
        const text = stdout.replace(/\s+/g, ' ');
        for (const line of [REFLECTION, ANSWER, VIEW, CHAT, 'Gran', 'grandmother', `(${ZONE})`]) expect(text).toContain(line);
        const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as text (Markdown)' }).click()]);
        const md = join(downloads, 'record.md');
        await markdown.saveAs(md);
        expect(markdown.suggestedFilename()).toMatch(/^meeting-record-\d{4}-\d{2}-\d{2}\.md$/);
      }
      await context.close();
    }
  });

  it('lets the team choose the network’s time zone when opening a network and later', async () => {
    for (const [viewport, suffix] of [
      [SMALL_PHONE, 'phone'],
      [LAPTOP, 'laptop'],
    ] as const) {
      const context = await browser.newPerson({ viewport });
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel('Email').fill('robin@team.org');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      // Opening a network offers the browser's own zone first.
      const zoneOnOpen = page.getByLabel('Time zone of the network');
      await zoneOnOpen.waitFor();
      expect(await zoneOnOpen.inputValue()).toBe(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
      await page.getByRole('link', { name: 'Jo' }).click();
      const zone = page.getByLabel('Time zone of the network');
      expect(await zone.inputValue()).toBe(suffix === 'phone' ? ZONE : 'Europe/Oslo');
      await zone.selectOption('Europe/Oslo');
      await page.getByRole('button', { name: 'Save time zone' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved: times are now given in Europe/Oslo.' }).waitFor();
      await page.getByRole('heading', { name: 'Time zone' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENS}/recordComplete-time-zone-${suffix}.png` });
      expect(await seriousAxeViolations(page)).toEqual([]);
      await context.close();
    }
    // The meeting was sealed in Tokyo time: a sealed record is fixed at its end, its times with it.
    const record = await HttpSession.forInvite(server.url, seeded.inviteUrl).json('GET', `/api/meetings/${seeded.meetingId}/record`);
    expect(record['record']).toMatchObject({ timeZone: ZONE });
  });
});

/** Whether the map image was decoded (an SVG the browser could not read would have no natural size). */
async function imageLoaded(page: Page): Promise<boolean> {
  return page.locator('.record-map-image').evaluate((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0);
}
