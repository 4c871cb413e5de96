import { describe, expect, it } from 'vitest';
import { listenForWebhooks } from './webhookListener.ts';

describe('listenForWebhooks (the embedded LiveKit\'s way in when the server ends TLS itself)', () => {
  it('passes the webhook path to the app over loopback http and answers 404 to everything else', async () => {
    const { url, server } = await listenForWebhooks((request) => new Response(`app saw ${new URL(request.url).pathname}`));
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/livekit\/webhook$/);
      expect(await (await fetch(url, { method: 'POST', body: '{}' })).text()).toBe('app saw /api/livekit/webhook');
      const elsewhere = await fetch(new URL('/api/meetings', url));
      expect(elsewhere.status).toBe(404);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
