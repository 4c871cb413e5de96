import { mkdirSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleResponse } from '../../shared/api/records.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const SCREENS = 'test-results/screenshots';
const SIZES = { small: { width: 360, height: 640 }, phone: { width: 390, height: 844 }, laptop: { width: 1440, height: 900 } };
const DAY = 24 * 60 * 60 * 1000;

/**
 * Issue 13.3 and 13.5 as a brother sees them: the network of Jo has three on its team, but only Robin and
 * Ana come to today's meeting; eight daily meetings follow from tomorrow at 10:00 and two were held before.
 */
describe('a waiting screen that tells the truth, and what comes after a meeting', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let tomorrowId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    server = await startServerProcess({ env: { LIVEKIT: 'off' } });
    const robin = await addUser(server.dataDir, 'robin@team.org', { name: 'Robin Hale' });
    const ana = await addUser(server.dataDir, 'ana@team.org', { name: 'Ana Berg', role: 'peer_worker' });
    await addUser(server.dataDir, 'lee@team.org', { name: 'Lee Ward' });
    seeded = await seedNetwork(server.dataDir, { team: ['robin@team.org', 'ana@team.org', 'lee@team.org'], personName: 'Jo', memberName: 'Sam' });
    for (const daysAgo of [3, 2]) {
      const held = idOf(await cli(server.dataDir, ['meeting', 'create', '--network', seeded.networkId, '--at', new Date(Date.now() - daysAgo * DAY).toISOString()]));
      await cli(server.dataDir, ['meeting', 'end', '--meeting', held]);
    }
    const team = new HttpSession(server.url);
    await team.login('robin@team.org', PASSWORD);
    await team.json('PUT', `/api/meetings/${seeded.meetingId}/team`, { userIds: [robin, ana] });
    const series = ScheduleResponse.parse(
      await team.json('POST', `/api/networks/${seeded.networkId}/schedule`, { startsAt: tomorrowAt(10).toISOString(), count: 8, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
    );
    tomorrowId = series.meetings[0]?.id ?? '';
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.dispose();
  });

  const openInvite = async (size: keyof typeof SIZES): Promise<Page> => {
    const context = await browser.newPerson({ viewport: SIZES[size] });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await page.getByRole('heading', { name: 'Hello, Sam' }).waitFor();
    return page;
  };

  it('puts the next meetings first on the invite page, within the first screen of a phone, and the rest behind "Show all meetings"', async () => {
    for (const size of ['phone', 'small', 'laptop'] as const) {
      const page = await openInvite(size);
      const next = page.getByRole('region', { name: 'Next meetings' }).getByRole('listitem');
      await expect.poll(() => next.count()).toBe(3);
      await expect.poll(() => next.nth(0).textContent()).toMatch(/^Today at \d\d:\d\d/);
      await expect.poll(() => next.nth(1).textContent()).toMatch(/^Tomorrow, \w+ \d+ \w+, at 10:00/);
      expect(await next.nth(0).textContent()).toContain('With Robin Hale (practitioner) and Ana Berg (peer worker)');
      expect(await page.getByRole('button', { name: 'Join this meeting' }).count()).toBe(1);
      if (size === 'phone') {
        // The whole of today's meeting, its Join button included, is on the first screen of a 390×844 phone.
        await expectInViewport(page, next.nth(0));
        await expectInViewport(page, page.getByRole('button', { name: 'Join this meeting' }));
        await expectInViewport(page, next.nth(1));
      }
      const records = page.getByRole('region', { name: 'Records of meetings held' });
      await expect.poll(() => records.getByRole('button', { name: /^Read the record of this meeting/ }).count()).toBe(2);
      await page.screenshot({ path: `${SCREENS}/waiting-invite-${size}.png`, fullPage: true });
      expect(await seriousAxeViolations(page)).toEqual([]);

      const later = page.getByRole('heading', { name: 'Later meetings' });
      expect(await later.isVisible()).toBe(false);
      await page.getByText('Show all meetings (6 more)').click();
      await later.waitFor();
      expect(await page.getByRole('button', { name: /^Details of the meeting/ }).count()).toBe(8);
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
  });

  it("shows tomorrow's meeting as its day and time with a calendar button, never a waiting room, and its status on the team's page stays as planned", async () => {
    for (const size of ['small', 'phone', 'laptop'] as const) {
      const page = await openInvite(size);
      await page.getByRole('button', { name: /^Details of the meeting Tomorrow/ }).click();
      const heading = page.getByRole('heading', { level: 1 });
      await expect.poll(() => heading.textContent()).toMatch(/^This meeting is tomorrow, \w+ \d+ \w+, at 10:00$/);
      const calendar = page.getByRole('button', { name: 'Add to calendar' });
      await expectInViewport(page, calendar);
      await page.getByText(/^You can join from 09:30 on the day/).waitFor();
      expect(await page.getByText(/Waiting for|will join|Join meeting/).count()).toBe(0);
      expect(await page.getByLabel('Your name, as others will see it').count()).toBe(0);
      await page.screenshot({ path: `${SCREENS}/waiting-tomorrow-${size}.png`, fullPage: true });
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (size === 'phone') {
        const [download] = await Promise.all([page.waitForEvent('download'), calendar.click()]);
        const ics = readFileSync((await download.path()) ?? '', 'utf8');
        expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
        expect(ics).toContain(`UID:${tomorrowId}`);
      }
    }

    const robin = await (await browser.newPerson({ viewport: SIZES.phone })).newPage();
    contexts.push(robin.context());
    await robin.goto(`${server.url}/login`);
    await robin.getByLabel('Email').fill('robin@team.org');
    await robin.getByLabel('Password').fill(PASSWORD);
    await robin.getByRole('button', { name: 'Log in' }).click();
    await robin.getByRole('link', { name: 'Jo' }).click();
    const meetings = robin.getByRole('region', { name: 'Meetings', exact: true });
    await meetings.getByRole('heading', { name: 'Coming up' }).waitFor();
    const tomorrowItem = meetings.getByRole('listitem').filter({ has: robin.getByRole('button', { name: `Move meeting of ${await shortWhen(robin, tomorrowAt(10))}` }) });
    await expect.poll(() => tomorrowItem.textContent()).toContain('With Robin Hale, Ana Berg and Lee Ward');
    expect(await tomorrowItem.textContent()).not.toContain('happening now');
    expect(await meetings.getByText('happening now').count()).toBe(0);
    // The team chooses who comes to tomorrow's meeting; the brother is told.
    await tomorrowItem.getByRole('button', { name: /^Who comes/ }).click();
    await tomorrowItem.getByLabel('Robin Hale (practitioner)').uncheck();
    await tomorrowItem.getByLabel('Lee Ward (practitioner)').uncheck();
    await robin.screenshot({ path: `${SCREENS}/waiting-team-choose-phone.png`, fullPage: true });
    expect(await seriousAxeViolations(robin)).toEqual([]);
    await tomorrowItem.getByRole('button', { name: 'Save who comes' }).click();
    await expect.poll(() => tomorrowItem.textContent()).toContain('With Ana Berg');
    expect(await tomorrowItem.textContent()).not.toContain('Robin Hale');

    const sam = await openInvite('phone');
    await expect.poll(() => sam.getByRole('region', { name: 'Next meetings' }).getByRole('listitem').nth(1).textContent()).toContain('With Ana Berg (peer worker)');
  });

  it("says the time in the member's own zone, and the team's clock beside it when it reads another time", async () => {
    // The server (the network's zone) runs in this process's zone; the member is somewhere else.
    const teamZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const memberZone = teamZone === 'America/New_York' ? 'Asia/Tokyo' : 'America/New_York';
    const place = (zone: string) => zone.split('/').pop()?.replaceAll('_', ' ') ?? zone;
    const context = await browser.browser.newContext({ viewport: SIZES.phone, timezoneId: memberZone });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await page.getByText(`Times are in your time zone (${memberZone.replaceAll('_', ' ')}). The team is in ${place(teamZone)} time.`).waitFor();
    await page.getByRole('button', { name: /^Details of the meeting/ }).first().click();
    const memberClock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: memberZone }).format(tomorrowAt(10));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(new RegExp(` at ${memberClock}$`));
    await page.getByText(new RegExp(`^Times are in your time zone \\(${memberZone.replaceAll('_', ' ')}\\)\\. That is 10:00 (on \\w+ \\d+ \\w+ )?in ${place(teamZone)} time, where the team is\\.$`)).waitFor();
    await page.screenshot({ path: `${SCREENS}/waiting-tomorrow-other-zone-phone.png`, fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('names only the chosen team members and the time on the waiting screen; the end screen shows the next meeting and the record', async () => {
    const pages: Page[] = [];
    for (const size of ['small', 'phone', 'laptop'] as const) {
      const page = await openInvite(size);
      await page.getByRole('button', { name: 'Join this meeting' }).click();
      await page.getByLabel('Your name, as others will see it').fill('Sam');
      await page.getByRole('button', { name: 'Join meeting' }).click();
      await page.getByRole('button', { name: 'Leave meeting' }).waitFor();
      const waiting = page.getByRole('region', { name: 'Waiting for Robin Hale and Ana Berg' });
      await waiting.waitFor();
      const text = (await waiting.textContent()) ?? '';
      expect(text).toMatch(/This meeting is about Jo, today at \d\d:\d\d\./);
      expect(text).toMatch(/Robin Hale \(practitioner\) and Ana Berg \(peer worker\) (will join by|have not joined yet)/);
      expect(text).not.toContain('Lee');
      expect(text).not.toContain('soon');
      await page.screenshot({ path: `${SCREENS}/waiting-room-${size}.png`, fullPage: true });
      expect(await seriousAxeViolations(page)).toEqual([]);
      pages.push(page);
    }

    await cli(server.dataDir, ['meeting', 'end', '--meeting', seeded.meetingId]);
    for (const [i, page] of pages.entries()) {
      await page.getByRole('heading', { name: 'The meeting has ended' }).waitFor();
      const after = page.getByRole('region', { name: 'What happens next' });
      await expect.poll(() => after.textContent()).toMatch(/Next meeting: tomorrow, \w+ \d+ \w+, at 10:00/);
      await after.getByRole('button', { name: 'Add the next meeting to my calendar' }).waitFor();
      await expectInViewport(page, after.getByRole('link', { name: 'Read the record of this meeting' }));
      await page.screenshot({ path: `${SCREENS}/waiting-ended-${Object.keys(SIZES)[i] ?? i}.png`, fullPage: true });
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
    const page = pages[1];
    if (!page) throw new Error('no phone page');
    await page.getByRole('link', { name: 'Read the record of this meeting' }).click();
    await page.getByRole('heading', { name: 'What was written in the meeting' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${new URL(seeded.inviteUrl).pathname}/record/${seeded.meetingId}`);
    await page.getByRole('button', { name: 'Back to all meetings' }).click();
    await page.getByRole('heading', { name: 'Hello, Sam' }).waitFor();
  });
});

/** Asserts that the element's whole box lies inside the viewport, without scrolling. */
async function expectInViewport(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) throw new Error('no box or viewport');
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
}

/** The meeting time as the network page words it in the browser (its accessible names use it). */
async function shortWhen(page: Page, at: Date): Promise<string> {
  return page.evaluate((iso) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }), at.toISOString());
}

function tomorrowAt(hour: number): Date {
  const date = new Date(Date.now() + DAY);
  date.setHours(hour, 0, 0, 0);
  return date;
}
