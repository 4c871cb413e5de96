import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time and resident memory of one process, read from /proc (Linux only). */
export interface ProcSample {
  /** performance.now() when read. */
  at: number;
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssBytes: number;
}

const CLOCK_TICKS = readClockTicks();

export function sampleProc(pid: number): ProcSample {
  const at = performance.now();
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after it are fixed. utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return { at, cpuSeconds: ticks / CLOCK_TICKS, rssBytes: rssKb * 1024 };
}

/**
 * CPU seconds of the children `pid` has already waited for (cutime + cstime): a process tree's CPU summed
 * over its live processes drops when a child ends (a PostgreSQL backend whose connection closed) unless its
 * parent's reaped share is added.
 */
export function reapedChildrenCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** Average CPU use between two samples, in percent of one core (200 % is both cores of this machine). */
export function cpuPercent(from: ProcSample, to: ProcSample): number {
  const wallSeconds = (to.at - from.at) / 1000;
  return wallSeconds > 0 ? ((to.cpuSeconds - from.cpuSeconds) / wallSeconds) * 100 : 0;
}

function readClockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/**
 * Share of recent time in which some runnable task waited for a CPU (Linux PSI "some", averaged over the
 * last 10 or 60 s), in percent; null where PSI is not available. High values mean work competed for the
 * cores: other work on the machine, or the bench's own processes.
 */
export function cpuPressurePercent(window: 'avg10' | 'avg60' = 'avg60'): number | null {
  try {
    const line = /^some (.*)$/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1] ?? '';
    const value = new RegExp(`${window}=([\\d.]+)`).exec(line)?.[1];
    return value === undefined ? null : Number(value);
  } catch {
    return null;
  }
}
