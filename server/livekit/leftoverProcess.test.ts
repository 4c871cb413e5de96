import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { endLeftoverLiveKit, rememberLiveKitProcess } from './leftoverProcess.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-lk-leftover-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A stand-in for a LiveKit left running: a process whose command line carries `--config <file>`. */
function runningWith(configFile: string): ChildProcess {
  // Two commands, so that the shell stays (rather than exec-ing sleep) and keeps its arguments.
  const child = spawn('sh', ['-c', 'sleep 30; :', '--config', configFile], { stdio: 'ignore' });
  cleanups.push(() => void child.kill('SIGKILL'));
  return child;
}

const exitOf = (child: ChildProcess) => new Promise<string | null>((done) => child.once('exit', (_code, signal) => done(signal)));

describe.skipIf(!existsSync('/proc/self/cmdline'))('a LiveKit left running by a server that was killed', () => {
  it('is ended at the next start when it runs our config file', async () => {
    const dir = tempDir();
    const configFile = join(dir, 'livekit.yaml');
    const leftover = runningWith(configFile);
    const exited = exitOf(leftover);
    rememberLiveKitProcess(dir, leftover.pid ?? 0);
    expect(await endLeftoverLiveKit(dir, configFile)).toBe(true);
    expect(await exited).toBe('SIGKILL');
  });

  it('is left alone when the noted process runs something else (its id was reused)', async () => {
    const dir = tempDir();
    const other = runningWith(join(tempDir(), 'livekit.yaml'));
    rememberLiveKitProcess(dir, other.pid ?? 0);
    expect(await endLeftoverLiveKit(dir, join(dir, 'livekit.yaml'))).toBe(false);
    expect(other.exitCode).toBeNull();
    expect(other.signalCode).toBeNull();
  });

  it('changes nothing when no process was noted', async () => {
    const dir = tempDir();
    expect(await endLeftoverLiveKit(dir, join(dir, 'livekit.yaml'))).toBe(false);
  });
});
