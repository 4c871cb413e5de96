import { createRoot, createEffect } from 'solid-js';
import type { SharedDoc } from './createSharedDoc.ts';

/** Most a caller waits for the server to confirm; after that it goes on and the server's own state decides. */
const SAVE_WAIT_MS = 10_000;

/**
 * Resolves once everything written to `doc` so far is stored by the server (or after SAVE_WAIT_MS). The
 * save tracker counts a local change on a microtask, so the status is read only after those have run.
 */
export async function whenSaved(doc: SharedDoc): Promise<void> {
  await Promise.resolve();
  return new Promise((done) => {
    createRoot((dispose) => {
      const timer = setTimeout(finish, SAVE_WAIT_MS);
      function finish(): void {
        clearTimeout(timer);
        dispose();
        done();
      }
      createEffect(() => {
        const status = doc.saveStatus();
        if (status.connection === 'open' && status.inStep && !status.pending) finish();
      });
    });
  });
}
