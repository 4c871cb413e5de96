import { mkdirSync, readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const SCREENS = 'test-results/screenshots';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1440, height: 900 };
type Viewport = typeof PHONE;

/**
 * The team's set-up, as a practitioner on a phone and on a laptop does it: sending a new member their link
 * straight away (copy, text message, email, calendar file), editing and removing members, an admin adding a
 * team account, and a family member's link opened on a laptop where a team member is logged in.
 */
describe('team set-up: members, their links, and team accounts', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    server = await startServerProcess({ env: { LIVEKIT: 'off' } });
    await addUser(server.dataDir, 'robin@team.org', { name: 'Robin', admin: true });
    await addUser(server.dataDir, 'pat@team.org', { name: 'Pat' });
    // The seeded meeting is now: it is the "next meeting" the message and the calendar file give.
    seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** Sam's link on this server (the ops CLI writes links for PUBLIC_URL). */
  const samsLink = () => `${server.url}${new URL(seeded.inviteUrl).pathname}`;

  async function loggedIn(email: string, viewport: Viewport): Promise<Page> {
    const context = await browser.newPerson({ viewport });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Networks' }).waitFor();
    return page;
  }

  async function networkPage(viewport: Viewport): Promise<Page> {
    const page = await loggedIn('pat@team.org', viewport);
    await page.getByRole('link', { name: 'Jo' }).click();
    await page.getByRole('heading', { name: 'Network of Jo' }).waitFor();
    return page;
  }

  it('opens a family member\'s link normally in a browser where a team member is logged in', async () => {
    const page = await networkPage(LAPTOP);
    await page.goto(samsLink());
    await page.getByRole('heading', { name: 'Hello, Sam' }).waitFor();
    expect(await page.getByText('This link does not work any more').count()).toBe(0);
    // Back on the team's pages, the team member is still logged in as themselves.
    await page.goto(`${server.url}/networks/${seeded.networkId}`);
    await page.getByRole('heading', { name: 'Network of Jo' }).waitFor();
    await page.context().close();
  });

  for (const [viewport, who, contact] of [
    [PHONE, 'Maria', '+47 912 34 567'],
    [LAPTOP, 'Omar', 'omar@example.org'],
  ] as const) {
    it(`adds ${who}, and creating the invite shows the link at once, ready to copy, text, email and add to a calendar (${viewport.width}px)`, async () => {
      const page = await networkPage(viewport);
      const add = page.getByRole('region', { name: 'Network members' });
      await add.getByLabel('Name', { exact: true }).last().fill(who);
      await add.getByLabel('Relationship to the person').last().fill(who === 'Maria' ? 'mother' : 'neighbour');
      await add.getByLabel('Phone or email (optional)').last().fill(contact);
      await add.getByRole('radio', { name: 'Needs an interpreter' }).last().check();
      await add.getByLabel('Language they need an interpreter in').fill('Arabic');
      await add.getByRole('button', { name: 'Add member' }).click();
      await page.getByText(`${who} · ${who === 'Maria' ? 'mother' : 'neighbour'} · needs an interpreter in Arabic`).waitFor();
      expect(await add.getByRole('radio', { name: 'No interpreter needed' }).last().isChecked()).toBe(true);

      await page.getByRole('button', { name: `Create invite link for ${who}` }).click();
      const field = page.getByLabel(`Invite link for ${who}`);
      await field.waitFor();
      const url = await field.inputValue();
      expect(url).toMatch(new RegExp(`^${server.url}/i/`));
      await expectInViewport(page, field);
      await page.getByRole('button', { name: 'Copy link' }).click();
      await page.getByText('Link copied.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

      const sms = await page.getByRole('link', { name: `Text message to ${who}` }).getAttribute('href');
      const mail = await page.getByRole('link', { name: `Email to ${who}` }).getAttribute('href');
      if (who === 'Maria') expect(sms).toMatch(/^sms:\+4791234567\?body=/);
      else expect(mail).toMatch(/^mailto:omar@example\.org\?subject=/);
      for (const href of [sms, mail]) {
        const body = new URLSearchParams(href?.split('?')[1] ?? '').get('body') ?? '';
        expect(body).toContain(`Hello ${who},`);
        expect(body).toContain(url);
        expect(body).toContain('The next meeting is on');
        // Texts pass through outside services: never the person's name. The link's random token
        // can hold the letters "Jo" by chance, so only the words around it are checked.
        expect(body.replace(url, '')).not.toMatch(/Jo/);
      }
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Calendar file for ${who}` }).click()]);
      const ics = readFileSync(await download.path(), 'utf8');
      expect(ics).toContain('BEGIN:VEVENT');
      expect(ics.replace(/\r\n /g, '')).toContain(url);

      expect(await seriousAxeViolations(page)).toEqual([]);
      await field.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENS}/team-setup-invite-${viewport.width}.png` });
      await page.screenshot({ path: `${SCREENS}/team-setup-network-${viewport.width}-full.png`, fullPage: true });
      await page.context().close();
    });
  }

  it('edits a member into the network\'s interpreter, then removes another with the reason kept and their link stopped', async () => {
    const page = await networkPage(PHONE);
    await page.getByText('More for Maria: edit, revoke link, remove').click();
    await page.getByRole('button', { name: 'Edit Maria' }).click();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Save changes to Maria' }) });
    await form.getByLabel('Relationship to the person').fill('aunt');
    await form.getByRole('radio', { name: "Is the interpreter for this network's meetings" }).check();
    await form.getByLabel('Language they interpret').fill('Arabic');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENS}/team-setup-edit-390.png`, fullPage: true });
    await form.getByRole('button', { name: 'Save changes to Maria' }).click();
    await page.getByText('Maria · aunt · is the interpreter for the meetings, in Arabic').waitFor();

    await page.getByText('More for Sam: edit, revoke link, remove').click();
    await page.getByRole('button', { name: 'Remove Sam from the network' }).click();
    await page.getByLabel('Why is Sam leaving the network?').fill('Moved abroad, asked to stop');
    await page.getByRole('button', { name: 'Remove Sam', exact: true }).click();
    await page.getByRole('heading', { name: 'Removed from the network' }).waitFor();
    await page.getByText(/^Sam · brother, removed .*Reason: Moved abroad, asked to stop$/).waitFor();
    expect(await page.getByRole('button', { name: 'Create invite link for Sam' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENS}/team-setup-removed-390.png`, fullPage: true });
    await page.context().close();

    const sam = await (await browser.newPerson({ viewport: PHONE })).newPage();
    await sam.goto(samsLink());
    await sam.getByRole('heading', { name: 'This link does not work any more' }).waitFor();
    await sam.context().close();
  });

  it('lets an admin add a team account in the browser; the new member chooses their password with the link shown', async () => {
    const page = await loggedIn('robin@team.org', LAPTOP);
    await page.getByRole('link', { name: 'Team accounts' }).click();
    await page.getByRole('heading', { name: 'Team accounts' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Lee');
    await page.getByLabel('Email').fill('lee@team.org');
    await page.getByLabel('Role').selectOption('peer_worker');
    await page.getByRole('radio', { name: 'They choose it, with a one-time link shown here' }).check();
    await page.getByRole('button', { name: 'Add team member' }).click();
    await page.getByText(/^Added Lee\. Give them the link below/).waitFor();
    const field = page.getByLabel('Link for Lee to choose a password');
    const url = await field.inputValue();
    expect(url).toContain('/reset-password#');
    await expectInViewport(page, field);
    // The form is ready for the next person, with the default choice ticked again.
    expect(await page.getByRole('radio', { name: 'They choose it, with a one-time link shown here' }).isChecked()).toBe(true);
    await page.getByRole('heading', { name: 'Active (3)' }).waitFor();
    await page.getByRole('button', { name: 'Reset password of Lee' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENS}/team-setup-accounts-1440.png` });
    await page.context().close();

    const lee = await (await browser.newPerson({ viewport: PHONE })).newPage();
    await lee.goto(url);
    await lee.getByLabel('New password', { exact: true }).fill('willow kettle orbit candle');
    await lee.getByLabel('New password again').fill('willow kettle orbit candle');
    await lee.getByRole('button', { name: 'Set new password' }).click();
    await lee.getByText('Your password is changed.').waitFor();
    await lee.context().close();
    const session = new HttpSession(server.url);
    await session.login('lee@team.org', 'willow kettle orbit candle');
    expect((await session.request('GET', '/api/users')).status).toBe(403);
  });

  it('shows the account form with a first password at phone size', async () => {
    const page = await loggedIn('robin@team.org', PHONE);
    await page.getByRole('link', { name: 'Team accounts' }).click();
    await page.getByRole('radio', { name: 'I set a first password now' }).check();
    await page.getByLabel('First password', { exact: true }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('heading', { name: 'Add a team member' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENS}/team-setup-accounts-390.png` });
    await page.context().close();
  });
});

/** The element's box lies fully inside the viewport: seen without scrolling. */
async function expectInViewport(page: Page, locator: Locator): Promise<void> {
  // Visible first: the box of an element still being drawn (or scrolled to) is null.
  await locator.waitFor({ state: 'visible' });
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  expect(box).not.toBeNull();
  if (!box || !viewport) return;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
}
