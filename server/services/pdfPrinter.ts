import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ApiError } from '../errors.ts';

const run = promisify(execFile);

/** Debian's Chromium, as the browser tests use; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PRINT_TIMEOUT_MS = 60_000;

/**
 * Prints an HTML page to PDF with headless Chromium, through the page's own print stylesheet. Each print
 * gets a fresh profile and folder, removed afterwards. The page's own CSP (`default-src 'none'`) runs no
 * script and fetches nothing, so the note's content is never executed or sent anywhere. (Chromium's
 * scriptEnabled=false switch would be tidier, but headless printing then writes no file.)
 */
export async function printPdf(html: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'polyphony-print-'));
  try {
    const page = join(dir, 'note.html');
    const pdf = join(dir, 'note.pdf');
    await writeFile(page, html, 'utf8');
    try {
      await run(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-extensions',
          `--user-data-dir=${join(dir, 'profile')}`,
          '--no-pdf-header-footer',
          `--print-to-pdf=${pdf}`,
          pathToFileURL(page).href,
        ],
        { timeout: PRINT_TIMEOUT_MS },
      );
      return await readFile(pdf);
    } catch {
      throw new ApiError('internal', 'The PDF could not be made on this server. The Markdown export still works.');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
