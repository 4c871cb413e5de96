import { describe, expect, it } from 'vitest';
import { DATABASE_SKEW_LIMIT_MS, judgeClock } from './doctorClock.ts';

const NOW = new Date('2026-12-04T12:00:00.000Z');

describe('judgeClock', () => {
  it('fails a clock before this release, and one behind the newest stamp by more than five minutes', () => {
    expect(judgeClock(new Date('2001-01-01T00:00:00Z'), { newest: undefined })).toMatchObject({ ok: false, detail: expect.stringContaining('before this release existed') as unknown });
    expect(judgeClock(NOW, { newest: '2026-12-04T12:04:59.000Z' })).toMatchObject({ ok: true });
    expect(judgeClock(NOW, { newest: '2026-12-04T12:05:01.000Z' })).toMatchObject({ ok: false, detail: expect.stringContaining('the clock is behind') as unknown });
  });

  it("fails a skew from PostgreSQL's clock past the limit, giving the reading's own uncertainty the benefit of the doubt", () => {
    const past = DATABASE_SKEW_LIMIT_MS + 1_000;
    expect(judgeClock(NOW, { newest: undefined, skew: { ms: past, uncertaintyMs: 10 } })).toMatchObject({ ok: false, detail: expect.stringContaining('31.0 s behind') as unknown });
    expect(judgeClock(NOW, { newest: undefined, skew: { ms: -past, uncertaintyMs: 10 } })).toMatchObject({ ok: false, detail: expect.stringContaining('31.0 s ahead of') as unknown });
    // A slow round trip: the clocks may be closer than the reading says.
    expect(judgeClock(NOW, { newest: undefined, skew: { ms: past, uncertaintyMs: 2_000 } })).toMatchObject({ ok: true });
    expect(judgeClock(NOW, { newest: undefined, skew: { ms: 3, uncertaintyMs: 1 } })).toMatchObject({ ok: true, detail: expect.stringContaining('within 4 ms') as unknown });
  });

  it('passes when the database cannot be read, saying so', () => {
    expect(judgeClock(NOW, undefined)).toMatchObject({ ok: true, detail: expect.stringContaining('could not be read') as unknown });
  });
});
