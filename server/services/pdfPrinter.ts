import { execFile } from 'node:child_process';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ApiError } from '../errors.ts';

const run = promisify(execFile);

/** Debian's Chromium, as the browser tests use; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PRINT_TIMEOUT_MS = 60_000;
/** Whom Chromium runs as when the server runs as root: Debian's `nobody` and `nogroup`. */
const UNPRIVILEGED = { uid: 65534, gid: 65534 };

/**
 * Prints an HTML page to PDF with headless Chromium, through the page's own print stylesheet, with
 * Chromium's sandbox on: the page holds what members wrote, so its renderer runs in Chromium's own user,
 * PID and network namespaces under seccomp, as it would in anyone's browser. Chromium refuses to start
 * its sandbox as root, so a server running as root (as in CI) starts it as `nobody` instead; a server
 * running as its own user starts it as that user. Where the sandbox cannot start (no unprivileged user
 * namespaces), printing fails with a clear message: it never falls back to `--no-sandbox`.
 *
 * Each print gets a fresh folder (page, profile, home), removed afterwards. The page's own CSP
 * (`default-src 'none'`) runs no script and fetches nothing, so the note's content is never executed or
 * sent anywhere. (Chromium's scriptEnabled=false switch would be tidier, but headless printing then
 * writes no file.)
 */
export async function printPdf(html: string, options: { chromiumPath?: string } = {}): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'polyphony-print-'));
  const owner = process.getuid?.() === 0 ? UNPRIVILEGED : undefined;
  try {
    const page = join(dir, 'note.html');
    const pdf = join(dir, 'note.pdf');
    await writeFile(page, html, { encoding: 'utf8', mode: 0o600 });
    if (owner) for (const path of [dir, page]) await chown(path, owner.uid, owner.gid);
    try {
      await run(options.chromiumPath ?? CHROMIUM, chromiumArgs(dir, page, pdf), { timeout: PRINT_TIMEOUT_MS, env: printEnv(dir), ...(owner ?? {}) });
      return await readFile(pdf);
    } catch {
      throw new ApiError('internal', 'The PDF could not be made on this server. The Markdown export still works.');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function chromiumArgs(dir: string, page: string, pdf: string): string[] {
  return [
    '--headless',
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
  ];
}

/** Only what Chromium needs: none of the server's own variables (secrets, tokens) reach it. */
function printEnv(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, XDG_CONFIG_HOME: join(dir, '.config'), XDG_CACHE_HOME: join(dir, '.cache'), LANG: 'C.UTF-8' };
}
