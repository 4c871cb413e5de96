import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PRIVATE_FILE_MODE } from '../store/privateDataDir.ts';

/** Where the running LiveKit's process id is kept, inside its folder of DATA_DIR. */
const PID_FILE = 'livekit.pid';
const GONE_TIMEOUT_MS = 5_000;
const GONE_POLL_MS = 50;

/** Notes the LiveKit process just started, so that a server starting after a crash can find it. */
export function rememberLiveKitProcess(dir: string, pid: number): void {
  writeFileSync(join(dir, PID_FILE), `${pid}\n`, { mode: PRIVATE_FILE_MODE });
}

export function forgetLiveKitProcess(dir: string): void {
  rmSync(join(dir, PID_FILE), { force: true });
}

/**
 * A server ended by `kill -9` (or the OOM killer) cannot stop its LiveKit: that one keeps the ports, so the
 * next start could not run its own. It is ended here, but only if the process noted then is still a LiveKit
 * run with this very config file (a process id may have been reused since). Where /proc does not exist the
 * check cannot be made and nothing is ended. Resolves to whether one was ended.
 */
export async function endLeftoverLiveKit(dir: string, configFile: string): Promise<boolean> {
  const pid = notedPid(dir);
  if (pid === undefined || !runsConfig(pid, configFile)) return false;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return false;
  }
  const deadline = performance.now() + GONE_TIMEOUT_MS;
  while (runsConfig(pid, configFile) && performance.now() < deadline) await delay(GONE_POLL_MS);
  forgetLiveKitProcess(dir);
  return true;
}

function notedPid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, PID_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether process `pid` is alive (not a zombie) and was started with `--config <configFile>`. */
function runsConfig(pid: number, configFile: string): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name: Z is a zombie, X dead.
    const state = status.slice(status.lastIndexOf(')') + 2, status.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = args.indexOf('--config');
    return at >= 0 && args[at + 1] === configFile;
  } catch {
    return false;
  }
}
