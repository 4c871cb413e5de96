import { SYNC_CLOSE } from '../../../shared/protocol/sync.ts';

/** Why the server stopped taking this device's changes, as far as a person needs to know. */
export type SyncRefusal = 'documentFull' | 'tooLarge' | 'rateLimited' | 'notYours';

/** The refusal a close code means, or null for every other close (those reconnect or are told elsewhere). */
export function syncRefusalOf(code: number): SyncRefusal | null {
  switch (code) {
    case SYNC_CLOSE.documentFull:
      return 'documentFull';
    case SYNC_CLOSE.tooLarge:
      return 'tooLarge';
    case SYNC_CLOSE.rateLimited:
      return 'rateLimited';
    case SYNC_CLOSE.notYours:
      return 'notYours';
    default:
      return null;
  }
}

/**
 * Whether reconnecting can help: after `rateLimited` it can, a moment later (the provider waits longer each
 * time); the same change sent again would only be refused again after the others.
 */
export function reconnectsAfter(refusal: SyncRefusal): boolean {
  return refusal === 'rateLimited';
}

/** What the meeting screen says, calmly and plainly. */
export const SYNC_REFUSAL_TEXT: Record<SyncRefusal, string> = {
  documentFull: 'The shared notes have reached their size limit, so new writing cannot be saved. Everything written so far is kept. Please tell the team.',
  tooLarge: 'Your last change was too large to share, so it was not saved. Everything before it is kept. Please reload the page and add it in smaller parts.',
  rateLimited: 'A lot was sent at once, so the shared notes paused for a moment. Reconnecting…',
  // Only a changed or faulty app sends this: the server saves writing under the name of whoever is signed in.
  notYours: 'Your last change was not saved: it was marked as written by someone else. Everything before it is kept. Please reload the page.',
};
