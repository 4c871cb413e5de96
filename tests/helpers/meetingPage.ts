import type { BrowserContext, Page } from 'playwright-core';

/** Page object for one person in a meeting, found by accessible names as a screen reader would. */
export class MeetingPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  static async open(context: BrowserContext, url: string): Promise<MeetingPage> {
    const page = await context.newPage();
    await page.goto(url);
    return new MeetingPage(page);
  }

  /** A team member: log in, open the network, and go to its first meeting's pre-join screen. */
  async loginAndOpenMeeting(email: string, password: string, personName: string): Promise<void> {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.page.getByRole('link', { name: personName }).click();
    await this.page.getByRole('link', { name: /^Join / }).first().click();
  }

  /** A network member on their invite page: join the first meeting listed. */
  async chooseFirstMeeting(): Promise<void> {
    await this.page.getByRole('button', { name: 'Join this meeting' }).first().click();
  }

  /** Pre-join: type a name, turn the camera on (or, for audio only, keep it off), join, and wait for the meeting room. */
  async join(name: string, options: { audioOnly?: boolean } = {}): Promise<void> {
    await this.page.getByLabel('Your name, as others will see it').fill(name);
    await this.chooseCamera(!options.audioOnly);
    await this.page.getByRole('button', { name: 'Join meeting' }).click();
    await this.page.getByRole('button', { name: 'Leave meeting' }).waitFor();
  }

  /** Pre-join: the camera starts as this browser last left it (off the first time); turn it on or off as asked. */
  async chooseCamera(on: boolean): Promise<void> {
    // The pre-join screen may still be rendering: wait for the toggle in either state before reading which it is.
    const either = this.page.getByRole('button', { name: /^Turn camera (on|off)$/ });
    await either.first().waitFor();
    const toggle = this.page.getByRole('button', { name: on ? 'Turn camera on' : 'Turn camera off', exact: true });
    if ((await toggle.count()) > 0) await toggle.click();
  }

  /** Pre-join: press "Test speakers" and wait for the status line to say a sound is playing or has played. */
  async testSpeakers(): Promise<string> {
    await this.page.getByRole('button', { name: 'Test speakers' }).click();
    const status = this.page.locator('#speaker-test-status');
    await this.page.waitForFunction(() => /hear/.test(document.querySelector('#speaker-test-status')?.textContent ?? ''));
    return (await status.textContent()) ?? '';
  }

  /** Shows a view of the meeting room ("Video", "Notes", "Map"…) by its tab; a no-op where it has no tab (video on a laptop). */
  async openTab(name: string): Promise<void> {
    const tab = this.page.getByRole('tab', { name: new RegExp(`^${name}\\b`) });
    if ((await tab.count()) > 0) await tab.click();
  }

  /** Opens the controls' "More" menu and chooses one of its items ("Settings", "Share screen"…). */
  async chooseFromMore(name: string): Promise<void> {
    await this.openMore();
    await this.page.getByRole('menuitem', { name, exact: true }).click();
  }

  /** Opens the controls' "More" menu (a no-op when it is open) and returns it. */
  async openMore() {
    const more = this.moreButton;
    if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
    const menu = this.page.getByRole('menu', { name: 'More' });
    await menu.waitFor();
    return menu;
  }

  get moreButton() {
    return this.page.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button', { name: 'More', exact: true });
  }

  /** The notes editor, also while another tab is shown (on a phone), so its text can be read at any time. */
  get notes() {
    return this.page.getByRole('textbox', { name: 'Shared notes', includeHidden: true });
  }

  async typeInNotes(text: string): Promise<void> {
    await this.openTab('Notes');
    await this.notes.click();
    await this.page.keyboard.press('End');
    await this.page.keyboard.type(text);
  }

  /** Resolves once a remote participant's video element is playing real frames. */
  async waitForRemoteVideoPlaying(timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLVideoElement>('video[data-remote]')].some(
          (v) => v.readyState >= 2 && v.videoWidth > 0 && !v.paused && v.getVideoPlaybackQuality().totalVideoFrames > 5,
        ),
      undefined,
      { timeout, polling: 250 },
    );
  }

  /** Starts counting, from now, the frames each remote video presents (see waitForFreshRemoteFrames). */
  async markRemoteFrames(): Promise<void> {
    await this.page.evaluate(() => {
      const win = window as unknown as { __frameMark?: number };
      win.__frameMark = performance.now();
      for (const video of document.querySelectorAll('video[data-remote]')) {
        const counter = (video as unknown as { __frames?: { n: number } }).__frames;
        if (counter) counter.n = 0;
      }
    });
  }

  /**
   * Resolves once at least `videos` remote video elements have each presented `frames` new frames since
   * markRemoteFrames(), as the browser reports them decoded and shown (requestVideoFrameCallback): frames
   * that arrive now, not a count carried over from before a fault.
   */
  async waitForFreshRemoteFrames(videos: number, options: { timeout: number; frames?: number }): Promise<void> {
    await this.page.waitForFunction(
      ({ videos, frames }) => {
        const win = window as unknown as { __frameMark?: number };
        type Counted = HTMLVideoElement & { __frames?: { n: number } };
        const all = [...document.querySelectorAll<Counted>('video[data-remote]')];
        for (const video of all) {
          if (video.__frames) continue;
          const counter = { n: 0 };
          video.__frames = counter;
          const tick = (now: number) => {
            if (now > (win.__frameMark ?? 0)) counter.n += 1;
            video.requestVideoFrameCallback(tick);
          };
          video.requestVideoFrameCallback(tick);
        }
        return all.filter((v) => v.videoWidth > 0 && (v.__frames?.n ?? 0) >= frames).length >= videos;
      },
      { videos, frames: options.frames ?? 10 },
      { timeout: options.timeout, polling: 200 },
    ).catch(async (error: unknown) => {
      // A timeout alone says nothing of which video stalled; what each showed is what tells a CI failure apart.
      // Describing must not hide the timeout itself (a page closed meanwhile makes evaluate throw too).
      const seen = await this.describeRemoteVideos().catch((failure: unknown) => `nothing readable (${String(failure)})`);
      throw new Error(`expected ${videos} remote videos with fresh frames; saw ${seen}`, { cause: error });
    });
  }

  /** Each remote video's state, for a failure message: size, readiness, paused or not, frames since the mark. */
  async describeRemoteVideos(): Promise<string> {
    const states = await this.page.evaluate(() =>
      [...document.querySelectorAll<HTMLVideoElement & { __frames?: { n: number } }>('video[data-remote]')].map((v) => {
        const box = v.getBoundingClientRect();
        return `${v.videoWidth}x${v.videoHeight} ready=${v.readyState} paused=${v.paused} frames=${v.__frames?.n ?? '-'} decoded=${v.getVideoPlaybackQuality().totalVideoFrames} box=${Math.round(box.width)}x${Math.round(box.height)}`;
      }),
    );
    // What the page itself says of video ("Your camera could not be started…", "Reconnecting…"), if anything.
    const banner = await this.page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('.connection-banner');
      return el ? `${el.dataset['state'] ?? '?'}/${el.dataset['roomState'] ?? '?'} "${el.textContent ?? ''}"` : 'none';
    });
    return `${states.length === 0 ? 'no remote video element' : states.join('; ')}; video banner: ${banner}`;
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  }
}

/**
 * Sam (by invite, already on the invite page) and a team member (on the login page) join the network Jo's
 * first meeting, and each waits until the other's video plays: the start of every media-path test.
 */
export async function meetOnVideo(sam: MeetingPage, team: MeetingPage, login: { email: string; password: string }, timeoutMs: number): Promise<void> {
  await sam.chooseFirstMeeting();
  await sam.join('Sam');
  await team.loginAndOpenMeeting(login.email, login.password, 'Jo');
  await team.join('Alex');
  await sam.openTab('Video');
  await team.openTab('Video');
  await sam.waitForRemoteVideoPlaying(timeoutMs);
  await team.waitForRemoteVideoPlaying(timeoutMs);
}
