import { describe, expect, it } from 'vitest';
import { dailySeriesTimes } from './seriesTimes.ts';

describe('a daily series', () => {
  it('is 24 hours apart without a time zone', () => {
    const times = dailySeriesTimes(new Date('2026-10-23T07:00:00.000Z'), 3).map((d) => d.toISOString());
    expect(times).toEqual(['2026-10-23T07:00:00.000Z', '2026-10-24T07:00:00.000Z', '2026-10-25T07:00:00.000Z']);
  });

  it('keeps the wall-clock time across the end of summer time in Helsinki', () => {
    // 10:00 in Helsinki is 07:00Z in summer (UTC+3) and 08:00Z in winter (UTC+2); the clocks go back on 25 October 2026.
    const times = dailySeriesTimes(new Date('2026-10-24T07:00:00.000Z'), 3, 'Europe/Helsinki').map((d) => d.toISOString());
    expect(times).toEqual(['2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z']);
  });

  it('carries over the end of a month', () => {
    const times = dailySeriesTimes(new Date('2026-11-29T09:30:00.000Z'), 3, 'UTC').map((d) => d.toISOString());
    expect(times).toEqual(['2026-11-29T09:30:00.000Z', '2026-11-30T09:30:00.000Z', '2026-12-01T09:30:00.000Z']);
  });

  it('refuses an unknown time zone', () => {
    expect(() => dailySeriesTimes(new Date(), 2, 'Mars/Olympus')).toThrow();
  });
});
