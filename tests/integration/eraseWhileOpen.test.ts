import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SYNC_CLOSE } from '../../shared/protocol/sync.ts';
import { useCleanups } from '../helpers/cleanups.ts';
import { cli } from '../helpers/cli.ts';
import { joinAndConnect } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { parsePrometheusText } from '../helpers/prometheusText.ts';
import { seedNetwork } from '../helpers/seed.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';

const cleanup = useCleanups();
const METRICS_TOKEN = 'metrics-token-of-at-least-thirty-two-chars';

async function loadedDocuments(baseUrl: string): Promise<number> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return parsePrometheusText(await res.text()).samples.find((s) => s.name === 'polyphony_sync_documents_loaded')?.value ?? Number.NaN;
}

/** Every file under the data directory, as raw bytes read as latin1 (so any stored text can be found). */
function dataDirText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

describe('erasing a network with the ops CLI while someone still has its document open', () => {
  it('writes nothing of what they type afterwards, and their connection ends', async () => {
    const server = await startServerProcess({ env: { LIVEKIT: 'off', METRICS_TOKEN } });
    cleanup(() => server.dispose());
    const seeded = await seedNetwork(server.dataDir, { team: [] });
    const { client } = await joinAndConnect(HttpSession.forInvite(server.url, seeded.inviteUrl), seeded.meetingId, 'Sam');
    cleanup(() => client.destroy());
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));

    expect(await cli(server.dataDir, ['network', 'delete', '--network', seeded.networkId, '--confirm'])).toMatchObject({ deleted: true });
    client.addParagraph('Typed after the erasure: Zebedee');
    await vi.waitFor(() => expect(closes).toContain(SYNC_CLOSE.forbidden), { timeout: 10_000 });
    client.destroy();
    // And the server holds nothing of it in memory: dropped at once, not after the ten-second unload grace.
    await vi.waitFor(() => expect(loadedDocuments(server.url)).resolves.toBe(0), { timeout: 5_000 });
    await server.stop();
    expect(dataDirText(server.dataDir)).not.toContain('Zebedee');
  });
});
