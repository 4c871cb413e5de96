import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { printPdf } from '../../server/services/pdfPrinter.ts';
import { progressNoteHtml } from '../../server/services/progressNote.ts';
import type { MeetingRecord } from '../../shared/api/records.ts';
import { CHROMIUM_PATH } from '../helpers/browser.ts';

const run = promisify(execFile);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const record: MeetingRecord = {
  meeting: { id: 'abcdefghijklmnopqrstuv', networkId: 'abcdefghijklmnopqrstuv', title: 'Network meeting', scheduledAt: '2026-11-23T10:00:00.000Z', status: 'ended', createdAt: '2026-11-22T10:00:00.000Z', durationMinutes: 60, sequence: 0 },
  network: { id: 'abcdefghijklmnopqrstuv', personName: 'Jo' },
  sealed: true,
  startedAt: '2026-11-23T10:02:00.000Z',
  endedAt: '2026-11-23T11:05:00.000Z',
  durationMinutes: 63,
  attendees: [{ name: 'Robin', role: 'practitioner', firstJoinedAt: '2026-11-23T10:02:00.000Z', totalMinutes: 63 }],
  notes: [{ kind: 'paragraph', text: 'Jo slept better this week. <script>alert(1)</script>' }],
  reflections: [],
  questions: [],
  decisions: [],
  addenda: [],
  timeZone: 'UTC',
  chat: [],
  reflectionAnswers: [],
};

/**
 * A stand-in for Chromium that notes who it runs as and with which switches, then runs the real one:
 * the only way to see how the server starts its browser without changing how it does.
 */
function recordingChromium(): { path: string; calls: () => { uid: number; args: string[] }[] } {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-chromium-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  chmodSync(log, 0o666); // written by whoever the printer runs Chromium as
  const path = join(dir, 'chromium');
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\t%s\\n' "$(id -u)" "$*" >> '${log}'\nexec '${CHROMIUM_PATH}' "$@"\n`);
  chmodSync(path, 0o755);
  const calls = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [uid = '', args = ''] = line.split('\t');
        return { uid: Number(uid), args: args.split(' ') };
      });
  return { path, calls };
}

describe('printing the progress note (finding: PDF export ran Chromium with --no-sandbox, as root)', () => {
  it('runs Chromium with its sandbox, never as root, and prints the same note', async () => {
    const chromium = recordingChromium();
    const pdf = await printPdf(progressNoteHtml(record), { chromiumPath: chromium.path });

    const [call] = chromium.calls();
    expect(call?.args).not.toContain('--no-sandbox');
    expect(call?.args.some((arg) => /sandbox/i.test(arg))).toBe(false);
    expect(call?.uid).not.toBe(0);
    if (process.getuid?.() !== 0) expect(call?.uid).toBe(process.getuid?.());

    const dir = mkdtempSync(join(tmpdir(), 'polyphony-pdf-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'note.pdf'), pdf);
    const { stdout } = await run('pdftotext', [join(dir, 'note.pdf'), '-']);
    const text = stdout.replace(/\s+/g, ' ');
    for (const line of ['Progress note: Network meeting', 'Network of Jo', 'Robin (practitioner)', 'Jo slept better this week. <script>alert(1)</script>']) {
      expect(text).toContain(line);
    }
  });

  it('leaves no page, profile or PDF behind in the temporary folder', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('polyphony-print-')));
    await printPdf(progressNoteHtml(record));
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('polyphony-print-') && !before.has(name))).toEqual([]);
  });
});
