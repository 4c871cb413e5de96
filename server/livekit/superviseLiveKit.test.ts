import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.ts';
import type { EmbeddedLiveKit, ExitStatus } from './embeddedServer.ts';
import { createMediaStateHolder, type MediaState } from './mediaState.ts';
import { superviseEmbedded } from './superviseLiveKit.ts';

/** A stand-in for one run of LiveKit whose crash the test decides. */
function fakeRun(n: number) {
  let exit: (status: ExitStatus) => void = () => {};
  const exited = new Promise<ExitStatus>((done) => (exit = done));
  const stop = vi.fn(async () => exit({ code: 0, signal: null }));
  const run: EmbeddedLiveKit = { url: `ws://127.0.0.1:${7000 + n}`, apiKey: 'APIkey', apiSecret: 'secret', stop, exited };
  return { run, crash: () => exit({ code: null, signal: 'SIGKILL' }), stop };
}

describe('the embedded LiveKit supervisor', () => {
  it('starts LiveKit again after it stops by itself, telling joins meanwhile that video is restarting', async () => {
    const runs = [fakeRun(1), fakeRun(2)];
    let started = 0;
    const holder = createMediaStateHolder({ status: 'unavailable', reason: 'starting' });
    const seen: string[] = [];
    const states: MediaState[] = [];
    const record = holder.set.bind(holder);
    holder.set = (state) => {
      states.push(state);
      seen.push(state.status === 'available' ? state.url : state.reason);
      record(state);
    };
    const stop = await superviseEmbedded({
      start: async () => runs[started++]?.run ?? Promise.reject(new Error('no more runs')),
      holder,
      logger: createLogger({}, () => {}),
      tokenTtlSeconds: 30,
      restartDelay: () => 10,
    });
    expect(holder.get()).toMatchObject({ status: 'available', url: 'ws://127.0.0.1:7001', tokenTtlSeconds: 30 });
    runs[0]?.crash();
    await vi.waitFor(() => expect(holder.get()).toMatchObject({ status: 'available', url: 'ws://127.0.0.1:7002' }));
    expect(states.some((s) => s.status === 'unavailable' && s.retrying)).toBe(true);
    expect(seen).toEqual(['ws://127.0.0.1:7001', 'Video is restarting. It comes back by itself in a moment; the shared notes still work.', 'ws://127.0.0.1:7002']);
    await stop();
    expect(runs[1]?.stop).toHaveBeenCalledOnce();
    expect(started).toBe(2);
  });

  it('keeps trying a start that fails, with a growing wait, and stops trying once stopped', async () => {
    const waits: number[] = [];
    let attempts = 0;
    const holder = createMediaStateHolder({ status: 'unavailable', reason: 'starting' });
    const stop = await superviseEmbedded({
      start: async () => {
        attempts += 1;
        throw new Error('port in use');
      },
      holder,
      logger: createLogger({}, () => {}),
      restartDelay: (failures) => {
        waits.push(failures);
        return 5;
      },
    });
    const state = holder.get();
    expect(state.status === 'unavailable' && state.reason).toMatch(/did not start/);
    // Nobody is kept waiting for a start that failed: joins say plainly there is no video.
    expect(state.status === 'unavailable' && state.retrying).toBe(false);
    await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(3));
    await stop();
    const after = attempts;
    await new Promise((done) => setTimeout(done, 30));
    expect(attempts).toBe(after);
    expect(waits.slice(0, 3)).toEqual([0, 1, 2]);
  });
});
