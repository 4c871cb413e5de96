import type { BrowserContext, Page } from 'playwright-core';

/** One shared-space socket a page opened, as the page saw it. */
export interface SyncSocketRecord {
  /** The URL's path: `/sync/<document>`. */
  path: string;
  /** host:port it was opened to. */
  host: string;
  /** Date.now() in the page (the same clock as the test's, on one machine). */
  openedAt: number;
  closedAt?: number;
  code?: number;
  reason?: string;
}

interface SyncWatch {
  log: SyncSocketRecord[];
  sockets: WebSocket[];
  /** The next socket for a path ending in `detour.docName` goes to `detour.host` instead, once. */
  detour: { docName: string; host: string } | undefined;
}

/**
 * Records every shared-space socket (`/sync/…`) the context's pages open and how each closed (code, reason,
 * time), so that a test can tell which instance refused or moved a document. With {@link detourNextSyncSocket}
 * one socket can be sent straight to another origin, as a load balancer with another view of the instances
 * would; that needs `bypassCSP` on the context (the page's CSP allows only its own origin).
 */
export async function watchSyncSockets(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    const watch: SyncWatch = { log: [], sockets: [], detour: undefined };
    (window as unknown as { __syncWatch: SyncWatch }).__syncWatch = watch;
    class Watched extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        const parsed = new URL(url, location.href);
        const sync = parsed.pathname.startsWith('/sync/');
        const detour = watch.detour;
        if (sync && detour && parsed.pathname.endsWith(`/${detour.docName}`)) {
          parsed.host = detour.host;
          watch.detour = undefined;
        }
        super(parsed, protocols);
        if (!sync) return;
        const entry: SyncSocketRecord = { path: parsed.pathname, host: parsed.host, openedAt: Date.now() };
        watch.log.push(entry);
        watch.sockets.push(this);
        this.addEventListener('close', (event) => Object.assign(entry, { closedAt: Date.now(), code: event.code, reason: event.reason }));
      }
    }
    window.WebSocket = Watched;
  });
}

/** Every shared-space socket the page opened so far. */
export function syncSocketsOf(page: Page): Promise<SyncSocketRecord[]> {
  return page.evaluate(() => (window as unknown as { __syncWatch: SyncWatch }).__syncWatch.log.map((entry) => ({ ...entry })));
}

/**
 * Sends the page's next socket for `docName` straight to `host` (once), then closes the page's open socket
 * for it, so that the app's provider reconnects as it does after any lost connection.
 */
export async function detourNextSyncSocket(page: Page, docName: string, host: string): Promise<void> {
  await page.evaluate(
    ({ docName, host }) => {
      const watch = (window as unknown as { __syncWatch: SyncWatch }).__syncWatch;
      watch.detour = { docName, host };
      for (const socket of watch.sockets) if (socket.readyState === WebSocket.OPEN && new URL(socket.url).pathname.endsWith(`/${docName}`)) socket.close();
    },
    { docName, host },
  );
}
