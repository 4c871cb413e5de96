import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServerMetrics, metricsRoutes } from '../../server/metrics/serverMetrics.ts';
import { JoinMeetingResponse } from '../../shared/api/meetings.ts';
import { connectDocClient } from '../helpers/docClient.ts';
import { HttpSession } from '../helpers/httpSession.ts';
import { parsePrometheusText, type ParsedExposition } from '../helpers/prometheusText.ts';
import { addUser, PASSWORD, seedNetwork } from '../helpers/seed.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EXPECTED_FAMILIES = {
  polyphony_sync_connections: 'gauge',
  polyphony_sync_documents_loaded: 'gauge',
  polyphony_sync_upgrades_total: 'counter',
  polyphony_sync_received_bytes_total: 'counter',
  polyphony_sync_sent_bytes_total: 'counter',
  polyphony_sync_updates_total: 'counter',
  polyphony_sync_update_bytes_total: 'counter',
  polyphony_sync_store_write_failures_total: 'counter',
  polyphony_sync_compactions_total: 'counter',
  polyphony_sync_persist_duration_seconds: 'histogram',
  polyphony_sync_document_load_duration_seconds: 'histogram',
  polyphony_access_events_received_total: 'counter',
  polyphony_access_events_malformed_total: 'counter',
  polyphony_access_event_notifications_malformed_total: 'counter',
  polyphony_access_event_listener_reconnects_total: 'counter',
  process_cpu_seconds_total: 'counter',
  process_resident_memory_bytes: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
} as const;

const METRICS_TOKEN = 'scraper-token-for-the-tests';

async function scrape(baseUrl: string): Promise<{ text: string; parsed: ParsedExposition; value: (name: string) => number }> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const parsed = parsePrometheusText(text);
  const value = (name: string): number => {
    const sample = parsed.samples.find((entry) => entry.name === name && Object.keys(entry.labels).length === 0);
    if (!sample) throw new Error(`no sample ${name}`);
    return sample.value;
  };
  return { text, parsed, value };
}

describe('observability endpoints', () => {
  it('answers /healthz and serves Prometheus text that counts sync traffic without naming any document', async () => {
    const server = await startServerProcess({ env: { LIVEKIT: 'off', METRICS_TOKEN } });
    cleanups.push(() => server.dispose());

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);

    const idle = await scrape(server.url);
    for (const [name, type] of Object.entries(EXPECTED_FAMILIES)) expect(idle.parsed.types.get(name), name).toBe(type);
    expect(idle.value('polyphony_sync_connections')).toBe(0);
    expect(idle.value('polyphony_sync_updates_total')).toBe(0);

    await addUser(server.dataDir, 'pat@team.org');
    const seeded = await seedNetwork(server.dataDir, { team: ['pat@team.org'], personName: 'Jo Private', memberName: 'Sam Secret' });
    const practitioner = new HttpSession(server.url);
    await practitioner.login('pat@team.org', PASSWORD);
    const joined = JoinMeetingResponse.parse(await practitioner.json('POST', `/api/meetings/${seeded.meetingId}/join`, { displayName: 'Pat' }));
    const client = connectDocClient(server.url, joined.sync);
    cleanups.push(() => client.destroy());
    await client.synced;
    client.addParagraph('A sentence that must never reach the metrics.');

    await vi.waitFor(async () => {
      const busy = await scrape(server.url);
      expect(busy.value('polyphony_sync_connections')).toBe(1);
      expect(busy.value('polyphony_sync_documents_loaded')).toBeGreaterThanOrEqual(1);
      expect(busy.value('polyphony_sync_updates_total')).toBeGreaterThanOrEqual(1);
      expect(busy.value('polyphony_sync_persist_duration_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(busy.value('polyphony_sync_received_bytes_total')).toBeGreaterThan(0);
      expect(busy.value('polyphony_sync_sent_bytes_total')).toBeGreaterThan(0);
    });

    const final = await scrape(server.url);
    for (const secret of [joined.sync.docName, seeded.meetingId, seeded.networkId, 'Jo Private', 'Sam Secret', 'never reach']) {
      expect(final.text).not.toContain(secret);
    }
    // Only bucket bounds are labels; nothing per document or per person.
    const labelKeys = new Set(final.parsed.samples.flatMap((sample) => Object.keys(sample.labels)));
    expect([...labelKeys]).toEqual(labelKeys.size === 0 ? [] : ['le']);
  });
});

describe('who may scrape /metrics (finding: /metrics answered anyone)', () => {
  const metricsApp = (token: string | undefined) => {
    const metrics = createServerMetrics();
    cleanups.push(() => metrics.stop());
    return metricsRoutes(metrics, () => ({ connections: 0, documents: 0 }), token);
  };

  it('has no /metrics at all when no METRICS_TOKEN is configured', async () => {
    const res = await metricsApp(undefined).request('/');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('polyphony_');
  });

  it('refuses a scrape without the bearer token, or with another one', async () => {
    const app = metricsApp(METRICS_TOKEN);
    for (const authorization of [undefined, 'Bearer not-the-token-at-all', `Basic ${METRICS_TOKEN}`, METRICS_TOKEN]) {
      const res = await app.request('/', authorization ? { headers: { authorization } } : {});
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain('polyphony_');
    }
  });

  it('answers the scraper that sends the configured token', async () => {
    const res = await metricsApp(METRICS_TOKEN).request('/', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('polyphony_sync_connections 0');
  });

  it('a server started without METRICS_TOKEN answers 404 on /metrics', async () => {
    const server = await startServerProcess({ env: { LIVEKIT: 'off', METRICS_TOKEN: '' } });
    cleanups.push(() => server.dispose());
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });
});
