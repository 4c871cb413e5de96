import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { SYNC_CLOSE } from '../../shared/protocol/sync.ts';
import { SYNC_LIMITS } from '../../shared/protocol/syncLimits.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { textInsert, updateFrame } from '../helpers/syncFrames.ts';

/**
 * Fills the meeting's document to its quota as `session`: large chunks until one no longer fits, then
 * smaller ones, down to a few bytes, so that even a typed line no longer fits. Paced under one person's
 * byte rate, so that the quota closes each connection, not the rate. Resolves with the last close code.
 */
async function fillToQuota(server: ServerProcess, session: HttpSession, meetingId: string): Promise<number> {
  const { sync } = JoinMeetingResponse.parse(await session.json('POST', `/api/meetings/${meetingId}/join`, { displayName: 'Filler' }));
  const url = `${server.url.replace(/^http/, 'ws')}${sync.path}/${sync.docName}?ticket=${encodeURIComponent(sync.ticket)}`;
  const { bytesPerSecond, burstBytes } = SYNC_LIMITS.connectionRate;
  let code = 0;
  let clientId = 5000;
  for (const chunk of [192 * 1024, 16 * 1024, 1024, 16]) {
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    const closed = new Promise<number>((done) => ws.once('close', (closeCode: number) => done(closeCode)));
    await new Promise((done) => ws.once('open', done));
    const sendChunk = (): void => {
      if (ws.readyState === ws.OPEN) ws.send(updateFrame(textInsert('x'.repeat(chunk), clientId++)));
    };
    if (chunk === 192 * 1024) for (let i = 0; i < Math.floor(burstBytes / chunk) - 1; i++) sendChunk();
    const timer = setInterval(sendChunk, Math.ceil((chunk / bytesPerSecond) * 1000) + 50);
    code = await closed;
    clearInterval(timer);
    if (code !== SYNC_CLOSE.documentFull) return code;
  }
  return code;
}

describe('a meeting whose shared notes reached their size quota (issue 11)', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;

  beforeAll(async () => {
    server = await startServerProcess({ env: { LIVEKIT: 'off' } });
    await addUser(server.dataDir, 'robin@team.org', { name: 'Robin' });
    seeded = await seedNetwork(server.dataDir, { team: ['robin@team.org'], personName: 'Jo', memberName: 'Kim' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('tells the person on a phone plainly that new writing cannot be saved, and that what is written is kept', async () => {
    const kim = await MeetingPage.open(await browser.newPerson({ viewport: { width: 390, height: 844 } }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await kim.chooseFirstMeeting();
    await kim.join('Kim');

    const team = new HttpSession(server.url);
    await team.login('robin@team.org', PASSWORD);
    expect(await fillToQuota(server, team, seeded.meetingId)).toBe(SYNC_CLOSE.documentFull);

    await kim.typeInNotes('One more line.');
    await kim.page.getByText('The shared notes have reached their size limit').first().waitFor();
    await kim.screenshot('meeting-document-full-phone');
    expect(await seriousAxeViolations(kim.page)).toEqual([]);
  });
});
