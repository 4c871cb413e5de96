import { describe, expect, it } from 'vitest';
import { firstTogether, presenceOf, spanOf } from './attendanceIntervals.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 5, 10, minute)).toISOString();
const ms = (minute: number) => Date.parse(t(minute));

describe('presence in a meeting from joins and leaves', () => {
  it('keeps each stay, counts a rejoin as a second stay, and ends a stay still open at the given end', () => {
    const presence = presenceOf(
      [
        { identity: 'user-a', kind: 'joined', at: t(0) },
        { identity: 'user-a', kind: 'left', at: t(10) },
        { identity: 'user-a', kind: 'joined', at: t(20) },
        { identity: 'member-b', kind: 'joined', at: t(5) },
      ],
      t(30),
    );
    expect(presence.get('user-a')).toEqual([{ from: ms(0), to: ms(10) }, { from: ms(20), to: ms(30) }]);
    expect(presence.get('member-b')).toEqual([{ from: ms(5), to: ms(30) }]);
  });

  it('ignores a leave with no join before it and a second join while already in', () => {
    const presence = presenceOf(
      [
        { identity: 'user-a', kind: 'left', at: t(1) },
        { identity: 'user-a', kind: 'joined', at: t(2) },
        { identity: 'user-a', kind: 'joined', at: t(3) },
        { identity: 'user-a', kind: 'left', at: t(4) },
      ],
      t(30),
    );
    expect(presence.get('user-a')).toEqual([{ from: ms(2), to: ms(4) }]);
  });

  it('sums the minutes present and names no last leave while someone is still in', () => {
    const stays = [{ from: ms(0), to: ms(10) }, { from: ms(20), to: ms(35) }];
    expect(spanOf(stays, false)).toEqual({ firstJoinedAt: t(0), lastLeftAt: t(35), totalMinutes: 25 });
    expect(spanOf(stays, true)?.lastLeftAt).toBeUndefined();
  });
});

describe('the first moment two groups were in the room together', () => {
  it('is the later of two overlapping joins, and undefined when they only followed each other', () => {
    expect(firstTogether([{ from: ms(0), to: ms(10) }], [{ from: ms(5), to: ms(30) }])).toBe(ms(5));
    expect(firstTogether([{ from: ms(0), to: ms(10) }], [{ from: ms(10), to: ms(30) }])).toBeUndefined();
  });
});
