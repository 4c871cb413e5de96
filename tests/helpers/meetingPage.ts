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

  /** From the start page: create a meeting and return its join link. */
  async createMeeting(): Promise<string> {
    await this.page.getByRole('button', { name: 'Create meeting' }).click();
    return this.page.getByLabel('Join link').inputValue();
  }

  /** Pre-join: type a name, optionally choose audio only, join, and wait for the meeting room. */
  async join(name: string, options: { audioOnly?: boolean } = {}): Promise<void> {
    await this.page.getByLabel('Your name, as others will see it').fill(name);
    if (options.audioOnly) await this.page.getByLabel('Join with audio only (no camera)').check();
    await this.page.getByRole('button', { name: 'Join meeting' }).click();
    await this.notes.waitFor();
  }

  get notes() {
    return this.page.getByRole('textbox', { name: 'Shared notes' });
  }

  async typeInNotes(text: string): Promise<void> {
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

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  }
}
