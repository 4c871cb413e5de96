import type { Awareness } from 'y-protocols/awareness';

/** The part of the stock y-websocket provider this needs: its presence and its connection events. */
export interface PresenceProvider {
  readonly awareness: Awareness;
  on(event: 'status', listener: (event: { status: string }) => void): void;
  off(event: 'status', listener: (event: { status: string }) => void): void;
}

/**
 * Makes presence come back at once after the socket reconnects (a network blip, a server restart, a
 * failover to another instance), not at everyone's next 15 s renewal.
 *
 * y-protocols keeps each client's last clock after its state is removed, and takes a state only with a
 * higher clock. The stock provider removes everyone else's state when its socket closes, and on reconnect
 * sends its own state with the clock it had; so a server that had seen that state, and every device that
 * had, ignore it, and this device ignores the others' states in the server's snapshot, until each renews
 * its state. Here, on disconnect the clocks of the states just removed are forgotten (the server's
 * snapshot is the truth about who is here now), and on connect this device's own state is set again, which
 * raises its clock, so the server and the others take it. Someone else's state is never touched: a device
 * only ever raises its own clock.
 *
 * Answers the function that stops it.
 */
export function keepPresenceAcrossReconnects(provider: PresenceProvider): () => void {
  const { awareness } = provider;
  const onStatus = ({ status }: { status: string }) => {
    if (status === 'disconnected') {
      for (const clientId of [...awareness.meta.keys()]) if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId);
    } else if (status === 'connected') {
      const own = awareness.getLocalState();
      if (own !== null) awareness.setLocalState(own);
    }
  };
  provider.on('status', onStatus);
  return () => provider.off('status', onStatus);
}
