import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { counter, gauge, type MetricFamily } from './prometheusText.ts';

/** The usual process_* and nodejs_* metrics (names as prom-client uses them), from Node's own counters. */
export interface ProcessMetrics {
  families(): MetricFamily[];
  stop(): void;
}

export function createProcessMetrics(): ProcessMetrics {
  const startSeconds = Date.now() / 1000 - process.uptime();
  // Event-loop delay since the previous scrape: the number that says whether the sync server keeps up.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  return {
    families() {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      const delay = {
        p50: loopDelay.percentile(50) / 1e9,
        p99: loopDelay.percentile(99) / 1e9,
        max: loopDelay.max / 1e9,
      };
      loopDelay.reset();
      const families: MetricFamily[] = [
        counter('process_cpu_user_seconds_total', 'User CPU time spent, in seconds.', cpu.user / 1e6),
        counter('process_cpu_system_seconds_total', 'System CPU time spent, in seconds.', cpu.system / 1e6),
        counter('process_cpu_seconds_total', 'Total user and system CPU time spent, in seconds.', (cpu.user + cpu.system) / 1e6),
        gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.', Math.round(startSeconds)),
        gauge('process_resident_memory_bytes', 'Resident memory size, in bytes.', memory.rss),
        gauge('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes.', memory.heapTotal),
        gauge('nodejs_heap_size_used_bytes', 'V8 heap used, in bytes.', memory.heapUsed),
        gauge('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript (e.g. buffers), in bytes.', memory.external),
        gauge('nodejs_eventloop_lag_p50_seconds', 'Median event-loop delay since the previous scrape, in seconds.', finiteOrZero(delay.p50)),
        gauge('nodejs_eventloop_lag_p99_seconds', '99th percentile event-loop delay since the previous scrape, in seconds.', finiteOrZero(delay.p99)),
        gauge('nodejs_eventloop_lag_max_seconds', 'Largest event-loop delay since the previous scrape, in seconds.', finiteOrZero(delay.max)),
      ];
      const openFds = countOpenFds();
      if (openFds !== null) families.push(gauge('process_open_fds', 'Number of open file descriptors.', openFds));
      return families;
    },
    stop: () => loopDelay.disable(),
  };
}

function countOpenFds(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null; // Not Linux.
  }
}

function finiteOrZero(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
