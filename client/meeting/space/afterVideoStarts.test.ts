import { afterEach, describe, expect, it, vi } from 'vitest';

// The wait is one per page (module state): each test takes a fresh copy of the module.
async function freshModule() {
  vi.resetModules();
  return import('./afterVideoStarts.ts');
}

describe('afterVideoStarts', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fetches a panel only once the video has started, and at once from then on', async () => {
    const { afterVideoStarts, panelsMayLoad } = await freshModule();
    const load = vi.fn(() => Promise.resolve('notes'));
    const loading = afterVideoStarts(load)();
    await Promise.resolve();
    expect(load).not.toHaveBeenCalled();

    panelsMayLoad();
    expect(await loading).toBe('notes');
    expect(load).toHaveBeenCalledTimes(1);

    const later = vi.fn(() => Promise.resolve('map'));
    expect(await afterVideoStarts(later)()).toBe('map');
  });

  it('fetches the panels after five seconds even if the video never says it started', async () => {
    vi.useFakeTimers();
    const { afterVideoStarts } = await freshModule();
    const load = vi.fn(() => Promise.resolve('notes'));
    const loading = afterVideoStarts(load)();
    await vi.advanceTimersByTimeAsync(4_900);
    expect(load).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(await loading).toBe('notes');
  });
});
