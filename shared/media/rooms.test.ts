import { describe, expect, it } from 'vitest';
import { meetingIdOfRoom, parseParticipantIdentity, participantIdentityOf, roomNameFor } from './rooms.ts';

const ID = 'A'.repeat(21) + '_';

describe('LiveKit names', () => {
  it('reads back the identity it formats, and nothing else', () => {
    for (const kind of ['user', 'member'] as const) expect(parseParticipantIdentity(participantIdentityOf({ kind, id: ID }))).toEqual({ kind, id: ID });
    for (const other of ['', 'admin-' + ID, 'user-short', `user-${ID}x`, `user-${ID}\n`, `member-${ID}#publish`]) expect(parseParticipantIdentity(other)).toBeUndefined();
  });

  it('finds the meeting of a meeting room only', () => {
    expect(meetingIdOfRoom(roomNameFor(ID))).toBe(ID);
    expect(meetingIdOfRoom(`network-${ID}`)).toBeUndefined();
    expect(meetingIdOfRoom(`meeting-${ID}-x`)).toBeUndefined();
  });
});
