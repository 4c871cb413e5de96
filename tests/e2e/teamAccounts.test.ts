import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const SCREENS = 'test-results/screenshots';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1440, height: 900 };
const NEW_PASSWORD = 'lantern river spoon march';

describe('the Team accounts page (admins)', () => {
  let server: ServerProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    server = await startServerProcess({ env: { LIVEKIT: 'off' } });
    await addUser(server.dataDir, 'robin@team.org', { name: 'Robin', admin: true });
    await addUser(server.dataDir, 'pat@team.org', { name: 'Pat' });
    await addUser(server.dataDir, 'ana@team.org', { name: 'Ana', role: 'peer_worker' });
    await seedNetwork(server.dataDir, { team: ['pat@team.org'], personName: 'Jo' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function adminPage(viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newPerson({ viewport })).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill('robin@team.org');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Team accounts' }).click();
    await page.getByRole('heading', { name: 'Team accounts' }).waitFor();
    return page;
  }

  it('deactivates an account with a reason: its open session ends at once and it leaves the list of active accounts', async () => {
    const pat = new HttpSession(server.url);
    await pat.login('pat@team.org', PASSWORD);
    const page = await adminPage(LAPTOP);
    await page.getByRole('button', { name: 'Sessions of Pat' }).click();
    await page.getByRole('button', { name: 'End this session' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'team-accounts-laptop');

    await page.getByRole('button', { name: 'Deactivate Pat' }).click();
    await page.getByLabel("Why is Pat's account deactivated?").fill('Left the team');
    await page.getByRole('button', { name: 'Deactivate now' }).click();
    await page.getByText('Pat is deactivated: logged out everywhere and taken off 1 network.').waitFor();
    await page.getByRole('heading', { name: 'Deactivated (1)' }).waitFor();
    await page.getByRole('button', { name: 'Reactivate Pat' }).waitFor();
    expect((await pat.request('GET', '/api/auth/session')).status).toBe(401);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('makes a one-time reset link with which the person sets a new password on their phone', async () => {
    const page = await adminPage(PHONE);
    await page.getByRole('button', { name: 'Reset password of Ana' }).click();
    const linkField = page.getByLabel('Password reset link for Ana');
    await linkField.waitFor();
    const url = await linkField.inputValue();
    expect(url).toContain('/reset-password#');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'team-accounts-phone');
    await page.context().close();

    const ana = await (await browser.newPerson({ viewport: PHONE })).newPage();
    await ana.goto(url);
    await ana.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await ana.getByLabel('New password', { exact: true }).fill('qwertyuiopasdfgh');
    await ana.getByLabel('New password again').fill('qwertyuiopasdfgh');
    await ana.getByRole('button', { name: 'Set new password' }).click();
    await ana.getByRole('alert').getByText(/too easy to guess/).waitFor();
    expect(await seriousAxeViolations(ana)).toEqual([]);
    await shoot(ana, 'reset-password-refused-phone');

    await ana.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await ana.getByLabel('New password again').fill(NEW_PASSWORD);
    await ana.getByRole('button', { name: 'Set new password' }).click();
    await ana.getByText('Your password is changed.').waitFor();
    await ana.getByRole('link', { name: 'Log in with your new password' }).click();
    await ana.getByLabel('Email').fill('ana@team.org');
    await ana.getByLabel('Password').fill(NEW_PASSWORD);
    await ana.getByRole('button', { name: 'Log in' }).click();
    await ana.getByRole('heading', { name: 'Networks' }).waitFor();

    // Her own account page: changing the password asks for the current one.
    await ana.getByRole('link', { name: 'Your account' }).click();
    await ana.getByLabel('Current password').fill('not my password at all');
    await ana.getByLabel('New password', { exact: true }).fill('a completely different phrase');
    await ana.getByLabel('New password again').fill('a completely different phrase');
    await ana.getByRole('button', { name: 'Change password' }).click();
    await ana.getByRole('alert').getByText('Your current password is not right.').waitFor();
    expect(await seriousAxeViolations(ana)).toEqual([]);
    await shoot(ana, 'your-account-phone');
    await ana.context().close();
  });
});

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
}
