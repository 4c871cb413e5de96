import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnnouncementQueue } from './announcementQueue.ts';

describe('createAnnouncementQueue', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const sam = { kind: 'joined' as const, id: 'p-sam', name: 'Sam' };
  const ivy = { kind: 'joined' as const, id: 'p-ivy', name: 'Ivy' };

  it('gathers a burst into one announcement', () => {
    const said: string[] = [];
    const queue = createAnnouncementQueue({ gatherMs: 500, gapMs: 2000, say: (text) => said.push(text) });
    queue.tell(sam);
    vi.advanceTimersByTime(200);
    queue.tell(ivy);
    expect(said).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(said).toEqual(['Sam and Ivy joined.']);
  });

  it('leaves a gap between announcements, merging what came in the meantime', () => {
    const said: string[] = [];
    const queue = createAnnouncementQueue({ gatherMs: 500, gapMs: 2000, say: (text) => said.push(text) });
    queue.tell(sam);
    vi.advanceTimersByTime(500);
    queue.tell({ kind: 'chat', id: 'p-sam', name: 'Sam', text: 'hello' });
    queue.tell({ kind: 'chat', id: 'p-ivy', name: 'Ivy', text: 'hi' });
    vi.advanceTimersByTime(1900);
    expect(said).toEqual(['Sam joined.']);
    vi.advanceTimersByTime(100);
    expect(said).toEqual(['Sam joined.', '2 new chat messages, from Sam and Ivy.']);
  });

  it('says nothing for a burst that cancels out, and nothing after it is stopped', () => {
    const said: string[] = [];
    const queue = createAnnouncementQueue({ gatherMs: 500, gapMs: 2000, say: (text) => said.push(text) });
    queue.tell({ kind: 'left', id: 'p-sam', name: 'Sam' });
    queue.tell(sam);
    vi.advanceTimersByTime(600);
    queue.tell(ivy);
    queue.stop();
    queue.tell(sam);
    vi.advanceTimersByTime(5000);
    expect(said).toEqual([]);
  });
});
