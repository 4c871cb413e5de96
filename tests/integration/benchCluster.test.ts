import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_SYSTEMS, type ClusterDeps } from '../../bench/cluster/clusterServer.ts';
import { parseClusterArgs, type ClusterBenchOptions } from '../../bench/cluster/options.ts';
import { startBenchRedis } from '../../bench/cluster/redisServer.ts';
import { clusterFigures } from '../../bench/cluster/report.ts';
import { runClusterBench, type ClusterResults } from '../../bench/cluster/run.ts';
import { createBenchSigner } from '../../bench/sync/benchServer.ts';
import { createCleanup, type Cleanup } from '../../bench/sync/cleanup.ts';
import { startPostgresCluster } from '../../bench/sync/postgresCluster.ts';

// `npm run bench:cluster`'s own building blocks, for real but tiny: PostgreSQL, Redis, HAProxy and the
// instances of both systems, bench:sync's fan-out and capacity scenarios, 2 rooms with 1 and 2 instances.
// No timing is asserted (the machine is shared): that every update reached every reader, that every client
// connected, and that the CPU of each process was read.
const tiny = (): ClusterBenchOptions => {
  const options = parseClusterArgs(['--quick']);
  const { fanout, capacity } = options.scenarios;
  return {
    ...options,
    fanoutInstances: 2,
    instanceCounts: [1, 2],
    scenarios: {
      ...options.scenarios,
      fanout: { ...fanout, inserts: 10, warmupInserts: 2, drainMs: 5_000 },
      capacity: { ...capacity, roomSteps: [2], referenceRooms: 2, warmupMs: 500, measureMs: 1_500, drainMs: 5_000 },
    },
  };
};

let cleanup: Cleanup;
let deps: ClusterDeps;
let results: ClusterResults;

beforeAll(async () => {
  process.setMaxListeners(100); // each real client's provider adds an 'exit' listener, as in the bench
  cleanup = createCleanup();
  deps = { cleanup, signer: createBenchSigner(), postgres: await startPostgresCluster(cleanup), redis: await startBenchRedis(cleanup) };
  results = await runClusterBench(tiny(), deps, () => {});
}, 120_000);

afterAll(async () => {
  await cleanup.runAll();
}, 60_000);

describe('bench:cluster on a tiny configuration', () => {
  it.each(CLUSTER_SYSTEMS)('%s: every update of the cross-instance fan-out reached every reader', (system) => {
    const fanout = results[system]?.fanout;
    expect(fanout?.roomSize).toBe(10);
    expect(fanout?.latency.expected).toBe(10 * 9);
    expect(fanout?.latency.missing).toBe(0);
  });

  // Hocuspocus with the Redis extension stores at most about once a second per document (the extension holds
  // each store's end for its disconnectDelay), so its store may trail the readers: reported, not asserted.
  it('polyphony: what the readers received through HAProxy was stored first', () => {
    expect(results.polyphony?.fanout?.storedAll).toBe(true);
  });

  it.each(CLUSTER_SYSTEMS)('%s: with 1 and with 2 instances every client connected, every insert arrived, and every process was sampled', (system) => {
    for (const count of [1, 2]) {
      const [step] = results[system]?.capacity[count]?.steps ?? [];
      expect(step?.rooms).toBe(2);
      expect(step?.failedClients).toBe(0);
      expect(step?.latency.missing).toBe(0);
      expect(step?.latency.received).toBeGreaterThan(0);
      const expectedParts = [...Array.from({ length: count }, (_, index) => `instance${index + 1}`), system === 'polyphony' ? 'haproxy' : 'redis', 'postgres'];
      expect(Object.keys(step?.partsCpuPercent ?? {}).sort()).toEqual(expectedParts.sort());
      for (const cpu of Object.values(step?.partsCpuPercent ?? {})) expect(cpu).toBeGreaterThanOrEqual(0);
    }
  });

  it("reports results.json's four figures for both systems", () => {
    const figures = clusterFigures(results);
    for (const system of CLUSTER_SYSTEMS) {
      expect(Object.keys(figures[system] ?? {}).sort()).toEqual(['cpu_pct_per_100_rooms', 'cross_instance_p99_ms_room10', 'rooms_at_p99_100ms_1', 'rooms_at_p99_100ms_3']);
      expect(figures[system]?.cross_instance_p99_ms_room10).toBeGreaterThan(0);
    }
  });
});
