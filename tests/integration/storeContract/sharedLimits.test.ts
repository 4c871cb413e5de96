import { describe, expect, it } from 'vitest';
import { ENGINES } from './engines.ts';
import { useFreshDatabase } from './fresh.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T10:05:00.000Z';
const T2 = '2026-12-01T10:10:00.000Z';
/** A cut-off before every time above: nothing is dropped. */
const EARLIER = '2026-12-01T09:00:00.000Z';

describe.each(ENGINES)('what every instance must share, on $name', (engine) => {
  const fresh = useFreshDatabase(engine);

  it('claims a webhook event once, whichever connection delivers it, even at the same moment', async () => {
    const database = await fresh();
    const other = await database.another();
    const claims = await Promise.all([
      database.stores.webhookDeliveries.claim('EV_1', T0, EARLIER),
      other.webhookDeliveries.claim('EV_1', T0, EARLIER),
      database.stores.webhookDeliveries.claim('EV_1', T1, EARLIER),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await other.webhookDeliveries.claim('EV_1', T2, EARLIER)).toBe(false);
    expect(await other.webhookDeliveries.claim('EV_2', T1, EARLIER)).toBe(true);
  });

  it('forgets webhook claims older than the kept time, so the table does not grow for ever', async () => {
    const { stores } = await fresh();
    expect(await stores.webhookDeliveries.claim('EV_1', T0, EARLIER)).toBe(true);
    expect(await stores.webhookDeliveries.claim('EV_2', T2, T1)).toBe(true);
    // EV_1 was dropped with the claim of EV_2: it could be claimed again (long after LiveKit stopped retrying).
    expect(await stores.webhookDeliveries.claim('EV_1', T2, T1)).toBe(true);
  });

  it('counts login failures per key from every connection, newest ones only, and forgets a key or an old failure', async () => {
    const database = await fresh();
    const other = await database.another();
    await database.stores.loginFailures.add(['pair', 'address'], T0, EARLIER);
    await other.loginFailures.add(['pair', 'address'], T1, EARLIER);
    await other.loginFailures.add(['address'], T2, EARLIER);
    expect(await database.stores.loginFailures.recent('address', EARLIER, 10)).toEqual([T0, T1, T2]);
    expect(await database.stores.loginFailures.recent('address', EARLIER, 2)).toEqual([T1, T2]);
    expect(await database.stores.loginFailures.recent('address', T0, 10)).toEqual([T1, T2]);
    await other.loginFailures.forget('pair');
    expect(await database.stores.loginFailures.recent('pair', EARLIER, 10)).toEqual([]);
    // An add drops every failure at or before its cut-off, under any key.
    await database.stores.loginFailures.add(['account'], T2, T1);
    expect(await database.stores.loginFailures.recent('address', EARLIER, 10)).toEqual([T2]);
  });
});
