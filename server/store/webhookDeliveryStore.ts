import type { DatabaseSync } from 'node:sqlite';

/**
 * LiveKit webhooks already acted on, by event id, so that one webhook is acted on once: LiveKit retries
 * a delivery it thinks failed, and behind a load balancer the retry may reach another instance. The same
 * claims make a media-key rotation happen once for an access event every instance hears (`media_key:…`
 * keys, services/mediaKeys.ts).
 */
export interface WebhookDeliveryStore {
  /**
   * Claims `eventId`: true the first time, false for any later delivery (from this process or another).
   * Drops claims received at or before `dropUpTo` (long after LiveKit stops retrying).
   */
  claim(eventId: string, receivedAt: string, dropUpTo: string): Promise<boolean>;
}

export function createSqliteWebhookDeliveryStore(db: DatabaseSync): WebhookDeliveryStore {
  const prune = db.prepare('DELETE FROM webhook_deliveries WHERE received_at <= ?');
  const insert = db.prepare('INSERT INTO webhook_deliveries (event_id, received_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING');
  return {
    async claim(eventId, receivedAt, dropUpTo) {
      prune.run(dropUpTo);
      return Number(insert.run(eventId, receivedAt).changes) === 1;
    },
  };
}
