import { Server, type Extension } from '@hocuspocus/server';
import { createTicketSigner } from '../../server/sync/tickets.ts';
import { announceReady, handleParentRequests } from './childProcess.ts';

/**
 * What every bench Hocuspocus column shares: @hocuspocus/server 4.7.0 on loopback, `debounce: 0` (the whole
 * document stored on every change, the nearest Hocuspocus comes to "every update durable"), unloaded as
 * soon as its last client leaves, and tickets checked in onAuthenticate as Polyphony checks them. The
 * columns differ only in their extensions (where and when they store, Redis) and what they close at the end.
 */
export async function serveHocuspocus(options: { ticketSecret: Uint8Array; extensions: Extension[]; close: () => Promise<void> | void }): Promise<void> {
  const signer = createTicketSigner(options.ticketSecret);
  const server = new Server({
    port: 0,
    address: '127.0.0.1',
    quiet: true,
    stopOnSignals: false,
    debounce: 0,
    maxDebounce: 0,
    unloadImmediately: true,
    extensions: options.extensions,
    async onAuthenticate({ token, documentName }) {
      const verified = signer.verify(token);
      if (!verified.ok || verified.claims.docName !== documentName) throw new Error('unauthorized');
    },
  });
  await server.listen();
  announceReady(server.address.port);
  handleParentRequests(async () => {
    await server.destroy();
    await options.close();
  });
}
