import type { ChunkSize } from './chunkSizes.ts';
import type { BareRun } from './e2eeCompare.ts';
import type { JoinRun } from './measureJoin.ts';
import type { JoinProfile } from './profiles.ts';

/** Issue 13: under 350 KB received from opening the invite link to the first remote frame. */
export const BYTES_TARGET = 350 * 1024;

/** Issue 17: end-to-end encryption adds no more than this to Join → first remote frame. */
export const E2EE_ADDED_TARGET_MS = 200;

export interface ProfileRuns {
  profile: JoinProfile;
  runs: JoinRun[];
}

/** One figure over the runs: its median and every run's value, rounded. */
export interface Series {
  median: number;
  runs: number[];
}

export interface ProfileSummary {
  profile: JoinProfile;
  ownTile: Series;
  remoteFrame: Series;
  bytes: Series;
  bytesAfterJoin: Series;
  webSocketBytes: Series;
  openToRemoteFrame: Series;
  /** Each step the app marks (client/lib/joinMarks.ts), in ms after Join: those every run reached. */
  phases: Record<string, Series>;
}

/** The bare LiveKit page's join on one profile, plain and end-to-end encrypted, from the same rounds (e2eeCompare.ts). */
export interface E2eeComparison {
  profile: JoinProfile;
  plain: Series;
  e2ee: Series;
  /** The encrypted median less the plain one. */
  addedMs: number;
  /** Each round's encrypted run less its plain run (they ran one after the other). */
  addedByRound: number[];
  /** Each step's median (key in use, connected, remote video subscribed…), in ms from the start of the join. */
  plainSteps: Record<string, number>;
  e2eeSteps: Record<string, number>;
}

export interface ClientResults {
  profiles: ProfileSummary[];
  e2ee: E2eeComparison[];
  chunks: ChunkSize[];
  initialJsGzipBytes: number;
  initialJsBudgetBytes: number;
  measuredAt: string;
  chromium: string;
  loadAverage: { start: number; end: number };
  quick: boolean;
  targetsMet: boolean;
  /** The "client" key of bench/results.json. */
  json: Record<string, unknown>;
}

export function clientResults(input: {
  byProfile: ProfileRuns[];
  bareRuns: BareRun[];
  chunks: ChunkSize[];
  initialJsGzipBytes: number;
  initialJsBudgetBytes: number;
  measuredAt: string;
  chromium: string;
  loadAverage: { start: number; end: number };
  quick: boolean;
}): ClientResults {
  const profiles = input.byProfile.map(summarise);
  const desktop = profiles.find((p) => p.profile.id === 'desktop');
  const phone = profiles.find((p) => p.profile.id === 'phone');
  const e2ee = input.byProfile.map(({ profile }) => compareE2ee(profile, input.bareRuns)).filter((c) => c !== undefined);
  const desktopE2ee = e2ee.find((c) => c.profile.id === 'desktop');
  const phoneE2ee = e2ee.find((c) => c.profile.id === 'phone');
  const e2eeTargetMet = desktopE2ee === undefined || desktopE2ee.addedMs <= E2EE_ADDED_TARGET_MS;
  const targetsMet = e2eeTargetMet && profiles.every((p) => p.remoteFrame.median < p.profile.targetMs && p.bytes.median < BYTES_TARGET);
  const json: Record<string, unknown> = {
    // Kept from the first version of this bench: opening the invite link to the first frame, loopback desktop.
    ...(desktop && { invite_to_first_remote_frame_ms: desktop.openToRemoteFrame }),
    ...(desktop && { desktop_join_to_own_tile_ms: desktop.ownTile, desktop_join_to_remote_frame_ms: desktop.remoteFrame }),
    ...(phone && { phone_join_to_own_tile_ms: phone.ownTile, phone_join_to_remote_frame_ms: phone.remoteFrame }),
    // Issue 17: the app always encrypts, so its own figure (the desktop's above) is the E2EE one. What encryption
    // adds comes from the bare LiveKit page of the same rounds (e2eeCompare.ts): plain and encrypted joins,
    // start of the join to the first remote frame, and the difference of their medians.
    ...(desktop && { e2ee_join_to_remote_frame_ms: desktop.remoteFrame }),
    ...(desktopE2ee && {
      plain_join_to_remote_frame_ms: desktopE2ee.plain,
      bare_e2ee_join_to_remote_frame_ms: desktopE2ee.e2ee,
      e2ee_added_ms: { median: desktopE2ee.addedMs, by_round: desktopE2ee.addedByRound },
    }),
    ...(phoneE2ee && {
      phone_plain_join_to_remote_frame_ms: phoneE2ee.plain,
      phone_bare_e2ee_join_to_remote_frame_ms: phoneE2ee.e2ee,
      phone_e2ee_added_ms: { median: phoneE2ee.addedMs, by_round: phoneE2ee.addedByRound },
    }),
    ...(e2ee.length > 0 && { e2ee_bare_steps_ms: Object.fromEntries(e2ee.map((c) => [c.profile.id, { plain: c.plainSteps, e2ee: c.e2eeSteps }])) }),
    // Where the time goes: the app's own steps after Join, in ms after the click (see client/lib/joinMarks.ts).
    ...(desktop && { desktop_join_phases_ms: desktop.phases }),
    ...(phone && { phone_join_phases_ms: phone.phases }),
    // The phone's (the figure issue 13 sets a target for); the desktop's differs only by its viewport.
    ...(phone && { bytes_before_first_frame: phone.bytes, bytes_after_join_before_first_frame: phone.bytesAfterJoin }),
    ...(desktop && { desktop_bytes_before_first_frame: desktop.bytes }),
    targets: { desktop_join_to_remote_frame_ms: 1_000, phone_join_to_remote_frame_ms: 3_000, bytes_before_first_frame: BYTES_TARGET, e2ee_added_ms: E2EE_ADDED_TARGET_MS },
    e2ee_added_target_met: e2eeTargetMet,
    targets_met: targetsMet,
    initial_js_gzip_bytes: input.initialJsGzipBytes,
    initial_js_budget_bytes: input.initialJsBudgetBytes,
    chunks: input.chunks.map((c) => ({ file: c.file, bytes: c.bytes, gzip_bytes: c.gzipBytes, initial: c.initial })),
    measured_at: input.measuredAt,
    chromium: input.chromium,
    load_average: { start: round1(input.loadAverage.start), end: round1(input.loadAverage.end) },
  };
  return { ...input, profiles, e2ee, targetsMet, json };
}

function compareE2ee(profile: JoinProfile, bareRuns: readonly BareRun[]): E2eeComparison | undefined {
  const runs = (mode: BareRun['mode']) => bareRuns.filter((r) => r.profile === profile.id && r.mode === mode);
  const [plain, e2ee] = [runs('plain'), runs('e2ee')];
  if (plain.length === 0 || e2ee.length === 0) return undefined;
  const plainSeries = series(plain.map((r) => r.times.remoteFrameMs));
  const e2eeSeries = series(e2ee.map((r) => r.times.remoteFrameMs));
  return {
    profile,
    plain: plainSeries,
    e2ee: e2eeSeries,
    addedMs: e2eeSeries.median - plainSeries.median,
    addedByRound: e2ee.map((r, i) => r.times.remoteFrameMs - (plain[i]?.times.remoteFrameMs ?? NaN)),
    plainSteps: stepMedians(plain),
    e2eeSteps: stepMedians(e2ee),
  };
}

function stepMedians(runs: readonly BareRun[]): Record<string, number> {
  const steps = Object.keys(runs[0]?.times.steps ?? {}).filter((step) => runs.every((r) => r.times.steps[step] !== undefined));
  return Object.fromEntries(steps.map((step) => [step, Math.round(median(runs.map((r) => r.times.steps[step] ?? NaN)))]));
}

function summarise({ profile, runs }: ProfileRuns): ProfileSummary {
  return {
    profile,
    ownTile: series(runs.map((r) => r.joinToOwnTileMs)),
    remoteFrame: series(runs.map((r) => r.joinToRemoteFrameMs)),
    bytes: series(runs.map((r) => r.bytesBeforeFirstFrame.total)),
    bytesAfterJoin: series(runs.map((r) => r.bytesAfterJoin)),
    webSocketBytes: series(runs.map((r) => r.bytesBeforeFirstFrame.webSocket)),
    openToRemoteFrame: series(runs.map((r) => r.openToRemoteFrameMs)),
    phases: phasesOf(runs),
  };
}

/** The steps every run marked, earliest (by median) first. */
function phasesOf(runs: readonly JoinRun[]): Record<string, Series> {
  const steps = Object.keys(runs[0]?.phases ?? {}).filter((step) => runs.every((r) => r.phases[step] !== undefined));
  const bySeries = steps.map((step) => [step, series(runs.map((r) => r.phases[step] ?? NaN))] as const);
  return Object.fromEntries(bySeries.sort((a, b) => a[1].median - b[1].median));
}

function series(values: readonly number[]): Series {
  return { median: Math.round(median(values)), runs: values.map(Math.round) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
