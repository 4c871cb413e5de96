import type { WebhookDeliveryStore } from '../webhookDeliveryStore.ts';
import type { Sql } from './sql.ts';

export function createPostgresWebhookDeliveryStore(sql: Sql): WebhookDeliveryStore {
  return {
    // ON CONFLICT DO NOTHING: of two instances claiming at once, the second waits for the first's row and
    // then inserts nothing, so exactly one of them gets true.
    async claim(eventId, receivedAt, dropUpTo) {
      await sql.query('DELETE FROM webhook_deliveries WHERE received_at <= $1', [dropUpTo]);
      const inserted = await sql.query('INSERT INTO webhook_deliveries (event_id, received_at) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING', [eventId, receivedAt]);
      return (inserted.rowCount ?? 0) === 1;
    },
  };
}
