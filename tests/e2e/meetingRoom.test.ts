import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { writeSpeechLikeWav } from './speechLikeAudio.ts';

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 360, height: 740 };

/**
 * The meeting room with the people the issue names: two team members (a practitioner on a laptop, a peer
 * worker on a laptop) and a network member on a phone, over the real server and real LiveKit.
 * The tests run in order and share the three people, as one meeting goes on.
 */
describe('the meeting room, with two team members and a network member', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let talkingBrowser: TestBrowser;
  let audioDir: string;
  let alex: MeetingPage; // practitioner, laptop
  let pete: MeetingPage; // peer worker, laptop
  let sam: MeetingPage; // network member, phone
  let everyone: MeetingPage[];

  beforeAll(async () => {
    server = await startServerProcess({
      env: await embeddedLiveKitEnv(),
    });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    await addUser(server.dataDir, 'pete@team.org', { name: 'Pete', role: 'peer_worker' });
    const seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org', 'pete@team.org'], personName: 'Jo', memberName: 'Sam' });
    browser = await launchBrowser();
    // Alex's microphone "speaks"; Pete's and Sam's only beep, which LiveKit does not count as speaking.
    audioDir = mkdtempSync(join(tmpdir(), 'polyphony-audio-'));
    writeSpeechLikeWav(join(audioDir, 'speech.wav'));
    talkingBrowser = await launchBrowser({ fakeAudioFile: join(audioDir, 'speech.wav') });

    alex = await MeetingPage.open(await talkingBrowser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    pete = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
    await pete.loginAndOpenMeeting('pete@team.org', PASSWORD, 'Jo');
    sam = await MeetingPage.open(await browser.newPerson({ viewport: PHONE }), `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    await sam.chooseFirstMeeting();
    await alex.join('Alex');
    await pete.join('Pete');
    await sam.join('Sam');
    everyone = [alex, pete, sam];
    for (const person of everyone) await waitUntilSaved(person.page);
  }, 180_000);

  afterAll(async () => {
    await talkingBrowser?.close();
    await browser?.close();
    await server?.dispose();
    if (audioDir) rmSync(audioDir, { recursive: true, force: true });
  });

  it('plays remote video and lets a phone switch between video and every panel by tabs', async () => {
    await alex.waitForRemoteVideoPlaying();
    await sam.waitForRemoteVideoPlaying();
    await expect.poll(() => alex.page.locator('figure.tile').count()).toBe(3);
    // On the phone, Video is a tab; on a laptop video is always beside the panels.
    expect(await sam.page.getByRole('tab').allTextContents()).toEqual(['Video', 'Notes', 'Reflections', 'Map', 'Questions', 'Voices', 'Chat']);
    expect(await alex.page.getByRole('tab', { name: 'Video' }).count()).toBe(0);
    // Keyboard: arrows move between tabs and show their panel.
    await sam.page.getByRole('tab', { name: 'Video' }).focus();
    await sam.page.keyboard.press('ArrowRight');
    await expect.poll(() => sam.notes.isVisible()).toBe(true);
    // The faces stay in view as a strip above the notes.
    expect(await sam.page.locator('#panel-video.strip figure.tile').count()).toBe(3);
    await shoot('dialogue');
    await expectNoSeriousAxeViolations(alex.page, sam.page);
  });

  it('shows a note, a map entry, an open question and a chat message typed by one to the others', async () => {
    await alex.typeInNotes('Jo slept better this week.');
    for (const other of [pete, sam]) await expect.poll(() => other.notes.textContent()).toContain('Jo slept better this week.');

    await sam.openTab('Map');
    await sam.page.getByLabel('Name', { exact: true }).fill('Gran');
    await sam.page.getByLabel('Relationship').fill('grandmother');
    await sam.page.getByLabel('How close').selectOption({ label: 'very close' });
    await sam.page.getByRole('button', { name: 'Add to map' }).click();
    await sam.page.getByLabel('Name', { exact: true }).fill('Tom');
    await sam.page.getByRole('button', { name: 'Add to map' }).click();
    await alex.openTab('Map');
    // The person the network is about stands at the centre of the drawing, by name.
    await alex.page.getByRole('group', { name: 'Network map drawing, with Jo at the centre' }).waitFor();
    await alex.page.locator('.map-centre-name', { hasText: 'Jo' }).waitFor();
    const alexMapList = alex.page.getByRole('list', { name: 'People on the map' });
    await expect.poll(() => alexMapList.textContent()).toContain('Gran — grandmother');
    await expect.poll(() => alexMapList.textContent()).toContain('Tom');
    // Connect two people in the drawing with the keyboard, and move one with the arrow keys.
    await alex.page.getByRole('button', { name: 'Gran, grandmother, very close' }).focus();
    await alex.page.keyboard.press('Enter');
    await alex.page.getByRole('button', { name: /^Tom, / }).focus();
    await alex.page.keyboard.press('Enter');
    await expect.poll(() => sam.page.getByRole('list', { name: 'Connections' }).textContent()).toContain('Gran and Tom');
    const granOnSam = sam.page.getByRole('button', { name: 'Gran, grandmother, very close' });
    const before = await granOnSam.getAttribute('transform');
    await alex.page.getByRole('button', { name: 'Gran, grandmother, very close' }).focus();
    await alex.page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => granOnSam.getAttribute('transform')).not.toBe(before);
    // And by dragging with the mouse.
    const tomOnSam = sam.page.getByRole('button', { name: /^Tom, / });
    const tomBefore = await tomOnSam.getAttribute('transform');
    const box = await alex.page.getByRole('button', { name: /^Tom, / }).locator('circle').boundingBox();
    if (!box) throw new Error('Tom is not drawn on the map');
    await alex.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await alex.page.mouse.down();
    await alex.page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2 - 40, { steps: 8 });
    await alex.page.mouse.up();
    await expect.poll(() => tomOnSam.getAttribute('transform')).not.toBe(tomBefore);
    // A drag is not a click: it does not select Tom for connecting.
    expect(await alex.page.getByRole('button', { name: /^Tom, / }).getAttribute('aria-pressed')).toBe('false');

    await pete.openTab('Questions');
    await pete.page.getByLabel('Add an open question').fill('Medication');
    await pete.page.getByRole('button', { name: 'Add question' }).click();
    await sam.openTab('Questions');
    await expect.poll(() => sam.page.getByRole('list', { name: 'Open questions' }).textContent()).toContain('Medication');
    await expect.poll(() => sam.page.getByRole('tab', { name: /^Questions/ }).textContent()).toBe('Questions (1 open)');

    await sam.openTab('Chat');
    await sam.page.getByRole('textbox', { name: 'Message' }).fill('Can we talk about Gran too?');
    await sam.page.keyboard.press('Enter');
    await expect.poll(() => alex.page.getByRole('tab', { name: /^Chat/ }).textContent()).toBe('Chat (1 new)');
    await alex.openTab('Chat');
    await expect.poll(() => alex.page.getByRole('list', { name: 'Chat messages' }).textContent()).toContain('Sam');
    expect(await alex.page.getByRole('list', { name: 'Chat messages' }).textContent()).toContain('Can we talk about Gran too?');
    await shoot('chat', { alexTab: 'Chat', samTab: 'Chat' });
    await shoot('map', { alexTab: 'Map', samTab: 'Map' });
    await expectNoSeriousAxeViolations(alex.page, sam.page);
  });

  it('records a decision on an open question with who was present', async () => {
    await alex.openTab('Questions');
    await alex.page.getByRole('button', { name: 'Record a decision on “Medication”' }).click();
    await alex.page.getByLabel('What was decided about “Medication”?').fill('Keep the dose as it is for two weeks.');
    await alex.page.getByRole('button', { name: 'Save decision' }).click();
    await sam.openTab('Questions');
    const decided = sam.page.getByRole('list', { name: 'Decided questions' });
    await expect.poll(() => decided.textContent()).toContain('Keep the dose as it is for two weeks.');
    expect(await decided.textContent()).toContain('Present: Alex, Pete, Sam.');
    await shoot('questions', { alexTab: 'Questions', samTab: 'Questions' });
    await expectNoSeriousAxeViolations(alex.page, sam.page);
  });

  it('shows raised hands in the same order on every screen', async () => {
    await sam.page.getByRole('button', { name: 'Raise hand' }).click();
    await expect.poll(() => handOrder(alex.page)).toEqual(['Sam']);
    await pete.page.getByRole('button', { name: 'Raise hand' }).click();
    await alex.page.getByRole('button', { name: 'Raise hand' }).click();
    for (const person of everyone) await expect.poll(() => handOrder(person.page)).toEqual(['Sam', 'Pete', 'Alex']);
    await shoot('hands');
    // A team member lowers Sam's hand once Sam has been heard; Pete lowers his own.
    await alex.page.getByRole('button', { name: 'Lower Sam’s hand' }).click();
    await pete.page.getByRole('button', { name: 'Lower hand' }).click();
    for (const person of everyone) await expect.poll(() => handOrder(person.page)).toEqual(['Alex']);
    await alex.page.getByRole('button', { name: 'Lower hand' }).click();
    for (const person of everyone) await expect.poll(() => handOrder(person.page)).toEqual([]);
  });

  it('moves the voices bars as a participant with fake media speaks', async () => {
    // LiveKit reports Alex (speech-like fake microphone) as speaking; Alex's own client counts and writes it.
    await sam.openTab('Voices');
    const alexOnSam = sam.page.locator('.voice[data-name="Alex"]');
    await expect.poll(() => secondsOf(alexOnSam), { timeout: 60_000 }).toBeGreaterThan(0);
    const first = await secondsOf(alexOnSam);
    await expect.poll(() => secondsOf(alexOnSam), { timeout: 60_000 }).toBeGreaterThan(first);
    expect(await sam.page.locator('.voice').count()).toBe(3);
    await shoot('voices', { alexTab: 'Voices', samTab: 'Voices' });
    await expectNoSeriousAxeViolations(alex.page, sam.page);
  });

  it('switches every screen to the reflecting layout and back, with a calm banner', async () => {
    expect(await sam.page.getByRole('button', { name: 'Start reflecting' }).count()).toBe(0);
    await alex.page.getByRole('button', { name: 'Start reflecting' }).click();
    for (const person of everyone) {
      await person.page.getByText('The team is reflecting', { exact: true }).waitFor();
    }
    expect(await sam.page.getByText('you will be asked what you made of it').count()).toBe(1);
    await sam.openTab('Video');
    for (const person of everyone) {
      const team = person.page.getByRole('region', { name: 'The team, reflecting' });
      await expect.poll(() => team.locator('figure.tile').count()).toBe(2);
      expect(await person.page.getByRole('region', { name: 'The network, listening' }).locator('figure.tile[data-role="network_member"]').count()).toBe(1);
    }
    // Nobody is muted by force: Sam can still use the microphone.
    expect(await sam.page.getByRole('button', { name: 'Mute microphone' }).isEnabled()).toBe(true);

    await pete.openTab('Reflections');
    await pete.page.getByLabel('Write a reflection').fill('I heard how much Gran matters to Jo.');
    await pete.page.getByRole('button', { name: 'Add reflection' }).click();
    await expect.poll(() => alex.page.getByRole('tab', { name: /^Reflections/ }).textContent()).toBe('Reflections (now)');
    await shoot('reflecting', { alexTab: 'Reflections', samTab: 'Video' });
    await sam.openTab('Reflections');
    await expect.poll(() => sam.page.getByRole('list', { name: 'Reflections' }).textContent()).toContain('I heard how much Gran matters to Jo.');
    expect(await sam.page.getByLabel('Write a reflection').count()).toBe(0);
    await shoot('reflections', { alexTab: 'Reflections', samTab: 'Reflections' });
    await expectNoSeriousAxeViolations(alex.page, sam.page);

    await pete.page.getByRole('button', { name: 'Return to the network' }).click();
    for (const person of everyone) {
      await person.page.getByText('Back to everyone', { exact: true }).waitFor();
      await expect.poll(() => person.page.locator('[data-layout="reflecting"]').count()).toBe(0);
    }
    expect(await sam.page.getByText('What did you make of what you heard?').count()).toBe(1);
    await sam.openTab('Video');
    await shoot('returned', { samTab: 'Video' });
    await expectNoSeriousAxeViolations(alex.page, sam.page);
  });

  it('keeps what someone wrote while their connection was down, and says honestly that it is not yet saved', async () => {
    await sam.openTab('Notes');
    await sam.page.context().setOffline(true);
    await expect.poll(() => saveState(sam.page)).toMatch(/^offline/);
    await sam.typeInNotes(' Written while offline.');
    await sam.openTab('Chat');
    await sam.page.getByRole('textbox', { name: 'Message' }).fill('Sent from a train');
    await sam.page.keyboard.press('Enter');
    await expect.poll(() => saveState(sam.page)).toBe('offline-unsaved');
    await shoot('offline', { samTab: 'Chat' });
    expect(await alex.notes.textContent()).not.toContain('Written while offline.');

    await sam.page.context().setOffline(false);
    await expect.poll(() => alex.notes.textContent(), { timeout: 30_000 }).toContain('Written while offline.');
    await alex.openTab('Chat');
    await expect.poll(() => alex.page.getByRole('list', { name: 'Chat messages' }).textContent()).toContain('Sent from a train');
    await waitUntilSaved(sam.page);
    expect(await sam.notes.textContent()).toContain('Jo slept better this week. Written while offline.');
  });

  /** Screenshots of one state: Alex on a laptop, Sam on a phone, each showing the tab named (if any). */
  async function shoot(state: string, tabs: { alexTab?: string; samTab?: string } = {}): Promise<void> {
    if (tabs.alexTab) await alex.openTab(tabs.alexTab);
    if (tabs.samTab) await sam.openTab(tabs.samTab);
    await alex.screenshot(`meetingRoom-${state}-laptop`);
    await sam.screenshot(`meetingRoom-${state}-phone`);
  }
});

async function expectNoSeriousAxeViolations(...pages: Page[]): Promise<void> {
  for (const page of pages) expect(await seriousAxeViolations(page)).toEqual([]);
}

async function handOrder(page: Page): Promise<string[]> {
  const names = await page.getByRole('list', { name: 'Raised hands, in order' }).locator('.hand-name').allTextContents();
  return names.map((name) => name.replace(/ \(you\)$/, ''));
}

async function secondsOf(row: ReturnType<Page['locator']>): Promise<number> {
  return Number((await row.getAttribute('data-seconds')) ?? 'NaN');
}

async function saveState(page: Page): Promise<string | null> {
  return page.locator('.save-status').getAttribute('data-state');
}

async function waitUntilSaved(page: Page): Promise<void> {
  await page.locator('.save-status[data-state="saved"]').waitFor({ timeout: 30_000 });
}
