import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';

/** A V8 CPU profile as `Profiler.stop` returns it (times in µs of the browser's monotonic clock). */
interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** What the page's main thread did in a window of time, in ms of (throttled) wall time. */
export interface CpuSummary {
  /** Where the profile was saved, to open in Chromium's DevTools (Performance panel). */
  file: string;
  /** When the window starts, in ms from the profile's start (where to look in DevTools). */
  fromProfileMs: number;
  /** Slices of `sliceMs` from the window's start: the busiest scripts or activities in each. */
  slices: { fromMs: number; busyMs: number; top: { what: string; ms: number }[] }[];
  /** The functions that took the most time themselves over the whole window. */
  topFunctions: { what: string; ms: number }[];
}

/** Starts sampling the page's JavaScript (every 1 ms); `stop` returns the profile. */
export async function startCpuProfile(cdp: CDPSession): Promise<{ stop: () => Promise<Profile> }> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  return { stop: async () => (await cdp.send('Profiler.stop')).profile };
}

/**
 * Sums the samples between `fromWallMs` and `toWallMs` (wall clock; `toWall` turns the profile's monotonic
 * µs into it) by script file, or by V8's own activities ("(program)" is the browser's own work: layout, style,
 * paint, parsing; "(idle)" is a thread with nothing to do), and saves the whole profile to a file.
 */
export function summariseCpu(profile: Profile, toWall: (monotonicUs: number) => number, fromWallMs: number, toWallMs: number, sliceMs = 250): CpuSummary {
  const file = join(tmpdir(), `polyphony-join-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const slices = new Map<number, Map<string, number>>();
  const functions = new Map<string, number>();
  let at = profile.startTime;
  const samples = profile.samples ?? [];
  samples.forEach((id, i) => {
    const delta = profile.timeDeltas?.[i] ?? 0;
    at += delta;
    const next = profile.timeDeltas?.[i + 1] ?? 0;
    const wall = toWall(at);
    if (wall < fromWallMs || wall > toWallMs) return;
    const frame = byId.get(id);
    const script = scriptOf(frame);
    const ms = next / 1000;
    const slice = Math.floor((wall - fromWallMs) / sliceMs) * sliceMs;
    const bucket = slices.get(slice) ?? new Map<string, number>();
    bucket.set(script, (bucket.get(script) ?? 0) + ms);
    slices.set(slice, bucket);
    if (script !== '(idle)') {
      const fn = `${frame?.functionName || '(anonymous)'} ${script}:${(frame?.lineNumber ?? 0) + 1}`;
      functions.set(fn, (functions.get(fn) ?? 0) + ms);
    }
  });
  return {
    file,
    fromProfileMs: round(fromWallMs - toWall(profile.startTime)),
    slices: [...slices.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([fromMs, bucket]) => ({
        fromMs,
        busyMs: round([...bucket].reduce((sum, [what, ms]) => (what === '(idle)' ? sum : sum + ms), 0)),
        top: top(bucket, 3, (what) => what !== '(idle)'),
      })),
    topFunctions: top(functions, 12),
  };
}

function scriptOf(frame: { functionName: string; url: string } | undefined): string {
  if (!frame) return '?';
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const name = frame.url.split('/').pop() ?? frame.url;
  // Built chunks carry a content hash: the chunk's name is what one recognises.
  return name.replace(/-[\w-]{8}\.js$/, '.js');
}

function top(counts: Map<string, number>, n: number, keep: (what: string) => boolean = () => true): { what: string; ms: number }[] {
  return [...counts]
    .filter(([what]) => keep(what))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([what, ms]) => ({ what, ms: round(ms) }));
}

function round(ms: number): number {
  return Math.round(ms);
}
