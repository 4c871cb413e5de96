import { mkdirSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const PHONE = { width: 390, height: 844 };
const LIVEKIT = { timeout: 30_000 };
const LONG_NAME = 'Alexandra Catherine Montgomery-Fitzgerald Smith';

/** Where `inner` sits, and whether it lies wholly inside `outer` (both on screen). */
async function isWithin(inner: Locator, outer: Locator): Promise<boolean> {
  const [a, b] = await Promise.all([inner.boundingBox(), outer.boundingBox()]);
  if (!a || !b) return false;
  return a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
}

describe('who is the team on a video tile (finding: a member could name themselves "Dr Pat · practitioner")', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;

  beforeAll(async () => {
    mkdirSync('test-results/screenshots', { recursive: true });
    server = await startServerProcess({ env: await embeddedLiveKitEnv() });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('refuses a name that imitates the role label before joining, and says why beside the field', async () => {
    const sam = await MeetingPage.open(await browser.newPerson({ viewport: PHONE }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await sam.chooseFirstMeeting();
    await sam.page.getByLabel('Your name, as others will see it').fill('Dr Pat · practitioner');
    await sam.page.getByRole('button', { name: 'Join meeting' }).click();
    const error = sam.page.locator('#name-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/letters, numbers, spaces/);
    expect(await sam.page.getByLabel('Your name, as others will see it').getAttribute('aria-invalid')).toBe('true');
    await sam.page.screenshot({ path: 'test-results/screenshots/prejoin-name-refused-phone.png' });
    expect(await seriousAxeViolations(sam.page)).toEqual([]);
    await sam.page.context().close();
  });

  it('shows the role as its own badge, from the server, which a long name cannot push out of view', async () => {
    const sam = await MeetingPage.open(await browser.newPerson({ viewport: PHONE }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await sam.chooseFirstMeeting();
    await sam.join('Sam Practitioner-Smith');
    const alex = await MeetingPage.open(await browser.newPerson({ viewport: PHONE }), `${server.url}/login`);
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join(LONG_NAME);

    await sam.openTab('Video');
    const alexTile = sam.page.locator('figure.tile[data-role="practitioner"]');
    await alexTile.waitFor(LIVEKIT);
    const badge = alexTile.locator('figcaption .role-badge');
    await expect.poll(() => badge.isVisible(), LIVEKIT).toBe(true);
    expect(await badge.textContent()).toBe(' · practitioner'); // the dot is for screen readers only
    expect(await isWithin(badge, alexTile)).toBe(true);
    // A long name wraps rather than being cut (issue 13: "Ben Carter · pra…"): all of it is on the tile.
    const name = alexTile.locator('.tile-name-text');
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await isWithin(name, alexTile)).toBe(true);
    expect(await alexTile.locator('figcaption').textContent()).toMatch(new RegExp(`^${LONG_NAME} · practitioner`));

    // A member's tile has no badge, whatever their name says.
    await alex.openTab('Video');
    const samTile = alex.page.locator('figure.tile[data-role="network_member"]');
    await samTile.waitFor(LIVEKIT);
    expect(await samTile.locator('.role-badge').count()).toBe(0);
    expect(await alex.page.locator('figure.tile[data-role="practitioner"] .role-badge').isVisible()).toBe(true); // Alex's own tile

    await sam.screenshot('video-tile-long-name-badge-member-phone');
    await alex.screenshot('video-tile-long-name-badge-practitioner-phone');
    for (const page of [sam.page, alex.page]) expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
