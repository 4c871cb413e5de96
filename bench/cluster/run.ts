import type { ServerKind } from '../servers/childProcess.ts';
import { createDataDir } from '../sync/benchServer.ts';
import { runCapacity, type CapacityResult } from '../sync/scenarios/capacity.ts';
import type { ScenarioContext } from '../sync/scenarios/context.ts';
import { runFanout, type FanoutResult } from '../sync/scenarios/fanout.ts';
import { settleDisk } from '../sync/settle.ts';
import { KIND_OF, startCluster, type ClusterDeps, type ClusterSystem, type Spread } from './clusterServer.ts';
import type { ClusterBenchOptions } from './options.ts';

export interface ClusterSystemResult {
  /** Fan-out in a room of 10 with the writer's and the readers' sockets on different instances (see clusterServer.ts). */
  fanout: FanoutResult | undefined;
  /** The capacity search, by number of instances. */
  capacity: Record<number, CapacityResult>;
}

export type ClusterResults = Partial<Record<ClusterSystem, ClusterSystemResult>>;

/**
 * bench:cluster's measurements, with bench:sync's own scenarios: the fan-out with `fanoutInstances`
 * instances per system, then the capacity search with each of `instanceCounts`. Each scenario starts its
 * clusters afresh (a new database each) and stops them; the systems take turns step by step as in bench:sync.
 */
export async function runClusterBench(options: ClusterBenchOptions, deps: ClusterDeps, log: (message: string) => void): Promise<ClusterResults> {
  const kinds = options.systems.map((system) => KIND_OF[system]);
  const results: ClusterResults = Object.fromEntries(options.systems.map((system) => [system, { fanout: undefined, capacity: {} }]));
  const resultOf = (kind: ServerKind): ClusterSystemResult => {
    const entry = results[systemOf(kind)];
    if (!entry) throw new Error(`no results slot for ${kind}`);
    return entry;
  };

  log(`fan-out, room of 10, ${options.fanoutInstances} instances`);
  for (const [kind, rooms] of await runFanout(contextFor(options, deps, log, options.fanoutInstances, 'writerApart'), kinds)) {
    resultOf(kind).fanout = rooms.find((room) => room.roomSize === 10) ?? rooms[0];
  }
  for (const count of options.instanceCounts) {
    log(`capacity, ${count} instance${count === 1 ? '' : 's'}`);
    for (const [kind, capacity] of await runCapacity(contextFor(options, deps, log, count, 'even'), kinds)) resultOf(kind).capacity[count] = capacity;
  }
  return results;
}

function contextFor(options: ClusterBenchOptions, deps: ClusterDeps, log: (message: string) => void, instances: number, spread: Spread): ScenarioContext {
  return {
    options: options.scenarios,
    cleanup: deps.cleanup,
    // The scenarios log the bench:sync kind; say which system it is, and how many instances.
    log: (message) => log(message.replace(/\b(polyphony-postgres|hocuspocus-postgres)\b/, (kind) => `${systemOf(kind as ServerKind)} ×${instances}`)),
    // Only the cold-load scenario asks for storage of its own, and bench:cluster does not run it.
    storage: async (kind) => ({ dataDir: createDataDir(deps.cleanup, kind), databaseUrl: await deps.postgres.createDatabase(kind) }),
    startServer: (kind) => startCluster(systemOf(kind), instances, spread, deps),
    settle: () => settleDisk(deps.postgres),
  };
}

function systemOf(kind: ServerKind): ClusterSystem {
  const system = (Object.keys(KIND_OF) as ClusterSystem[]).find((each) => KIND_OF[each] === kind);
  if (!system) throw new Error(`${kind} is not a cluster system's kind`);
  return system;
}
