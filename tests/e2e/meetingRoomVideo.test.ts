import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { cli, idOf } from '../helpers/cli.ts';
import { MeetingPage } from '../helpers/meetingPage.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { embeddedLiveKitEnv, startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { recordCameraTracks } from '../helpers/cameraTracks.ts';

const LAPTOP = { width: 1440, height: 900 };
/** LiveKit's own events (joins, quality reports, track changes) can take seconds on a busy machine. */
const LIVEKIT = { timeout: 30_000 };
const PHONE = { width: 360, height: 740 };

/**
 * Video in the meeting room over the real server and real LiveKit: Sam (network member, phone) and Ivy
 * (interpreter, laptop, audio only) arrive before the team and wait; Alex (practitioner, laptop) joins,
 * shares a screen, switches devices, and at the end closes the meeting for everyone. The tests run in
 * order, as one meeting goes on.
 */
describe('video in the meeting room: waiting, interpreter, screen share, devices, reconnecting, ending', () => {
  let server: ServerProcess;
  let browser: TestBrowser;
  let alex: MeetingPage; // practitioner, laptop
  let sam: MeetingPage; // network member, phone
  let ivy: MeetingPage; // interpreter, laptop, audio only

  beforeAll(async () => {
    server = await startServerProcess({
      env: await embeddedLiveKitEnv(),
    });
    await addUser(server.dataDir, 'alex@team.org', { name: 'Alex', role: 'practitioner' });
    await addUser(server.dataDir, 'kim@team.org', { name: 'Kim', role: 'practitioner' });
    const seeded = await seedNetwork(server.dataDir, { team: ['alex@team.org', 'kim@team.org'], personName: 'Jo', memberName: 'Sam' });
    const ivyId = idOf(await cli(server.dataDir, ['member', 'add', '--network', seeded.networkId, '--name', 'Ivy', '--relationship', 'interpreter', '--interpreter']));
    const ivyInvite = await cli(server.dataDir, ['invite', 'create', '--member', ivyId, '--expires-in', '14d']);
    browser = await launchBrowser();
    const samContext = await browser.newPerson({ viewport: PHONE });
    await samContext.addInitScript(recordCameraTracks);
    sam = await MeetingPage.open(samContext, `${server.url}${new URL(seeded.inviteUrl).pathname}`);
    ivy = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}${new URL(String(ivyInvite['url'])).pathname}`);
    alex = await MeetingPage.open(await browser.newPerson({ viewport: LAPTOP }), `${server.url}/login`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('lets network members wait calmly for the team, with the shared space already working', async () => {
    await sam.chooseFirstMeeting();
    await sam.join('Sam');
    await sam.openTab('Video');
    // Network members know whom they wait for by name, from the team the server assigned.
    const samWaiting = sam.page.getByRole('region', { name: 'Waiting for Alex and Kim' });
    await samWaiting.waitFor();
    expect(await samWaiting.textContent()).toContain('You are the first one here.');
    // ...and whom the meeting is about.
    expect(await samWaiting.textContent()).toMatch(/This meeting is about Jo, today at \d\d:\d\d\./);
    await sam.page.screenshot({ path: 'test-results/screenshots/meetingRoomVideo-waiting-phone.png' });

    await ivy.chooseFirstMeeting();
    await ivy.join('Ivy', { audioOnly: true });
    const ivyWaiting = ivy.page.getByRole('region', { name: 'Waiting for Alex and Kim' });
    await ivyWaiting.waitFor();
    await expect.poll(() => samWaiting.textContent()).toContain('Others from the network are already here.');
    // The shared space works while waiting.
    await sam.typeInNotes('Sam waited here.');
    await expect.poll(() => ivy.notes.textContent()).toContain('Sam waited here.');
    await sam.openTab('Video');
    await shoot('waiting', ivy, sam);
    await expectNoSeriousAxeViolations(ivy.page, sam.page);
  });

  it('ends the wait when a team member joins, and shows the interpreter as interpreter, by name, on audio only', async () => {
    await alex.loginAndOpenMeeting('alex@team.org', PASSWORD, 'Jo');
    await alex.join('Alex');
    for (const person of [sam, ivy]) await expect.poll(() => person.page.getByRole('region', { name: /^Waiting for/ }).count(), LIVEKIT).toBe(0);
    expect(await alex.page.getByRole('region', { name: /^Waiting for/ }).count()).toBe(0);
    await sam.waitForRemoteVideoPlaying();

    const ivyTile = alex.page.locator('figure.tile[data-role="interpreter"]');
    await expect.poll(() => ivyTile.locator('figcaption').textContent(), LIVEKIT).toMatch(/^Ivy · interpreter · on audio only/);
    expect(await ivyTile.locator('video').count()).toBe(0);
    expect(await ivyTile.locator('.avatar').textContent()).toBe('I');
    await expect.poll(() => alex.page.locator('figure.tile').count(), LIVEKIT).toBe(3);
  });

  it('says in words how good each connection is, on every tile', async () => {
    const tiles = alex.page.locator('figure.tile');
    await expect
      .poll(async () => (await tiles.locator('.quality').allTextContents()).every((text) => /^(good connection|weak connection|connection lost)$/.test(text)), LIVEKIT)
      .toBe(true);
    expect(await tiles.locator('.quality').count()).toBe(3);
    expect(await tiles.locator('.quality svg[aria-hidden="true"]').count()).toBe(3);
  });

  it('shows a shared screen large to everyone, and takes it away when sharing stops', async () => {
    await alex.chooseFromMore('Share screen');
    await expectMoreItem(alex, 'Stop sharing screen');
    await sam.openTab('Video');
    const shared = sam.page.getByRole('region', { name: 'Shared screen' });
    await shared.getByText('Alex is sharing their screen').waitFor();
    await waitForFrames(sam.page, 'video[data-screen="remote"]');
    expect(await sam.page.getByLabel('Screen shared by Alex').count()).toBe(1);
    // Shown large: the whole width of the video area, wider than any person's tile.
    const stage = await sam.page.locator('.screen-share').boundingBox();
    const tile = await sam.page.locator('figure.tile').first().boundingBox();
    expect(stage && tile && stage.width >= tile.width).toBe(true);
    await alex.page.getByText('You are sharing your screen').waitFor();
    await shoot('screen-share', alex, sam);
    await expectNoSeriousAxeViolations(alex.page, sam.page);

    await alex.chooseFromMore('Stop sharing screen');
    await expectMoreItem(alex, 'Share screen');
    await expect.poll(() => sam.page.getByRole('region', { name: 'Shared screen' }).count(), LIVEKIT).toBe(0);
  });

  it('switches microphone and speaker mid-meeting from a settings dialog that the keyboard can use and leave', async () => {
    // Settings is in the controls' "More" menu; focus returns to "More" when the dialog closes.
    const settings = alex.moreButton;
    await alex.chooseFromMore('Settings');
    const dialog = alex.page.getByRole('dialog', { name: 'Camera, microphone and speaker' });
    await dialog.waitFor();
    const microphone = dialog.getByLabel('Microphone');
    const otherMic = await optionValue(microphone, 'Fake Audio Input 1');
    await microphone.selectOption(otherMic);
    await expect.poll(() => microphone.inputValue(), LIVEKIT).toBe(otherMic);
    const speaker = dialog.getByLabel('Speaker');
    const otherSpeaker = await optionValue(speaker, 'Fake Audio Output 1');
    await speaker.selectOption(otherSpeaker);
    // The others' voices now play through the chosen speaker.
    await expect.poll(() => alex.page.evaluate(() => [...document.querySelectorAll('audio')].map((a) => a.sinkId)), LIVEKIT).toEqual([otherSpeaker, otherSpeaker]);
    await shoot('settings', alex);
    expect(await seriousAxeViolations(alex.page)).toEqual([]);
    await alex.page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => settings.evaluate((el) => el === document.activeElement)).toBe(true);
    await shootPhoneSettings();
  });

  it('marks who wrote each passage of the notes, with a legend of names', async () => {
    await alex.typeInNotes(' Alex added this.');
    await expect.poll(() => sam.notes.textContent()).toContain('Alex added this.');
    const toggle = sam.page.getByRole('button', { name: 'Show who wrote what' });
    await sam.openTab('Notes');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const legend = sam.page.getByRole('list', { name: 'Who wrote the notes' });
    await expect.poll(() => legend.locator('li').allTextContents()).toEqual(['Alex', 'Sam']);
    await expect.poll(() => sam.notes.locator('.authored[data-author="Sam"]').textContent()).toBe('Sam waited here.');
    expect(await sam.notes.locator('.authored[data-author="Alex"]').textContent()).toBe(' Alex added this.');
    expect(await sam.notes.locator('.authored[data-author="Alex"]').getAttribute('title')).toBe('Written by Alex');
    expect(await sam.notes.getAttribute('contenteditable')).toBe('false');
    // It stays up to date while shown.
    await alex.page.keyboard.type(' More.');
    await expect.poll(() => sam.notes.locator('.authored[data-author="Alex"]').textContent()).toBe(' Alex added this. More.');
    await alex.openTab('Notes');
    await alex.page.getByRole('button', { name: 'Show who wrote what' }).click();
    await alex.notes.locator('.authored').first().waitFor();
    await shoot('authors', alex, sam);
    await expectNoSeriousAxeViolations(alex.page, sam.page);
    await alex.page.getByRole('button', { name: 'Show who wrote what' }).click();
    await toggle.click();
    await expect.poll(() => sam.notes.getAttribute('contenteditable')).toBe('true');
    expect(await sam.notes.locator('.authored').count()).toBe(0);
  });

  it('says "Reconnecting…" while a phone loses its network, and recovers video by itself when it returns', async () => {
    await sam.openTab('Video');
    const banner = sam.page.locator('.connection-banner');
    const recoveries = async () => Number(await banner.getAttribute('data-recoveries'));
    const before = await recoveries();
    await sam.page.context().setOffline(true);
    await sam.page.getByText('Reconnecting…', { exact: true }).waitFor();
    // LiveKit itself notices the lost network (its pings go unanswered) and starts reconnecting.
    await expect.poll(() => banner.getAttribute('data-room-state'), { timeout: 60_000 }).toBe('reconnecting');
    await shoot('reconnecting', undefined, sam);
    await sam.page.context().setOffline(false);
    await expect.poll(recoveries, { timeout: 60_000 }).toBeGreaterThan(before);
    await expect.poll(() => banner.getAttribute('data-state')).toBe('connected');
    expect(await sam.page.getByText('Reconnecting…', { exact: true }).count()).toBe(0);
    await sam.waitForRemoteVideoPlaying();
    // Frames keep arriving after the recovery, not just from before it.
    const frames = await framesOf(sam.page, 'video[data-remote]');
    await expect.poll(() => framesOf(sam.page, 'video[data-remote]')).toBeGreaterThan(frames);
  });

  it('shows someone who left and came back what they missed', async () => {
    await sam.page.getByRole('button', { name: 'Leave meeting' }).click();
    await sam.page.getByRole('heading', { name: 'You have left the meeting' }).waitFor();
    await alex.openTab('Chat');
    await alex.page.getByRole('textbox', { name: 'Message' }).fill('Sam, we talked about school while you were away.');
    await alex.page.keyboard.press('Enter');
    await alex.typeInNotes(' School is going well.');
    await sam.page.getByRole('button', { name: 'Join again' }).click();
    await sam.join('Sam');
    const welcome = sam.page.getByRole('region', { name: 'Welcome back.' });
    await welcome.waitFor();
    await expect.poll(() => welcome.textContent()).toContain('New since you left: 1 chat message.');
    await expect.poll(() => sam.notes.textContent()).toContain('School is going well.');
    await expect.poll(() => sam.page.getByRole('tab', { name: /^Chat/ }).textContent()).toMatch(/^Chat \(\d+ new\)$/);
    await sam.page.getByLabel('Your video').waitFor();
    await sam.waitForRemoteVideoPlaying();
    await shoot('welcome-back', undefined, sam);
    expect(await seriousAxeViolations(sam.page)).toEqual([]);
    await welcome.getByRole('button', { name: 'Close this message' }).click();
    await expect.poll(() => welcome.count()).toBe(0);
  });

  it('lets a team member end the meeting for everyone after confirming, and every screen says so calmly', async () => {
    expect(await (await sam.openMore()).getByRole('menuitem', { name: 'End meeting for everyone' }).count()).toBe(0);
    await sam.page.keyboard.press('Escape');
    const end = () => alex.chooseFromMore('End meeting for everyone');
    await end();
    const dialog = alex.page.getByRole('dialog', { name: 'End the meeting for everyone?' });
    await dialog.waitFor();
    // The safe choice has focus; Escape keeps the meeting going.
    await expect.poll(() => dialog.getByRole('button', { name: 'Keep the meeting going' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await shoot('end-dialog', alex);
    expect(await seriousAxeViolations(alex.page)).toEqual([]);
    await alex.page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await sam.page.getByRole('heading', { name: 'The meeting has ended' }).count()).toBe(0);

    await end();
    await dialog.getByRole('button', { name: 'End for everyone' }).click();
    for (const person of [alex, sam, ivy]) await person.page.getByRole('heading', { name: 'The meeting has ended' }).waitFor({ timeout: 30_000 });
    // Video has stopped: no video on the page, and the camera is no longer captured.
    expect(await sam.page.locator('video').count()).toBe(0);
    expect(await cameraTracksSeen(sam.page)).toBeGreaterThan(0);
    await expect.poll(() => liveCameraTracks(sam.page)).toBe(0);
    // The notes stay readable.
    const notes = sam.page.getByRole('region', { name: 'Shared notes' });
    await expect.poll(() => notes.textContent()).toContain('School is going well.');
    await shoot('ended', alex, sam);
    await expectNoSeriousAxeViolations(alex.page, sam.page);
  });

  /** Screenshots of one state, a laptop view and a phone view, named meetingRoomVideo-<state>-<size>. */
  async function shoot(state: string, laptop: MeetingPage | undefined, phone?: MeetingPage): Promise<void> {
    if (laptop) await laptop.screenshot(`meetingRoomVideo-${state}-laptop`);
    if (phone) await phone.screenshot(`meetingRoomVideo-${state}-phone`);
  }

  /** The settings dialog as a phone shows it. */
  async function shootPhoneSettings(): Promise<void> {
    await sam.chooseFromMore('Settings');
    const dialog = sam.page.getByRole('dialog', { name: 'Camera, microphone and speaker' });
    await dialog.getByLabel('Microphone').waitFor();
    await sam.screenshot('meetingRoomVideo-settings-phone');
    expect(await seriousAxeViolations(sam.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  }
});

async function expectNoSeriousAxeViolations(...pages: Page[]): Promise<void> {
  for (const page of pages) expect(await seriousAxeViolations(page)).toEqual([]);
}

/**
 * The controls' "More" menu offers `name` (a toggle there says what it will do next); then the menu closes
 * again. The menu is opened at once, often before the toggle's label changes: focus must stay on an item
 * through the change.
 */
async function expectMoreItem(person: MeetingPage, name: string): Promise<void> {
  await (await person.openMore()).getByRole('menuitem', { name, exact: true }).waitFor();
  expect(await person.page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem');
  await person.page.keyboard.press('Escape');
  await expect.poll(() => person.page.getByRole('menu').count()).toBe(0);
}

async function optionValue(select: ReturnType<Page['locator']>, label: string): Promise<string> {
  const value = await select.locator('option', { hasText: label }).getAttribute('value');
  if (!value) throw new Error(`no option "${label}"`);
  return value;
}

async function framesOf(page: Page, selector: string): Promise<number> {
  return page.evaluate(
    (sel) => Math.max(0, ...[...document.querySelectorAll<HTMLVideoElement>(sel)].map((v) => v.getVideoPlaybackQuality().totalVideoFrames)),
    selector,
  );
}

async function waitForFrames(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll<HTMLVideoElement>(sel)].some((v) => v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 5),
    selector,
    { timeout: 60_000, polling: 250 },
  );
}


async function cameraTracksSeen(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __cameraTracks?: MediaStreamTrack[] }).__cameraTracks?.length ?? 0);
}

/** Camera tracks the page captured that are still live (Chromium ends a track once its capture stops). */
async function liveCameraTracks(page: Page): Promise<number> {
  return page.evaluate(() => ((window as unknown as { __cameraTracks?: MediaStreamTrack[] }).__cameraTracks ?? []).filter((t) => t.readyState === 'live').length);
}
