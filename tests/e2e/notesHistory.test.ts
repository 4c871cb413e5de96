import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const run = promisify(execFile);
const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 360, height: 640 };
/** The promise: every other screen shows a large deletion within 2 seconds. */
const NOTICE_WITHIN = { timeout: 2_000 };
/** A version is kept after a 3-second pause in writing; a busy machine adds to it. */
const VERSION_KEPT = { timeout: 20_000 };

const NOTES =
  'Sam said the nights are the hardest and that walking to the river helps. ' +
  'Mum would like the team to call before visiting. Jo wants to go back to school two days a week. ' +
  'Next meeting at home on Thursday.';

/**
 * The notes' history over the real server and real LiveKit: Sam (network member, phone) empties the notes with
 * select-all and Delete; Alex and Kim (practitioners, laptops) are told at once and Alex brings the text back
 * for everyone; the history lists it all and a restore from it is a new entry; Sam's Undo button undoes only
 * Sam's own typing; and ending a meeting whose notes were emptied asks first. In order, as one meeting.
 */
describe('the notes cannot be lost: large deletions, history, undo, and ending with empty notes', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let alex: MeetingPage;
  let kim: MeetingPage;
  let sam: MeetingPage;

  beforeAll(async () => {
    mkdirSync('test-results/screenshots', { recursive: true });
    server = await startServerProcess({ env: await embeddedLiveKitEnv() });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex' });
    await addUser(server.dataDir, 'kim@team.org', { name: 'Kim' });
    seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org', 'kim@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    alex = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    kim = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    sam = await MeetingPage.open(await browser.newPerson({ viewport: PHONE }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex', { audioOnly: true });
    await kim.loginAndOpenMeeting('kim@team.org', PASSWORD, 'Jo');
    await kim.join('Kim', { audioOnly: true });
    await sam.chooseFirstMeeting();
    await sam.join('Sam', { audioOnly: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('tells every other screen within 2 s who removed how much, and one click brings it back for all', async () => {
    await alex.typeInNotes(NOTES);
    await sam.openTab('Notes');
    await expect.poll(() => textOf(sam)).toContain('Next meeting at home on Thursday.');

    await sam.notes.click();
    await sam.page.keyboard.press('ControlOrMeta+a');
    await sam.page.keyboard.press('Delete');
    const notice = (page: Page) => page.getByRole('region', { name: 'Text removed from the notes' });
    for (const other of [alex, kim]) await notice(other.page).getByText(/^Sam removed 40 words from the notes\.$/).waitFor(NOTICE_WITHIN);
    await notice(sam.page).getByText(/^You removed 40 words from the notes\.$/).waitFor();
    await shoot('deletion-notice', alex, sam);
    await expectNoSeriousAxeViolations(alex.page, sam.page);

    await notice(alex.page).getByRole('button', { name: 'Bring it back' }).click();
    for (const person of [alex, kim, sam]) await expect.poll(() => textOf(person)).toContain(NOTES);
    for (const person of [kim, sam]) await notice(person.page).getByText('The removed text is back in the notes.').waitFor();
  });

  it('lists every version in the history, and restoring one is itself a new entry', async () => {
    const history = await openHistory(alex);
    await history.getByText('Sam removed 40 words').waitFor();
    await history.getByText('Alex restored an earlier version').waitFor(VERSION_KEPT);
    await shoot('history', alex);

    // Restore the version that holds no words (just after Sam's deletion), then bring the text back again.
    const emptied = history.getByRole('listitem').filter({ hasText: /Sam removed/ });
    await emptied.getByRole('button', { name: 'Compare with now' }).click();
    await emptied.getByText(/^Only in the notes now:/).waitFor();
    const entries = history.locator('.version-list > li');
    const before = await entries.count();
    await emptied.getByRole('button', { name: 'Restore this version' }).click();
    await history.getByText(/The notes now read as they did at/).waitFor();
    await expect.poll(() => textOf(sam)).toBe('');
    // Bringing back an empty version removes everything: the server keeps it as Alex's large deletion.
    await expect.poll(() => entries.count(), VERSION_KEPT).toBeGreaterThan(before);
    await history.getByText('Alex removed 40 words').waitFor();
    await expectNoSeriousAxeViolations(alex.page);
    await history.getByRole('button', { name: 'Close' }).click();

    const samHistory = await openHistory(sam);
    await samHistory.getByText('Alex restored an earlier version').first().waitFor();
    await shoot('history', undefined, sam);
    await expectNoSeriousAxeViolations(sam.page);
    await samHistory.getByRole('listitem').filter({ hasText: /large part was removed|Written by Alex/ }).first().getByRole('button', { name: 'Restore this version' }).click();
    for (const person of [alex, sam]) await expect.poll(() => textOf(person)).toContain(NOTES);
    await samHistory.getByText('Sam restored an earlier version').waitFor(VERSION_KEPT);
    await shoot('history-restored', undefined, sam);
    await samHistory.getByRole('button', { name: 'Close' }).click();
  });

  it("undoes only one's own typing with the Undo button on a phone", async () => {
    await sam.typeInNotes(' Sam adds this.');
    await expect.poll(() => textOf(alex)).toContain('Sam adds this.');
    await alex.typeInNotes(' Alex adds that.');
    await expect.poll(() => textOf(sam)).toContain('Alex adds that.');
    await sam.page.getByRole('button', { name: 'Undo my last change' }).click();
    await expect.poll(() => textOf(alex)).not.toContain('Sam adds this.');
    expect(await textOf(alex)).toContain('Alex adds that.');
    await shoot('undo', undefined, sam);
  });

  it('asks before ending a meeting whose notes were emptied, with "Restore the notes and end" first', async () => {
    await kim.openTab('Notes');
    await kim.notes.click();
    await kim.page.keyboard.press('ControlOrMeta+a');
    await kim.page.keyboard.press('Delete');
    await expect.poll(() => textOf(alex)).toBe('');
    await alex.chooseFromMore('End meeting for everyone');
    const dialog = alex.page.getByRole('dialog', { name: 'The notes are empty. End anyway?' });
    await dialog.getByText(/Kim removed them\./).waitFor();
    const buttons = await dialog.getByRole('button').allTextContents();
    expect(buttons[0]).toBe('Restore the notes and end');
    await shoot('end-empty', alex);
    await expectNoSeriousAxeViolations(alex.page);
    await dialog.getByRole('button', { name: 'Restore the notes and end' }).click();
    await alex.page.getByRole('heading', { name: /ended/i }).first().waitFor({ timeout: 30_000 });

    const record = await alex.page.request.get(`${server.url}/api/meetings/${seeded.meetingId}/record`);
    expect(record.ok()).toBe(true);
    expect(await record.text()).toContain('Next meeting at home on Thursday.');
    const versions = await alex.page.request.get(`${server.url}/api/meetings/${seeded.meetingId}/notes/versions`);
    expect(((await versions.json()) as { versions: { kind: string }[] }).versions[0]?.kind).toBe('sealed');
    // The sealed PDF holds the restored text with its writer: the restore is Alex's own, attributed edit.
    const pdf = await alex.page.request.get(`${server.url}/api/meetings/${seeded.meetingId}/export?format=pdf`);
    expect(pdf.ok()).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'polyphony-history-')), 'note.pdf');
    writeFileSync(file, await pdf.body());
    const text = (await run('pdftotext', [file, '-'])).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Next meeting at home on Thursday.');
    expect(text).toContain('[Alex] Sam said the nights are the hardest');
  });
});

/** The notes' text as written, without the other people's cursor labels that the editor shows inside it. */
async function textOf(person: MeetingPage): Promise<string> {
  return person.notes.evaluate((editor) => {
    const copy = editor.cloneNode(true) as HTMLElement;
    for (const cursor of copy.querySelectorAll('.ProseMirror-yjs-cursor')) cursor.remove();
    return copy.textContent ?? '';
  });
}

async function openHistory(person: MeetingPage) {
  await person.openTab('Notes');
  await person.page.getByRole('button', { name: 'History of the notes' }).click();
  const dialog = person.page.getByRole('dialog', { name: 'History of the notes' });
  await dialog.waitFor();
  return dialog;
}

async function shoot(name: string, laptop: MeetingPage | undefined, phone?: MeetingPage): Promise<void> {
  await laptop?.page.screenshot({ path: `test-results/screenshots/notesHistory-${name}-desktop.png` });
  await phone?.page.screenshot({ path: `test-results/screenshots/notesHistory-${name}-phone.png` });
}

async function expectNoSeriousAxeViolations(...pages: Page[]): Promise<void> {
  for (const page of pages) expect(await seriousAxeViolations(page)).toEqual([]);
}
