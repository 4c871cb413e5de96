import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork, type SeededNetwork } from '../helpers/seed.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

describe('a practitioner and an invited family member in one meeting', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let seeded: SeededNetwork;

  beforeAll(async () => {
    server = await startServerProcess({
      env: await embeddedLiveKitEnv(),
    });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex' });
    await addUser(server.dataDir, 'admin@team.org', { admin: true });
    seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('see each other on video and co-edit one note, with names on cursors', async () => {
    const alex = await MeetingPage.open(await browser.newPerson(), `${server.url}/login`);
    await alex.screenshot('login');
    expect(await seriousAxeViolations(alex.page)).toEqual([]);
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');

    const invitePath = new URL(seeded.inviteUrl).pathname;
    const sam = await MeetingPage.open(await browser.newPerson({ viewport: { width: 360, height: 740 } }), `${server.url}${invitePath}`);
    await sam.page.getByRole('heading', { name: 'Hello, Sam' }).waitFor();
    await sam.screenshot('invite-phone');
    expect(await seriousAxeViolations(sam.page)).toEqual([]);
    await sam.chooseFirstMeeting();
    await sam.chooseCamera(true);
    await sam.page.locator('video').first().waitFor();
    await sam.screenshot('prejoin-phone');
    expect(await seriousAxeViolations(sam.page)).toEqual([]);

    // Chromium's fake devices include sound outputs, so the list of speakers is offered, and the test plays.
    await expect.poll(() => sam.page.getByLabel('Speakers', { exact: true }).locator('option').count()).toBeGreaterThan(0);
    expect(await sam.page.getByRole('status').filter({ hasText: 'Did you hear' }).count()).toBe(0);
    const speakers = sam.page.getByLabel('Speakers', { exact: true });
    const lastSpeaker = await speakers.locator('option').last().getAttribute('value');
    await speakers.selectOption(lastSpeaker ?? '');
    expect(await sam.testSpeakers()).toMatch(/Did you hear/);
    await sam.screenshot('prejoin-speaker-test-phone');
    await alex.chooseCamera(true);
    await alex.page.locator('video').first().waitFor();
    expect(await alex.testSpeakers()).toMatch(/Did you hear/);
    await alex.screenshot('prejoin-speaker-test-laptop');
    expect(await seriousAxeViolations(alex.page)).toEqual([]);

    await alex.join('Alex');
    await sam.join('Sam');
    // The speakers chosen before joining are the ones the meeting plays through.
    await sam.chooseFromMore('Settings');
    await expect.poll(() => sam.page.getByLabel('Speaker', { exact: true }).inputValue()).toBe(lastSpeaker);
    await sam.page.getByRole('button', { name: 'Done' }).click();

    await alex.waitForRemoteVideoPlaying();
    await sam.waitForRemoteVideoPlaying();
    await expect.poll(() => alex.page.getByLabel('Video of Sam').count()).toBe(1);
    await expect.poll(() => sam.page.getByLabel('Video of Alex').count()).toBe(1);

    await alex.typeInNotes('Hello from Alex.');
    await expect.poll(() => sam.notes.textContent()).toContain('Hello from Alex.');
    await sam.typeInNotes(' And Sam replies.');
    await expect.poll(() => alex.notes.textContent()).toContain('And Sam replies.');
    // Each sees the other's name on their cursor (y-prosemirror draws it inside the editor).
    await expect.poll(() => alex.page.locator('.ProseMirror-yjs-cursor', { hasText: 'Sam' }).count()).toBe(1);
    await expect.poll(() => sam.page.locator('.ProseMirror-yjs-cursor', { hasText: 'Alex' }).count()).toBe(1);

    // LiveKit's signed webhooks reach the server and record who attended, by id only.
    const admin = new HttpSession(server.url);
    await admin.login('admin@team.org', PASSWORD);
    const attendance = async () => {
      const { entries } = (await admin.json('GET', `/api/audit?networkId=${seeded.networkId}`)) as { entries: { action: string; meetingId?: string }[] };
      return entries.filter((e) => e.action === 'participant_joined' && e.meetingId === seeded.meetingId).length;
    };
    await expect.poll(attendance, { timeout: 15_000 }).toBe(2);

    await alex.screenshot('meeting-laptop');
    await sam.screenshot('meeting-phone');
    expect(await seriousAxeViolations(alex.page)).toEqual([]);
    expect(await seriousAxeViolations(sam.page)).toEqual([]);

    await sam.page.getByRole('button', { name: 'Mute microphone', exact: true }).click();
    await expect.poll(() => alex.page.getByText('microphone off').count()).toBeGreaterThan(0);
    await sam.page.getByRole('button', { name: 'Turn camera off', exact: true }).click();
    await expect.poll(() => alex.page.getByLabel('Video of Sam').count()).toBe(0);

    await sam.page.getByRole('button', { name: 'Leave meeting' }).click();
    await sam.page.getByRole('heading', { name: 'You have left the meeting' }).waitFor();
    await expect.poll(() => alex.page.getByLabel('Video of Sam').count()).toBe(0);
  });
});
