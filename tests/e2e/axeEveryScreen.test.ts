import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { pressControl } from '../helpers/meetingControls.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

/** Two phones (a common one and a small one) and a laptop: every screen is checked at each. */
const SIZES = [
  { name: 'phone-390', width: 390, height: 844 },
  { name: 'phone-360', width: 360, height: 640 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;
type Size = (typeof SIZES)[number];
const SLOW = { timeout: 30_000 };
const SHOTS = 'test-results/screenshots/axe';

/**
 * axe (WCAG 2.2 A and AA, serious and critical) on every screen at both phone sizes and on a laptop: the team's
 * pages, the family's invite page, pre-join, waiting, the meeting room with each view open, leaving, the end,
 * and the record. Screens are found by roles and names, so that a changed layout does not break the walk.
 * Each test collects every violation of its screens, so one run shows them all. The tests run in order, as
 * one meeting goes on.
 */
describe('axe on every screen, on phones and on a laptop', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let alex: MeetingPage; // practitioner and admin
  let sam: MeetingPage; // network member

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServerProcess({ env: await embeddedLiveKitEnv() });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', admin: true });
    await addUser(server.dataDir, 'kim@team.org', { name: 'Kim', role: 'peer_worker' });
    seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org', 'kim@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    alex = await MeetingPage.open(await browser.newPerson(), `${server.url}/login`);
    sam = await MeetingPage.open(await browser.newPerson(), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("the team's pages: login, networks, a network, team accounts, your account", async () => {
    const found: string[] = [];
    await alex.page.getByRole('heading', { name: 'Team login' }).waitFor();
    await checkAtEverySize(alex.page, 'login', found);
    await alex.page.getByLabel('Email').fill('alex@team.org');
    await alex.page.getByLabel('Password').fill(PASSWORD);
    await alex.page.getByRole('button', { name: 'Log in' }).click();
    await alex.page.getByRole('heading', { name: 'Networks' }).waitFor();
    await checkAtEverySize(alex.page, 'home', found);
    await alex.page.getByRole('link', { name: 'Jo' }).click();
    await alex.page.getByRole('heading', { name: 'Network of Jo' }).waitFor();
    await checkAtEverySize(alex.page, 'network', found);
    await alex.page.getByRole('link', { name: 'Team accounts' }).click();
    await alex.page.getByRole('heading', { name: 'Team accounts' }).waitFor();
    await checkAtEverySize(alex.page, 'team-accounts', found);
    await alex.page.getByRole('link', { name: 'Your account' }).click();
    await alex.page.getByRole('heading', { name: 'Your account' }).waitFor();
    await checkAtEverySize(alex.page, 'account', found);
    expect(found).toEqual([]);
  });

  it('team pages: a skip link comes first and leads past the header; after a navigation focus is on the new heading', async () => {
    const page = alex.page;
    await page.setViewportSize(SIZES[0]);
    await page.getByRole('link', { name: 'Polyphony' }).click();
    await expect.poll(() => focusedText(page)).toBe('H1 Networks');
    await page.getByRole('link', { name: 'Jo' }).click();
    await expect.poll(() => focusedText(page), SLOW).toBe('H1 Network of Jo');

    // A fresh load leaves focus at the top of the page: the first Tab reaches the skip link, shown on screen.
    await page.reload();
    await page.getByRole('heading', { name: 'Network of Jo' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('A Skip to main content');
    const skip = await page.getByRole('link', { name: 'Skip to main content' }).boundingBox();
    expect(skip && skip.y >= 0 && skip.x >= 0 && skip.x + skip.width <= SIZES[0].width).toBe(true);
    await page.screenshot({ path: `${SHOTS}/skip-link-${SIZES[0].name}.png` });
    await page.keyboard.press('Enter');
    expect(await focusedText(page)).toBe('H1 Network of Jo');
    // The next Tab goes on inside the page's content, past the header's links.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
  });

  it("the family's way in: invite page, pre-join, and waiting for the team with each view open", async () => {
    const found: string[] = [];
    await sam.page.getByRole('heading', { name: 'Hello, Sam' }).waitFor();
    await checkAtEverySize(sam.page, 'invite', found);
    await sam.chooseFirstMeeting();
    await sam.page.getByLabel('Your name, as others will see it').waitFor();
    await checkAtEverySize(sam.page, 'prejoin', found);
    await sam.join('Sam');
    await sam.page.getByRole('region', { name: /^Waiting for/ }).waitFor(SLOW);
    await checkEveryView(sam.page, 'waiting', found);
    expect(found).toEqual([]);
  });

  it('the meeting room with the team there, each view open, and while the team reflects', async () => {
    const found: string[] = [];
    await alex.page.getByRole('link', { name: 'Polyphony' }).click();
    await alex.page.getByRole('link', { name: 'Jo' }).click();
    await alex.page.getByRole('link', { name: /^Join / }).first().click();
    await alex.join('Alex');
    await expect.poll(() => sam.page.getByRole('region', { name: /^Waiting for/ }).count(), SLOW).toBe(0);
    await sam.waitForRemoteVideoPlaying();
    // Enough messages for the chat to scroll on a phone: a scrolling list must be reachable by keyboard.
    await sam.openTab('Chat');
    for (const text of ['Hello everyone.', 'Can you hear me?', 'I can see you now.', 'Jo is on her way.', 'She will be here soon.']) {
      await sam.page.getByRole('textbox', { name: 'Message' }).fill(text);
      await sam.page.keyboard.press('Enter');
    }
    await checkEveryView(sam.page, 'room-family', found);
    await checkEveryView(alex.page, 'room-team', found);

    await alex.page.getByRole('button', { name: 'Start reflecting' }).click();
    await sam.page.getByText('The team is reflecting', { exact: true }).waitFor(SLOW);
    await checkEveryView(sam.page, 'reflecting-family', found);
    await checkAtEverySize(alex.page, 'reflecting-team', found);
    await alex.page.getByRole('button', { name: 'Return to the network' }).click();
    await sam.page.getByText('Back to everyone', { exact: true }).waitFor(SLOW);
    await checkAtEverySize(sam.page, 'returned-family', found);
    expect(found).toEqual([]);
  });

  it('leaving, joining again, and the end of the meeting for everyone', async () => {
    const found: string[] = [];
    await pressControl(sam.page, 'Leave meeting');
    await sam.page.getByRole('heading', { name: 'You have left the meeting' }).waitFor();
    await checkAtEverySize(sam.page, 'left', found);
    await sam.page.getByRole('button', { name: 'Join again' }).click();
    await sam.join('Sam');

    await pressControl(alex.page, 'End meeting for everyone');
    const dialog = alex.page.getByRole('dialog', { name: 'End the meeting for everyone?' });
    await dialog.waitFor();
    await checkAtEverySize(alex.page, 'end-dialog', found);
    await dialog.getByRole('button', { name: 'End for everyone' }).click();
    for (const person of [alex, sam]) await person.page.getByRole('heading', { name: 'The meeting has ended' }).waitFor(SLOW);
    await checkAtEverySize(sam.page, 'ended-family', found);
    await checkAtEverySize(alex.page, 'ended-team', found);
    expect(found).toEqual([]);
  });

  it("the record: the team's record page and the family's record view", async () => {
    const found: string[] = [];
    await alex.page.goto(`${server.url}/networks/${seeded.networkId}/meetings/${seeded.meetingId}`);
    await alex.page.getByRole('heading', { name: 'Meeting record: network of Jo' }).waitFor(SLOW);
    await checkAtEverySize(alex.page, 'record-team', found);

    await sam.page.goto(`${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await sam.page.getByRole('button', { name: 'Read the record of this meeting' }).first().click();
    await sam.page.getByRole('heading', { name: 'What was written in the meeting' }).waitFor(SLOW);
    await checkAtEverySize(sam.page, 'record-family', found);
    expect(found).toEqual([]);
  });
});

/** Runs axe on the page as it is at each size, adding what it finds to `found` and keeping a screenshot. */
async function checkAtEverySize(page: Page, screen: string, found: string[], beforeCheck?: (size: Size) => Promise<void>): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await nextFrames(page);
    await beforeCheck?.(size);
    await check(page, `${screen}-${size.name}`, found);
  }
}

/** The meeting room at each size with each of its views open in turn (the tabs there are at that size). */
async function checkEveryView(page: Page, screen: string, found: string[]): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await nextFrames(page);
    const tabs = page.getByRole('tablist', { name: 'Meeting views' }).getByRole('tab');
    const count = await tabs.count();
    if (count === 0) found.push(`${screen}-${size.name}: no meeting views found`);
    for (let i = 0; i < count; i++) {
      const tab = tabs.nth(i);
      await tab.click();
      const view = ((await tab.textContent()) ?? `tab-${i}`).replace(/\s*\(.*\)$/, '').trim();
      await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
      await nextFrames(page);
      await check(page, `${screen}-${size.name}-${view}`, found);
    }
  }
}

async function check(page: Page, name: string, found: string[]): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
  for (const v of await seriousAxeViolations(page)) found.push(`${name}: ${v.id} (${v.help}) at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Lets the page lay itself out at a new size (and run its resize listeners) before it is checked. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
}

/** The focused element as "TAG text", as a screen reader would land on it. */
function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName} ${(el.textContent ?? '').trim()}` : 'none';
  });
}
