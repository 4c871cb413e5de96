import { describe, expect, it } from 'vitest';
import { browserFamily, permissionSteps, type BrowserFamily } from './permissionSteps.ts';

// Real user agent strings of the browsers families and practitioners use.
const AGENTS: [string, string, BrowserFamily][] = [
  [
    'Chrome on Android',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    'chrome-android',
  ],
  [
    'Samsung Internet',
    'Mozilla/5.0 (Linux; Android 13; SM-A145R) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
    'samsung-internet',
  ],
  [
    'Safari on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'safari-ios',
  ],
  [
    'Chrome on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
    'other-ios',
  ],
  ['Firefox on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'firefox'],
  ['Firefox on Android', 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', 'firefox-android'],
  [
    'Edge on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    'edge',
  ],
  ['Chrome on a Mac', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'chrome'],
  [
    'Safari on a Mac',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'safari-mac',
  ],
  ['something else', 'Lynx/2.9.0dev.12 libwww-FM/2.14', 'unknown'],
];

describe('browserFamily', () => {
  it.each(AGENTS)('knows %s', (_, agent, family) => {
    expect(browserFamily(agent)).toBe(family);
  });
});

describe('permissionSteps', () => {
  it.each(AGENTS)('gives %s steps that end by pointing at "Try again"', (_, agent) => {
    const { steps } = permissionSteps(agent);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.some((step) => step.includes('"Try again"'))).toBe(true);
  });

  it("sends an iPhone's Chrome to iOS Settings, under Chrome, not to Safari", () => {
    const { browser, steps } = permissionSteps(AGENTS[3]?.[1] ?? '');
    expect(browser).toBe('Chrome');
    expect(steps[0]).toMatch(/Settings app.*tap Chrome/);
  });

  it("names Samsung Internet's own Android settings, not Chrome's", () => {
    const { browser, steps } = permissionSteps(AGENTS[1]?.[1] ?? '');
    expect(browser).toBe('Samsung Internet');
    expect(steps.join(' ')).not.toMatch(/Chrome/);
  });
});
