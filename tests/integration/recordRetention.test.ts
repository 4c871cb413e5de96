import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveRooms } from '../../server/livekit/liveRooms.ts';
import { createMediaStateHolder } from '../../server/livekit/mediaState.ts';
import { createLogger } from '../../server/log.ts';
import { createServices, type Services } from '../../server/services/createServices.ts';
import type { Principal } from '../../server/services/principal.ts';
import { openDatabase } from '../../server/store/database.ts';
import { createSqliteStores, type Stores } from '../../server/store/stores.ts';

const DAY = 24 * 60 * 60 * 1000;
const SYSTEM: Principal = { kind: 'system' };

describe('retention of closed networks, with the clock injected', () => {
  let dataDir: string;
  let services: Services;
  let stores: Stores;
  let close: () => void;
  let now = new Date('2026-01-01T09:00:00.000Z');
  const erasing: string[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'polyphony-retention-'));
    const db = openDatabase(dataDir);
    close = () => db.close();
    stores = createSqliteStores(db);
    const media = createMediaStateHolder({ status: 'unavailable', reason: 'not in this test' });
    services = createServices({
      stores,
      serverSecret: new Uint8Array(32).fill(5),
      media,
      rooms: createLiveRooms(media, createLogger({}, () => {})),
      signTicket: () => 'unused',
      events: {
        publish: async (event) => {
          if (event.kind === 'network_erased') erasing.push(event.networkId);
        },
      },
      logger: createLogger({}, () => {}),
      now: () => now,
    });
  });
  afterAll(() => {
    close?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps everything while no retention is set, and only admins may set it', async () => {
    const { id } = await services.networks.create(SYSTEM, { personName: 'Closed early', referredAt: now.toISOString() });
    await services.retention.closeNetwork(SYSTEM, id);
    now = new Date(now.getTime() + 400 * DAY);
    expect(await services.retention.applyRetention(SYSTEM)).toEqual([]);
    await expect(services.retention.setRetentionDays({ kind: 'anonymous' }, 30)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('deletes networks closed longer ago than the setting, and only those', async () => {
    await services.retention.setRetentionDays(SYSTEM, 30);
    const open = await services.networks.create(SYSTEM, { personName: 'Still working', referredAt: now.toISOString() });
    const recent = await services.networks.create(SYSTEM, { personName: 'Closed recently', referredAt: now.toISOString() });
    await services.retention.closeNetwork(SYSTEM, recent.id);
    now = new Date(now.getTime() + 29 * DAY);
    const deleted = await services.retention.applyRetention(SYSTEM);
    expect(deleted).toHaveLength(1);
    expect(erasing).toEqual(deleted);
    const left = (await services.networks.list(SYSTEM)).map((n) => n.personName).sort();
    expect(left).toEqual(['Closed recently', 'Still working']);

    now = new Date(now.getTime() + 2 * DAY);
    expect(await services.retention.applyRetention(SYSTEM)).toEqual([recent.id]);
    expect((await services.networks.list(SYSTEM)).map((n) => n.id)).toEqual([open.id]);
    const audit = await stores.audit.list({ limit: 100 });
    expect(audit.filter((e) => e.action === 'network_deleted').map((e) => e.targetId)).toContain(recent.id);
  });
});
