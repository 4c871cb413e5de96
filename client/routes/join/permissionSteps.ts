/** The browsers whose camera and microphone settings live in different places. */
export type BrowserFamily =
  | 'samsung-internet'
  | 'safari-ios'
  | 'other-ios'
  | 'firefox-android'
  | 'firefox'
  | 'edge'
  | 'chrome-android'
  | 'chrome'
  | 'safari-mac'
  | 'unknown';

export interface PermissionSteps {
  /** The browser's name as people know it, for "in Chrome:"; undefined when it is not known. */
  browser: string | undefined;
  steps: string[];
}

/**
 * Which browser family a user agent string belongs to, for telling the person where its camera and
 * microphone permission lives. Order matters: Samsung Internet and Edge also say "Chrome", and every
 * browser on an iPhone says "Safari" (and uses Safari's engine, with its permissions in iOS Settings).
 */
export function browserFamily(userAgent: string): BrowserFamily {
  if (/SamsungBrowser\//.test(userAgent)) return 'samsung-internet';
  if (/iPhone|iPad|iPod/.test(userAgent)) return /CriOS|FxiOS|EdgiOS|OPiOS/.test(userAgent) ? 'other-ios' : 'safari-ios';
  if (/Firefox\//.test(userAgent)) return /Android/.test(userAgent) ? 'firefox-android' : 'firefox';
  if (/Edg(A|e)?\//.test(userAgent)) return 'edge';
  if (/Chrome\/|Chromium\//.test(userAgent)) return /Android/.test(userAgent) ? 'chrome-android' : 'chrome';
  if (/Macintosh/.test(userAgent) && /Safari\//.test(userAgent)) return 'safari-mac';
  return 'unknown';
}

/** The app an iPhone browser's permissions are filed under in iOS Settings. */
function iosAppName(userAgent: string): string {
  if (/CriOS/.test(userAgent)) return 'Chrome';
  if (/FxiOS/.test(userAgent)) return 'Firefox';
  if (/EdgiOS/.test(userAgent)) return 'Edge';
  if (/OPiOS/.test(userAgent)) return 'Opera';
  return 'your browser';
}

/**
 * Plain steps to allow the camera and microphone again, for the browser in `userAgent`, ending with
 * "Try again" (the button beside them). Written for someone who has never opened a browser's settings.
 */
export function permissionSteps(userAgent: string): PermissionSteps {
  const tryAgain = 'Then press "Try again" below.';
  switch (browserFamily(userAgent)) {
    case 'chrome':
      return {
        browser: 'Chrome',
        steps: ['Click the small icon just left of the web address at the top of the window.', 'Turn on Camera and Microphone.', tryAgain],
      };
    case 'edge':
      return {
        browser: 'Edge',
        steps: ['Click the padlock just left of the web address at the top.', 'Choose "Permissions for this site" and set Camera and Microphone to Allow.', tryAgain],
      };
    case 'chrome-android':
      return {
        browser: 'Chrome',
        steps: [
          'Tap the small icon just left of the web address at the top.',
          'Tap Permissions, and turn on Camera and Microphone.',
          tryAgain,
          "Still blocked? Open your phone's Settings, then Apps, Chrome, Permissions, and allow Camera and Microphone.",
        ],
      };
    case 'samsung-internet':
      return {
        browser: 'Samsung Internet',
        steps: [
          'Tap the padlock just left of the web address at the top.',
          'Tap Permissions, and allow Camera and Microphone.',
          tryAgain,
          "Still blocked? Open your phone's Settings, then Apps, Samsung Internet, Permissions, and allow Camera and Microphone.",
        ],
      };
    case 'safari-ios':
      return {
        browser: 'Safari',
        steps: [
          'Tap the "aA" button (or the page menu) at the left of the address bar.',
          'Tap Website Settings, and set Camera and Microphone to Allow.',
          tryAgain,
          'Still blocked? Open the Settings app, then Safari, and set Camera and Microphone to Ask or Allow. Come back and reload this page.',
        ],
      };
    case 'other-ios': {
      const app = iosAppName(userAgent);
      return {
        browser: app === 'your browser' ? undefined : app,
        steps: [`Open the Settings app on your iPhone or iPad, and tap ${app}.`, 'Turn on Camera and Microphone.', `Come back here. ${tryAgain}`],
      };
    }
    case 'firefox':
      return {
        browser: 'Firefox',
        steps: [
          'Click the crossed-out camera or microphone icon in the address bar.',
          'Click the small × beside "Blocked" to remove the block.',
          `${tryAgain} When Firefox asks, choose Allow.`,
        ],
      };
    case 'firefox-android':
      return {
        browser: 'Firefox',
        steps: ['Tap the padlock just left of the web address.', 'Set Camera and Microphone to Allowed.', tryAgain],
      };
    case 'safari-mac':
      return {
        browser: 'Safari',
        steps: ['In the menu bar at the top of the screen, choose Safari, then "Settings for this Website".', 'Set Camera and Microphone to Allow.', tryAgain],
      };
    case 'unknown':
      return {
        browser: undefined,
        steps: ["Open your browser's settings for this website (often behind the padlock beside the web address).", 'Allow the camera and microphone.', tryAgain],
      };
  }
}
