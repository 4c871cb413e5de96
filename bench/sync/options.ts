import { SERVER_KINDS, type ServerKind } from '../servers/childProcess.ts';

/** What one run measures and how much; `--quick` is the smoke-sized variant (a few minutes). */
export interface BenchOptions {
  quick: boolean;
  servers: readonly ServerKind[];
  scenarios: readonly ScenarioName[];
  fanout: { roomSizes: readonly number[]; inserts: number; warmupInserts: number; intervalMs: number; drainMs: number; rounds: number };
  capacity: {
    /** Room counts tried in order; stepping stops at the first one past `referenceRooms` with p99 over the limit. */
    roomSteps: readonly number[];
    /** The step whose CPU, RSS and p99 the summary table shows (the 200 rooms in a full run). */
    referenceRooms: number;
    clientsPerRoom: number;
    typingEveryMs: { min: number; max: number };
    warmupMs: number;
    measureMs: number;
    drainMs: number;
    p99LimitMs: number;
    /** How many times to try the room count halfway between the last passing and the first failing step. */
    bisections: number;
    /** Run a failing step once more and keep the better attempt (off in quick runs, to stay short). */
    retryFailedSteps: boolean;
  };
  coldLoad: { updates: number; trials: number; warmupLoads: number };
  idle: { connections: number; perRoom: number; settleMs: number; trials: number };
}

export const SCENARIO_NAMES = ['fanout', 'capacity', 'coldLoad', 'idle'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const servers = listArg(argv, '--servers', SERVER_KINDS);
  const scenarios = listArg(argv, '--scenarios', SCENARIO_NAMES);
  const rooms = roomsArg(argv);
  const options: BenchOptions = {
    quick,
    servers,
    scenarios,
    fanout: quick
      ? { roomSizes: [2, 10, 50], inserts: 40, warmupInserts: 5, intervalMs: 50, drainMs: 3_000, rounds: 1 }
      : { roomSizes: [2, 10, 50], inserts: 300, warmupInserts: 20, intervalMs: 50, drainMs: 5_000, rounds: 3 },
    capacity: quick
      ? { roomSteps: [10, 25, 50], referenceRooms: 50, clientsPerRoom: 8, typingEveryMs: { min: 1_000, max: 2_000 }, warmupMs: 2_000, measureMs: 5_000, drainMs: 3_000, p99LimitMs: 100, bisections: 0, retryFailedSteps: false }
      : { roomSteps: [25, 50, 100, 200, 400, 800, 1600], referenceRooms: 200, clientsPerRoom: 8, typingEveryMs: { min: 1_000, max: 2_000 }, warmupMs: 2_000, measureMs: 10_000, drainMs: 5_000, p99LimitMs: 100, bisections: 2, retryFailedSteps: true },
    coldLoad: { updates: 20_000, trials: quick ? 3 : 7, warmupLoads: 3 },
    idle: quick ? { connections: 200, perRoom: 10, settleMs: 2_000, trials: 1 } : { connections: 1_000, perRoom: 10, settleMs: 3_000, trials: 3 },
  };
  if (!rooms) return options;
  // For exploring one region: exactly these steps, no bisection; the summary uses the largest.
  return { ...options, capacity: { ...options.capacity, roomSteps: rooms, referenceRooms: Math.max(...rooms), bisections: 0 } };
}

/** `--rooms=100,200`: capacity room counts to try instead of the defaults. */
function roomsArg(argv: readonly string[]): number[] | null {
  const raw = argv.find((arg) => arg.startsWith('--rooms='))?.slice('--rooms='.length);
  if (raw === undefined) return null;
  const rooms = raw.split(',').map(Number);
  if (rooms.some((count) => !Number.isInteger(count) || count < 1)) throw new Error(`--rooms: positive integers expected, got ${raw}`);
  return rooms;
}

/** `--name=a,b` restricted to `allowed`; all of them when absent. */
function listArg<T extends string>(argv: readonly string[], name: string, allowed: readonly T[]): readonly T[] {
  const raw = argv.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
  if (raw === undefined) return allowed;
  const picked = raw.split(',').map((part) => part.trim());
  const unknown = picked.filter((part) => !(allowed as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
  return allowed.filter((value) => picked.includes(value));
}
