import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const LAPTOP = { width: 1440, height: 900 };
const SMALL_PHONE = { width: 360, height: 640 };
const PHONE = { width: 390, height: 844 };
const PHONES = [
  ['360x640', SMALL_PHONE],
  ['390x844', PHONE],
] as const;
/** LiveKit's own events (joins, track changes) can take seconds on a busy machine. */
const LIVEKIT = { timeout: 30_000 };
/** Names long enough to have been cut short before ("Ben Carter · pra…"). */
const BEN = 'Benjamin Carter';
const KIM = 'Kim Okonkwo-Adeyemi';

/**
 * What a person sees of the meeting room on a phone and on a laptop, over the real server and real LiveKit:
 * the faces stay on screen whatever panel is open, the reflecting pair fits a 360x640 phone without
 * scrolling, the controls are one row with the rest behind "More", the tabs one row, and names and roles
 * are read in full. Sam (network member) is on a phone, turned between two sizes; the practitioner pair,
 * Ben and Kim, are on laptops. Screenshots of each screen are kept in test-results/screenshots.
 */
describe('the meeting room on a phone and on a laptop', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let ben: MeetingPage;
  let kim: MeetingPage;
  let sam: MeetingPage;

  beforeAll(async () => {
    server = await startServerProcess({ env: await embeddedLiveKitEnv() });
    await addUser(server.dataDir, 'ben@team.org', { name: BEN, role: 'practitioner' });
    await addUser(server.dataDir, 'kim@team.org', { name: KIM, role: 'practitioner' });
    const seeded = await seedNetwork(server.dataDir, { team: ['ben@team.org', 'kim@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    ben = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    kim = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    sam = await MeetingPage.open(await browser.newPerson({ viewport: SMALL_PHONE }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await ben.loginAndOpenMeeting('ben@team.org', PASSWORD, 'Jo');
    await ben.join(BEN);
    await kim.loginAndOpenMeeting('kim@team.org', PASSWORD, 'Jo');
    await kim.join(KIM);
    await sam.chooseFirstMeeting();
    await sam.join('Sam');
    for (const [who, person] of [['Ben', ben], ['Kim', kim], ['Sam', sam]] as const) {
      await person.waitForFreshRemoteFrames(2, { timeout: 90_000 }).catch((error: unknown) => {
        throw new Error(`${who}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
    }
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('keeps the controls in one row, with the rest behind a "More" menu that keyboards and screen readers can use', async () => {
    for (const [size, viewport] of PHONES) {
      await sam.page.setViewportSize(viewport);
      await expectOneRowInView(sam.page, sam.page.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button'));
      const names = await sam.page.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent));
      expect(names).toEqual(['Mute microphone', 'Turn camera off', 'Raise hand', 'More', 'Leave meeting']);
      const menu = await sam.openMore();
      await expectAllInView(sam.page, menu.getByRole('menuitem'));
      await sam.screenshot(`meetingLayout-more-${size}`);
      expect(await seriousAxeViolations(sam.page)).toEqual([]);
      await sam.page.keyboard.press('Escape');
    }
    await expectOneRowInView(ben.page, ben.page.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button'));
    const menu = await ben.openMore();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Settings', 'Share screen', 'End meeting for everyone']);
    await ben.screenshot('meetingLayout-more-1440x900');
    await ben.page.keyboard.press('Escape');

    // The keyboard: the arrow keys go through the items, Escape closes the menu and focus goes back to "More".
    const more = sam.moreButton;
    await more.focus();
    await sam.page.keyboard.press('Enter');
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => focusedName(sam.page)).toBe('Settings');
    await sam.page.keyboard.press('ArrowDown');
    expect(await focusedName(sam.page)).toBe('Share screen');
    await sam.page.keyboard.press('ArrowDown');
    expect(await focusedName(sam.page)).toBe('Settings');
    await sam.page.keyboard.press('Escape');
    await expect.poll(() => sam.page.getByRole('menu').count()).toBe(0);
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await more.evaluate((el) => el === document.activeElement)).toBe(true);
    // An item that opens a dialog: when the dialog closes, focus is back on "More".
    await sam.page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedName(sam.page)).toBe('Settings');
    await sam.page.keyboard.press('Enter');
    const dialog = sam.page.getByRole('dialog', { name: 'Camera, microphone and speaker' });
    await dialog.waitFor();
    await sam.page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => more.evaluate((el) => el === document.activeElement)).toBe(true);
    // Tab leaves the menu, closed, for the control after "More".
    await sam.page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedName(sam.page)).toBe('Share screen');
    await sam.page.keyboard.press('Tab');
    await expect.poll(() => sam.page.getByRole('menu').count()).toBe(0);
    expect(await focusedName(sam.page)).toBe('Leave meeting');
  });

  it('shows the tabs in one row, which scrolls sideways on a phone', async () => {
    for (const [, viewport] of PHONES) {
      await sam.page.setViewportSize(viewport);
      const tabs = sam.page.getByRole('tab');
      expect(await tabs.allTextContents()).toEqual(['Video', 'Notes', 'Reflections', 'Map', 'Questions', 'Voices', 'Chat']);
      const tops = await tabs.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
      expect(new Set(tops).size).toBe(1);
      // The last tab, once chosen, is scrolled into view.
      await sam.openTab('Chat');
      await expectAllInView(sam.page, sam.page.getByRole('tab', { name: 'Chat' }));
      await sam.openTab('Video');
      await expectAllInView(sam.page, sam.page.getByRole('tab', { name: 'Video' }));
    }
  });

  it('shows everyone on the Video tab, and keeps faces on screen with the notes open, on a phone and on a laptop', async () => {
    for (const [size, viewport] of PHONES) {
      await sam.page.setViewportSize(viewport);
      // The Video tab: all three whole on the screen, sharing its height.
      await sam.openTab('Video');
      await expectFacesInView(sam.page, 3);
      await sam.screenshot(`meetingLayout-video-${size}`);
      await sam.openTab('Notes');
      await expect.poll(() => sam.notes.isVisible()).toBe(true);
      await expectFacesInView(sam.page, 3);
      // The notes have room to be read and written under the faces.
      const notes = await sam.notes.boundingBox();
      expect(notes && notes.y + 100 < viewport.height).toBe(true);
      await sam.screenshot(`meetingLayout-notes-${size}`);
      expect(await seriousAxeViolations(sam.page)).toEqual([]);
    }
    await ben.openTab('Notes');
    await expectFacesInView(ben.page, 3);
    await ben.screenshot('meetingLayout-notes-1440x900');
    expect(await seriousAxeViolations(ben.page)).toEqual([]);
  });

  it('shows the reflecting pair whole on a 360x640 phone, with full names and roles', async () => {
    await ben.page.getByRole('button', { name: 'Start reflecting' }).click();
    await sam.page.getByText('The team is reflecting').waitFor();
    for (const [size, viewport] of PHONES) {
      await sam.page.setViewportSize(viewport);
      await sam.openTab('Video');
      await expectTeamInView(sam.page);
      await expectNamesReadInFull(sam.page);
      await sam.screenshot(`meetingLayout-reflecting-${size}`);
      expect(await seriousAxeViolations(sam.page)).toEqual([]);
      // With a panel open the pair stays in view too, first in the strip.
      await sam.openTab('Reflections');
      await expectTeamInView(sam.page);
      await sam.screenshot(`meetingLayout-reflecting-panel-${size}`);
      expect(await seriousAxeViolations(sam.page)).toEqual([]);
    }
    for (const person of [ben, kim]) await expectTeamInView(person.page);
    // A practitioner on a phone sees the pair whole too, with "Return to the network" in the header.
    await kim.page.setViewportSize(SMALL_PHONE);
    await kim.openTab('Video');
    await expectTeamInView(kim.page);
    await expectAllInView(kim.page, kim.page.getByRole('button', { name: 'Return to the network' }));
    await kim.screenshot('meetingLayout-reflecting-team-360x640');
    expect(await seriousAxeViolations(kim.page)).toEqual([]);
    await kim.page.setViewportSize(LAPTOP);
    await expectNamesReadInFull(ben.page);
    await ben.screenshot('meetingLayout-reflecting-1440x900');
    expect(await seriousAxeViolations(ben.page)).toEqual([]);
    await ben.page.getByRole('button', { name: 'Return to the network' }).click();
    await expect.poll(() => sam.page.locator('[data-layout="reflecting"]').count()).toBe(0);
  });

  it('keeps "Reconnecting…" in view on a phone with the notes open', async () => {
    await sam.page.setViewportSize(SMALL_PHONE);
    await sam.openTab('Notes');
    const banner = sam.page.locator('.connection-banner');
    await sam.page.context().setOffline(true);
    const reconnecting = sam.page.getByText('Reconnecting…', { exact: true });
    await reconnecting.waitFor();
    await expectAllInView(sam.page, reconnecting);
    await sam.screenshot('meetingLayout-reconnecting-notes-360x640');
    expect(await seriousAxeViolations(sam.page)).toEqual([]);
    await sam.page.context().setOffline(false);
    await expect.poll(() => reconnecting.count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(() => banner.getAttribute('data-state')).toBe('connected');
    await sam.markRemoteFrames();
    await sam.waitForFreshRemoteFrames(2, { timeout: 60_000 });
    await expectFacesInView(sam.page, 3);
  });
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inside(box: Box, viewport: { width: number; height: number }): boolean {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5 && box.width > 0 && box.height > 0;
}

function viewportOf(page: Page): { width: number; height: number } {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('the page has no fixed viewport');
  return viewport;
}

/** Every element the locator finds is visible and wholly inside the viewport, without scrolling. */
async function expectAllInView(page: Page, locator: Locator): Promise<void> {
  const boxes = await locator.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Box));
  expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) expect(inside(box, viewportOf(page)), `${JSON.stringify(box)} is not inside ${JSON.stringify(viewportOf(page))}`).toBe(true);
}

/** Every element the locator finds is in view, and all on one line. */
async function expectOneRowInView(page: Page, locator: Locator): Promise<void> {
  await expectAllInView(page, locator);
  const tops = await locator.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().top));
  expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(4);
}

/**
 * At least `count` tiles are wholly in view, and at least one of them is a face: a video showing frames.
 * Waits, since a resize or a tab change settles over a frame or two.
 */
async function expectFacesInView(page: Page, count: number): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(
        ({ count }) => {
          const seen = (el: Element) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
          };
          const tiles = [...document.querySelectorAll('figure.tile')].filter(seen);
          const faces = tiles.flatMap((tile) => [...tile.querySelectorAll('video')]).filter((v) => v.readyState >= 2 && v.videoWidth > 0 && !v.paused);
          return tiles.length >= count && faces.length > 0;
        },
        { count },
      ),
    )
    .toBe(true);
}

/** Both members of the reflecting pair: their tiles wholly inside the viewport, each showing their video. */
async function expectTeamInView(page: Page): Promise<void> {
  const team = page.locator('.reflecting-team figure.tile');
  await expect.poll(() => team.count(), LIVEKIT).toBe(2);
  await expect.poll(async () => (await team.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Box))).every((box) => inside(box, viewportOf(page)))).toBe(true);
  expect(await team.locator('video').count()).toBe(2);
}

/** Each tile's caption shows the whole name and the role: nothing cut short, nothing outside its tile. */
async function expectNamesReadInFull(page: Page): Promise<void> {
  const captions = await page.locator('.reflecting-team figure.tile').evaluateAll((tiles) =>
    tiles.map((tile) => {
      const caption = tile.querySelector('figcaption');
      const name = tile.querySelector('.tile-name-text');
      const role = tile.querySelector('.role-badge');
      const t = tile.getBoundingClientRect();
      const within = (el: Element | null) => {
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return r.left >= t.left && r.right <= t.right + 0.5 && r.top >= t.top && r.bottom <= t.bottom + 0.5;
      };
      return {
        text: caption?.textContent ?? '',
        whole: !!name && name.scrollWidth <= name.clientWidth + 1 && within(name) && within(role),
      };
    }),
  );
  for (const name of [BEN, KIM]) expect(captions.filter((c) => c.text.startsWith(name) && c.text.includes('· practitioner'))).toHaveLength(1);
  expect(captions.every((c) => c.whole), JSON.stringify(captions)).toBe(true);
}

async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '').trim());
}
