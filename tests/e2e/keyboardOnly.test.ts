import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { addUser, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

/** What a screen reader would say of the focused element, and whether a sighted person can see where focus is. */
interface Focused {
  tag: string;
  name: string;
  indicatorVisible: boolean;
}

// A generous bound: any control the path needs must be reachable in fewer Tab presses than this.
const MAX_TABS = 30;

describe('a network member who uses only the keyboard', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;

  beforeAll(async () => {
    server = await startServerProcess({
      env: await embeddedLiveKitEnv(),
    });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex' });
    seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('joins from the invite link, tests the speakers, unmutes and mutes, and leaves, seeing focus at every step', async () => {
    const page = await (await browser.newPerson()).newPage();
    await page.goto(`${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await page.getByRole('heading', { name: 'Hello, Sam' }).waitFor();

    await tabTo(page, 'Join this meeting');
    await page.keyboard.press('Enter');

    // Pre-join: focus moves to the meeting's heading, so a screen reader says where the person now is.
    await page.getByLabel('Your name, as others will see it').waitFor();
    await expect.poll(async () => (await focused(page)).tag).toBe('H1');
    await tabTo(page, 'Your name, as others will see it');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Sam and Kim');
    expect(await page.getByLabel('Your name, as others will see it').inputValue()).toBe('Sam and Kim');

    // Past the join button to the speaker test (after it, with the device lists), test with Space, then back to join.
    await tabTo(page, 'Test speakers');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('#speaker-test-status').textContent()).toMatch(/Did you hear/);
    expect(await focusedVisibly(page)).toBe('Test speakers');
    await tabTo(page, 'Join meeting', 'backwards');
    await page.keyboard.press('Enter');

    // Joined: focus lands on the meeting's heading, not lost on the page body.
    await page.getByRole('button', { name: 'Leave meeting' }).waitFor();
    await expect.poll(async () => (await focused(page)).tag, { timeout: 15_000 }).toBe('H1');
    expect((await focused(page)).name).toMatch(/meeting/i);
    // The microphone comes on by itself once video connects; wait for that before finding the button by name.
    await page.getByRole('button', { name: 'Mute microphone', exact: true }).waitFor({ timeout: 30_000 });

    await tabTo(page, 'Mute microphone');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).name).toBe('Unmute microphone');
    expect(await focusedVisibly(page)).toBe('Unmute microphone');
    await page.keyboard.press('Space');
    await expect.poll(async () => (await focused(page)).name).toBe('Mute microphone');
    expect(await focusedVisibly(page)).toBe('Mute microphone');

    await tabTo(page, 'Leave meeting');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'You have left the meeting' }).waitFor();
    await expect.poll(async () => (await focused(page)).name).toBe('You have left the meeting');
    await tabTo(page, 'Join again');
  });
});

/** Presses Tab (or Shift+Tab) until the control named `name` has focus, checking that every stop on the way shows where focus is. */
async function tabTo(page: Page, name: string, direction: 'forwards' | 'backwards' = 'forwards'): Promise<void> {
  const passed: string[] = [];
  for (let presses = 0; presses < MAX_TABS; presses++) {
    await page.keyboard.press(direction === 'forwards' ? 'Tab' : 'Shift+Tab');
    const now = await focused(page);
    passed.push(now.name || now.tag);
    if (now.tag !== 'BODY') expect(now.indicatorVisible, `no visible focus on "${now.name}" (${now.tag})`).toBe(true);
    if (now.name === name) return;
  }
  throw new Error(`"${name}" was not reached with ${MAX_TABS} presses of Tab; focus went to: ${passed.join(' → ')}`);
}

/** The focused element's name, after checking that it shows a visible focus indicator. */
async function focusedVisibly(page: Page): Promise<string> {
  const now = await focused(page);
  expect(now.indicatorVisible, `no visible focus on "${now.name}" (${now.tag})`).toBe(true);
  return now.name;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement)) return { tag: 'NONE', name: '', indicatorVisible: false };
    const labelledBy = el.getAttribute('aria-labelledby');
    const label =
      el.getAttribute('aria-label') ??
      (labelledBy ? document.getElementById(labelledBy)?.textContent : undefined) ??
      ('labels' in el && el.labels instanceof NodeList ? el.labels[0]?.textContent : undefined) ??
      el.textContent ??
      '';
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return { tag: el.tagName, name: label.trim().replace(/\s+/g, ' '), indicatorVisible: outline || style.boxShadow !== 'none' };
  });
}
