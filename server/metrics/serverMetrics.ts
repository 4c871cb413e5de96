import type { Duplex } from 'node:stream';
import { Hono } from 'hono';
import type { DocStore } from '../store/docStore.ts';
import { createDocStoreCounters, instrumentDocStore } from './instrumentedDocStore.ts';
import { metricsAccess } from './metricsAccess.ts';
import { createProcessMetrics } from './processMetrics.ts';
import { counter, gauge, PROMETHEUS_CONTENT_TYPE, renderMetricFamilies, type MetricFamily } from './prometheusText.ts';
import { createSocketBytes } from './socketBytes.ts';

/** What the sync server reports about itself (its `stats()`). */
export interface SyncStats {
  connections: number;
  documents: number;
}

/**
 * The server's metrics, gathered at the edges of the sync server rather than inside it: its store is
 * wrapped (persistence latency, accepted updates), its sockets are counted (bytes in/out), and its
 * `stats()` gives connections and loaded documents. Nothing here ever sees a document name or content.
 */
export interface ServerMetrics {
  /** The store to hand to `createSyncServer`, so that its writes and loads are timed and counted. */
  instrumentDocStore(store: DocStore): DocStore;
  /** Call from the HTTP server's 'upgrade' handler, for every upgrade request. */
  trackSocket(socket: Duplex): void;
  /** The whole scrape, in Prometheus text format. */
  render(stats: SyncStats): string;
  stop(): void;
}

/** `families`: what other parts of the server count (e.g. access events), added to every scrape. */
export function createServerMetrics(options: { families?: () => MetricFamily[] } = {}): ServerMetrics {
  const store = createDocStoreCounters();
  const sockets = createSocketBytes();
  const processMetrics = createProcessMetrics();

  return {
    instrumentDocStore: (docStore) => instrumentDocStore(docStore, store),
    trackSocket: (socket) => sockets.track(socket),
    render(stats) {
      const bytes = sockets.totals();
      const families: MetricFamily[] = [
        gauge('polyphony_sync_connections', 'Open sync (WebSocket) connections.', stats.connections),
        gauge('polyphony_sync_documents_loaded', 'Documents in memory (loading, loaded or unloading).', stats.documents),
        counter('polyphony_sync_upgrades_total', 'WebSocket upgrade requests, accepted or refused.', bytes.opened),
        counter('polyphony_sync_received_bytes_total', 'Bytes received on upgraded sockets (wire bytes: upgrade request and WebSocket frames).', bytes.received),
        counter('polyphony_sync_sent_bytes_total', 'Bytes sent on upgraded sockets (wire bytes: upgrade response and WebSocket frames).', bytes.sent),
        counter('polyphony_sync_updates_total', 'Document updates accepted and committed to the store.', store.updates),
        counter('polyphony_sync_update_bytes_total', 'Size of the committed document updates, in bytes.', store.updateBytes),
        counter('polyphony_sync_store_write_failures_total', 'Store writes that failed (the document is dropped and its clients reconnect).', store.writeFailures),
        counter('polyphony_sync_compactions_total', 'Stored update logs compacted into a snapshot.', store.compactions),
        {
          name: 'polyphony_sync_persist_duration_seconds',
          help: 'Time to commit one write (an update or a group-committed batch) to the store; an edit is broadcast only after it.',
          type: 'histogram',
          histogram: store.writeSeconds.snapshot(),
        },
        {
          name: 'polyphony_sync_document_load_duration_seconds',
          help: "Time to read a document's stored updates when it is loaded.",
          type: 'histogram',
          histogram: store.loadSeconds.snapshot(),
        },
        ...(options.families?.() ?? []),
        ...processMetrics.families(),
      ];
      return renderMetricFamilies(families);
    },
    stop: () => processMetrics.stop(),
  };
}

/**
 * `GET /metrics`, to mount with `app.route('/metrics', metricsRoutes(...))`: only with `token` configured,
 * and only for a scraper that sends it as a bearer token (see metricsAccess.ts).
 */
export function metricsRoutes(metrics: ServerMetrics, stats: () => SyncStats, token: string | undefined): Hono {
  return new Hono().use(metricsAccess(token)).get('/', (c) => c.body(metrics.render(stats()), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' }));
}
