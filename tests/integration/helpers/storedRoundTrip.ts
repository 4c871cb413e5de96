/**
 * Resolves once the server has answered a round trip sent after our updates: the server handles a
 * connection's messages in order and persists each update before it handles the next message.
 */
export async function waitUntilStored(...providers: { ws: WebSocket | null }[]): Promise<void> {
  for (const provider of providers) {
    const ws = provider.ws;
    if (!ws) throw new Error('not connected');
    // A fresh SyncStep1 (type 0, step 0, empty state vector) is answered with a SyncStep2 (0, 1) only after
    // every earlier message of this connection was handled and stored.
    const answered = new Promise<void>((done) => {
      const onMessage = (event: MessageEvent) => {
        const bytes = new Uint8Array(event.data as ArrayBuffer);
        if (bytes[0] !== 0 || bytes[1] !== 1) return;
        ws.removeEventListener('message', onMessage);
        done();
      };
      ws.addEventListener('message', onMessage);
    });
    ws.send(new Uint8Array([0, 0, 1, 0]));
    await answered;
  }
}
