import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; never a browser downloaded by a test tool. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

// Fake camera and microphone, loopback WebRTC, and no calls to the internet this machine cannot reach.
const FLAGS = [
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-gpu',
];

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (like a separate person's browser) with camera and microphone allowed, unless `allowMedia` is false. */
  newPerson(options?: { viewport?: { width: number; height: number }; allowMedia?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * A WAV file the fake microphone plays in a loop instead of Chromium's beep. The beep (20 ms every
   * half second) is too short for LiveKit to ever call it speaking; a speech-like file is not.
   */
  fakeAudioFile?: string;
  /** Another program to start instead of Chromium itself (e.g. a wrapper that runs it in a network namespace). */
  executablePath?: string;
  /** Flags beyond the usual ones. */
  extraArgs?: string[];
  /**
   * 'accept' (the default): every camera and microphone prompt is answered "Allow". 'block': no prompt is
   * answered, so a context that was not granted the permission is refused, as if the person pressed Block.
   */
  mediaPrompts?: 'accept' | 'block';
}

/** Launches headless Chromium. Playwright gives every launch a fresh profile directory and removes it on close. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<TestBrowser> {
  const args = [...FLAGS, ...(options.extraArgs ?? [])];
  if (options.mediaPrompts !== 'block') args.push('--use-fake-ui-for-media-stream');
  if (options.fakeAudioFile) args.push(`--use-file-for-fake-audio-capture=${options.fakeAudioFile}`);
  const browser = await chromium.launch({ executablePath: options.executablePath ?? CHROMIUM_PATH, headless: true, args });
  return {
    browser,
    async newPerson(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 } });
      if (options.allowMedia !== false) await context.grantPermissions(['camera', 'microphone']);
      return context;
    },
    close: () => browser.close(),
  };
}
