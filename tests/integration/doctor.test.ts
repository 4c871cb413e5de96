import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useCleanups } from '../helpers/cleanups.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** `polyphony doctor --json` as an operator runs it: its one JSON answer and its exit status. */
async function doctor(env: Record<string, string>): Promise<{ code: number; answer: { checks: { name: string; ok: boolean; detail: string; fix: string | null }[] } }> {
  try {
    const { stdout } = await run(process.execPath, ['server/cli/main.ts', 'doctor', '--json'], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, answer: JSON.parse(stdout) as never };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string };
    return { code: failure.code ?? -1, answer: JSON.parse(failure.stdout ?? '') as never };
  }
}

describe('polyphony doctor beside a running server', () => {
  it('passes with the server answering on its port, and exits 1 naming the fix once the data directory is opened to others', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'polyphony-doctor-'));
    cleanup(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServerProcess({ dataDir, env: { LIVEKIT: 'off' } });
    cleanup(() => server.stop());
    const env = { DATA_DIR: dataDir, PORT: String(server.port), HOST: '127.0.0.1', LIVEKIT: 'off' };

    const healthy = await doctor(env);
    expect(healthy.code).toBe(0);
    expect(healthy.answer.checks.find((c) => c.name === 'port')).toMatchObject({ ok: true, detail: expect.stringContaining('answers /healthz') as unknown });
    expect(healthy.answer.checks.every((c) => c.ok && c.fix === null)).toBe(true);

    chmodSync(dataDir, 0o755);
    const shared = await doctor(env);
    expect(shared.code).toBe(1);
    expect(shared.answer.checks.filter((c) => !c.ok)).toEqual([{ name: 'data_dir_modes', ok: false, detail: expect.stringContaining('0755') as unknown, fix: expect.stringContaining('chmod') as unknown }]);
  });
});
