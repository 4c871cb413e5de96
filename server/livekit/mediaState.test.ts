import { describe, expect, it } from 'vitest';
import { mediaAccessFor } from './mediaState.ts';

/** No video, no key: a key asked for here would be a bug. */
const noKey = () => Promise.reject(new Error('no key without video'));
const who = { roomName: 'meeting-x', identity: 'member-y', displayName: 'Sam', metadata: '{}' };

describe('what a joining participant is told about video', () => {
  it('tells them to ask again while video is starting or restarting', async () => {
    expect(await mediaAccessFor({ status: 'unavailable', reason: 'Video is restarting.', retrying: true }, who, noKey)).toEqual({
      status: 'unavailable',
      reason: 'Video is restarting.',
      retrying: true,
    });
  });

  it('gives only the reason when video will not come (switched off, not installed)', async () => {
    expect(await mediaAccessFor({ status: 'unavailable', reason: 'Video is switched off on this server.' }, who, noKey)).toEqual({
      status: 'unavailable',
      reason: 'Video is switched off on this server.',
    });
  });
});
