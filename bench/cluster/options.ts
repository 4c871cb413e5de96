import { parseBenchArgs, type BenchOptions } from '../sync/options.ts';
import { CLUSTER_SYSTEMS, type ClusterSystem } from './clusterServer.ts';

/** What one `npm run bench:cluster` measures; `--quick` is the smoke-sized variant (about two minutes). */
export interface ClusterBenchOptions {
  quick: boolean;
  systems: readonly ClusterSystem[];
  /** Instances for the cross-instance fan-out (writer on one, readers on the others). */
  fanoutInstances: number;
  /** The capacity search runs once per count here. */
  instanceCounts: readonly number[];
  /** bench:sync's options with the cluster's fan-out (rooms of 10) and capacity (bounded room steps). */
  scenarios: BenchOptions;
}

export function parseClusterArgs(argv: readonly string[]): ClusterBenchOptions {
  const quick = argv.includes('--quick');
  const systems = systemsArg(argv);
  const base = parseBenchArgs(quick ? ['--quick'] : []);
  const scenarios: BenchOptions = {
    ...base,
    fanout: quick
      ? { roomSizes: [10], inserts: 40, warmupInserts: 5, intervalMs: 50, drainMs: 3_000, rounds: 1 }
      : { roomSizes: [10], inserts: 200, warmupInserts: 20, intervalMs: 50, drainMs: 5_000, rounds: 3 },
    // Rooms of 8 as in bench:sync, stepped up until p99 reaches 100 ms, at most 400 rooms (3200 sockets). The CPU
    // per 100 rooms is read at `referenceRooms`. No second attempts: the whole run stays under ten minutes.
    capacity: quick
      ? { ...base.capacity, roomSteps: [5, 10, 20], referenceRooms: 10, warmupMs: 1_000, measureMs: 4_000, drainMs: 2_000, bisections: 0, retryFailedSteps: false }
      : { ...base.capacity, roomSteps: [25, 50, 100, 200, 300, 400], referenceRooms: 100, warmupMs: 2_000, measureMs: 8_000, drainMs: 4_000, bisections: 1, retryFailedSteps: false },
  };
  return { quick, systems, fanoutInstances: 3, instanceCounts: [1, 3], scenarios };
}

/** `--systems=polyphony,hocuspocus-redis`: both unless given. */
function systemsArg(argv: readonly string[]): readonly ClusterSystem[] {
  const raw = argv.find((arg) => arg.startsWith('--systems='))?.slice('--systems='.length);
  if (raw === undefined) return CLUSTER_SYSTEMS;
  const picked = raw.split(',').map((part) => part.trim());
  const unknown = picked.filter((part) => !(CLUSTER_SYSTEMS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`--systems: unknown ${unknown.join(', ')} (allowed: ${CLUSTER_SYSTEMS.join(', ')})`);
  return CLUSTER_SYSTEMS.filter((system) => picked.includes(system));
}
