import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { addQuestion, decideQuestion } from '../../shared/doc/questions.ts';
import { addReflection } from '../../shared/doc/reflections.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { connectDocClient } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const run = promisify(execFile);
const SCREENS = 'test-results/screenshots';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1440, height: 900 };

const NOTES = ['Jo has been sleeping a little better this week.', 'Kim will bring Jo to the next meeting by car.'];
/** Written by Kim, a network member: the record names each passage's writer. */
const KIM_NOTE = 'Kim thinks the new evening routine is helping.';
const REFLECTION = 'I heard how much Kim wants to help, and also how tired Kim is.';
const DECISION = 'Try the lower dose for a week and talk again.';

describe('continuity and the record', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let downloads: string;

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    downloads = mkdtempSync(join(tmpdir(), 'polyphony-downloads-'));
    server = await startServerProcess({ env: { LIVEKIT: 'off' } });
    await addUser(server.dataDir, 'robin@team.org', { name: 'Robin', admin: true });
    await addUser(server.dataDir, 'ana@team.org', { name: 'Ana', role: 'peer_worker' });
    seeded = await seedNetwork(server.dataDir, { team: ['robin@team.org', 'ana@team.org'], personName: 'Jo', memberName: 'Kim' });
    await holdPreviousMeeting(server, seeded);
    // A network referred 30 hours ago with no meeting held: its missed clock comes first in the list.
    const late = await cli(server.dataDir, ['network', 'create', '--name', 'Ola', '--referred-at', new Date(Date.now() - 30 * 60 * 60 * 1000).toISOString()]);
    await cli(server.dataDir, ['network', 'assign', '--network', idOf(late), '--user', 'robin@team.org']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  it('a practitioner sees the 24-hour clock and schedules a daily series', async () => {
    const page = await (await browser.newPerson({ viewport: LAPTOP })).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill('robin@team.org');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Jo' }).waitFor();
    // Robin and Kim were in the previous meeting together, right after the referral: the target is met.
    await page.getByText('Met: First meeting held within 24 hours').waitFor();
    // Missed and running clocks first.
    await expect.poll(() => page.locator('.caseload-name').allTextContents()).toEqual(['Ola', 'Jo']);
    await page.getByText('Missed: No meeting held yet: more than 24 hours since referral').waitFor();
    // Robin is also an administrator: records of ended networks are kept for a set number of days.
    await page.getByLabel("Days to keep a network's records after its work has ended").fill('90');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved: records are deleted 90 days after the work ended.').waitFor();
    await shoot(page, 'record-caseload');

    await page.getByRole('link', { name: 'Jo' }).click();
    await page.getByRole('heading', { name: 'Network of Jo' }).waitFor();
    await page.getByLabel('First meeting on').fill(localInput(tomorrowAt(10)));
    await page.getByLabel('Every day for how many days').fill('3');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await page.getByText('3 meetings are planned, one each day.').waitFor();
    await expect.poll(() => page.getByRole('link', { name: /^Join meeting of / }).count()).toBe(3);
    await page.getByRole('link', { name: /^Calendar file for Kim/ }).waitFor();
    await page.getByRole('button', { name: 'Show link again for Kim' }).click();
    await expect.poll(() => page.getByLabel('Invite link for Kim').inputValue()).toContain(new URL(seeded.inviteUrl).pathname);
    await shoot(page, 'record-network');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('the practitioner exports the previous meeting, and the PDF holds the notes', async () => {
    const context = await browser.newPerson({ viewport: LAPTOP });
    const page = await context.newPage();
    await loginAs(page, server.url, 'robin@team.org');
    await page.getByRole('link', { name: 'Jo' }).click();
    await page.getByRole('link', { name: /^Record of / }).click();
    await page.getByRole('heading', { name: 'Meeting record: network of Jo' }).waitFor();
    for (const line of NOTES) await page.getByText(line).waitFor();
    await page.getByText('Written by [Kim]', { exact: true }).waitFor();
    await shoot(page, 'record-team-record');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Progress note (PDF)' }).click()]);
    const pdf = join(downloads, 'note.pdf');
    await download.saveAs(pdf);
    const { stdout } = await run('pdftotext', ['-layout', pdf, '-']);
    const text = stdout.replace(/\s+/g, ' ');
    for (const line of [...NOTES, REFLECTION, DECISION]) expect(text).toContain(line);
    // Who wrote each passage, in words (a black-and-white printout shows no colour).
    expect(text).toContain(`[Robin] ${NOTES[0]}`);
    expect(text).toContain(`[Kim] ${KIM_NOTE}`);
    expect(text).toContain('Progress note');
    await context.close();
  });

  it('a member opens their link on a phone, sees what is planned and reads the record of the previous meeting', async () => {
    const context = await browser.newPerson({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await page.getByRole('heading', { name: 'Hello, Kim' }).waitFor();
    // Tomorrow's meetings cannot be joined yet: each offers its details (when it opens, a calendar file).
    await expect.poll(() => page.getByRole('button', { name: /^Details of the meeting/ }).count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Join this meeting' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Add these meetings to my calendar' }).waitFor();
    await shoot(page, 'record-member-welcome');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Read the record of this meeting' }).click();
    await page.getByRole('heading', { name: 'What was written in the meeting' }).waitFor();
    for (const line of [...NOTES, REFLECTION, DECISION]) await page.getByText(line).waitFor();
    await page.getByText('Present: Robin, Kim.').waitFor();
    await page.getByLabel('Add something to this record').fill('Jo asked me to add: the car is booked.');
    await page.getByRole('button', { name: 'Add to the record' }).click();
    await page.getByText('Jo asked me to add: the car is booked.').waitFor();
    await page.getByText(/^Kim \(network member\),/).waitFor();
    await shoot(page, 'record-member-record');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows every touched screen at laptop and phone size', async () => {
    for (const [viewport, suffix] of [
      [PHONE, 'phone'],
      [LAPTOP, 'laptop'],
    ] as const) {
      const context = await browser.newPerson({ viewport });
      const page = await context.newPage();
      await loginAs(page, server.url, 'robin@team.org');
      await shoot(page, `record-caseload-${suffix}`);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Jo' }).click();
      await page.getByRole('heading', { name: 'Network of Jo' }).waitFor();
      await shoot(page, `record-network-${suffix}`);
      await page.getByRole('link', { name: /^Record of / }).click();
      await page.getByText(NOTES[0] ?? '').waitFor();
      await shoot(page, `record-team-record-${suffix}`);
      const member = await context.browser()?.newContext({ viewport });
      if (!member) throw new Error('no browser');
      const memberPage = await member.newPage();
      await memberPage.goto(`${server.url}${new URL(seeded.inviteUrl).pathname}`);
      await memberPage.getByRole('heading', { name: 'Hello, Kim' }).waitFor();
      await shoot(memberPage, `record-member-welcome-${suffix}`);
      await memberPage.getByRole('button', { name: 'Read the record of this meeting' }).click();
      await memberPage.getByText(NOTES[0] ?? '').waitFor();
      await shoot(memberPage, `record-member-record-${suffix}`);
      expect(await seriousAxeViolations(memberPage)).toEqual([]);
      await member.close();
      await context.close();
    }
  });
});

/** The previous meeting: Robin and Kim joined, wrote notes, a reflection and a decision; Robin ended it. */
async function holdPreviousMeeting(server: ServerProcess, seeded: SeededNetwork): Promise<void> {
  const robin = new HttpSession(server.url);
  await robin.login('robin@team.org', PASSWORD);
  const joined = JoinMeetingResponse.parse(await robin.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Robin' }));
  const kim = JoinMeetingResponse.parse(await HttpSession.forInvite(server.url, seeded.inviteUrl).json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Kim' }));
  const meetingDoc = connectDocClient(server.url, joined.sync);
  const networkDoc = connectDocClient(server.url, joined.networkSync);
  const kimDoc = connectDocClient(server.url, kim.sync);
  await Promise.all([meetingDoc.synced, networkDoc.synced, kimDoc.synced]);
  const author: Author = { id: joined.participantId, name: 'Robin', role: 'practitioner' };
  for (const line of NOTES) meetingDoc.addParagraph(line);
  await vi.waitFor(() => expect(kimDoc.text()).toContain(NOTES[1]));
  kimDoc.addParagraph(KIM_NOTE);
  addReflection(meetingDoc.doc, author, REFLECTION, new Date());
  const mention = { meetingId: seeded.meetingId, meetingTitle: 'Network meeting', at: new Date().toISOString() };
  const id = addQuestion(networkDoc.doc, 'Medication', author, mention);
  if (id) decideQuestion(networkDoc.doc, id, { text: DECISION, by: author, present: ['Robin', 'Kim'], meeting: mention });
  await vi.waitFor(async () => {
    const record = JSON.stringify(await robin.json('GET', `/api/meetings/${seeded.meetingId}/record`));
    if (!record.includes(DECISION) || !record.includes(NOTES[1] ?? '') || !record.includes(KIM_NOTE)) throw new Error('not stored yet');
  });
  kimDoc.destroy();
  meetingDoc.destroy();
  networkDoc.destroy();
  const ended = await cli(server.dataDir, ['meeting', 'end', '--meeting', seeded.meetingId]);
  if (ended['status'] !== 'ended') throw new Error(`meeting end answered ${JSON.stringify(ended)}`);
}

async function loginAs(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Networks' }).waitFor();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
}

function tomorrowAt(hour: number): Date {
  const date = new Date(Date.now() + 24 * 60 * 60 * 1000);
  date.setHours(hour, 0, 0, 0);
  return date;
}

function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
