import { describe, expect, it } from 'vitest';
import { SYNC_CLOSE } from '../../../shared/protocol/sync.ts';
import { reconnectsAfter, SYNC_REFUSAL_TEXT, syncRefusalOf } from './syncRefusal.ts';

describe('what the meeting screen makes of a refusal by the sync server (issue 11)', () => {
  it('tells a full document, a change too large and too much at once apart, and nothing else', () => {
    expect(syncRefusalOf(SYNC_CLOSE.documentFull)).toBe('documentFull');
    expect(syncRefusalOf(SYNC_CLOSE.tooLarge)).toBe('tooLarge');
    expect(syncRefusalOf(SYNC_CLOSE.rateLimited)).toBe('rateLimited');
    expect(syncRefusalOf(SYNC_CLOSE.notYours)).toBe('notYours');
    for (const code of [SYNC_CLOSE.forbidden, SYNC_CLOSE.internal, SYNC_CLOSE.unavailable, SYNC_CLOSE.goingAway, 1006]) expect(syncRefusalOf(code)).toBeNull();
  });

  it('reconnects only after being too fast: the same change would be refused again', () => {
    expect(reconnectsAfter('rateLimited')).toBe(true);
    expect(reconnectsAfter('tooLarge')).toBe(false);
    expect(reconnectsAfter('documentFull')).toBe(false);
  });

  it('says plainly that what was written is kept', () => {
    expect(SYNC_REFUSAL_TEXT.documentFull).toContain('Everything written so far is kept');
    expect(SYNC_REFUSAL_TEXT.tooLarge).toContain('Everything before it is kept');
  });
});
