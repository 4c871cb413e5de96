import type { Duplex } from 'node:stream';

/**
 * Bytes on the wire of upgraded (sync) sockets, read from the TCP socket's own `bytesRead`/`bytesWritten`,
 * so nothing is added to the data path: no listener, no wrapping, nothing that could change how ws reads.
 * Includes the HTTP upgrade exchange and WebSocket framing.
 */
export interface SocketBytes {
  /** Call once per upgrade request, with the socket Node hands to the 'upgrade' event. */
  track(socket: Duplex): void;
  totals(): { received: number; sent: number; opened: number };
}

interface ByteCounting {
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

export function createSocketBytes(): SocketBytes {
  const open = new Set<ByteCounting>();
  let closedReceived = 0;
  let closedSent = 0;
  let opened = 0;

  return {
    track(socket) {
      if (!hasByteCounts(socket)) return;
      opened++;
      open.add(socket);
      socket.once('close', () => {
        if (!open.delete(socket)) return;
        closedReceived += socket.bytesRead;
        closedSent += socket.bytesWritten;
      });
    },
    totals() {
      let received = closedReceived;
      let sent = closedSent;
      for (const socket of open) {
        received += socket.bytesRead;
        sent += socket.bytesWritten;
      }
      return { received, sent, opened };
    },
  };
}

function hasByteCounts(socket: Duplex): socket is Duplex & ByteCounting {
  return typeof (socket as Partial<ByteCounting>).bytesRead === 'number' && typeof (socket as Partial<ByteCounting>).bytesWritten === 'number';
}
