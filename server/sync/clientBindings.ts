import * as Y from 'yjs';
import type { ClientBinding } from '../store/docLog.ts';

/**
 * Which participant writes with each Yjs client id of one loaded document: loaded with it from the store,
 * and extended as updates arrive. The first participant whose update brings new content of a client id
 * owns that id in this document for good; anyone else's update with new content of it is refused. So
 * the record can name the author of every passage from what the server authenticated, not from what a
 * client wrote into the document.
 *
 * Only content beyond what the document already holds counts: a client sending back structs the server
 * has (a reconnect's SyncStep2 often does) claims nothing.
 */
export class ClientBindings {
  readonly #owners = new Map<number, string>();

  constructor(stored: Iterable<ClientBinding>) {
    for (const binding of stored) this.#owners.set(binding.clientId, binding.participantId);
  }

  /** The participant a client id is bound to, if any. */
  ownerOf(clientId: number): string | undefined {
    return this.#owners.get(clientId);
  }

  /**
   * Checks the structs of an update by `participantId` against `doc` (not yet holding them). `refused`
   * names a client id bound to someone else; otherwise `fresh` lists the client ids the update is the first
   * to bring (not yet bound: call {@link bind}).
   */
  check(doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[], participantId: string, at: string): { refused: number } | { fresh: ClientBinding[] } {
    const fresh: ClientBinding[] = [];
    let last = -1;
    for (const struct of structs) {
      // Structs come grouped by client; one look per client is enough.
      const client = struct.id.client;
      if (struct instanceof Y.Skip || client === last) continue;
      if (struct.id.clock + struct.length <= Y.getState(doc.store, client)) continue;
      last = client;
      const owner = this.#owners.get(client);
      if (owner === undefined) {
        if (!fresh.some((binding) => binding.clientId === client)) fresh.push({ clientId: client, participantId, at });
      } else if (owner !== participantId) {
        return { refused: client };
      }
    }
    return { fresh };
  }

  bind(bindings: readonly ClientBinding[]): void {
    for (const binding of bindings) if (!this.#owners.has(binding.clientId)) this.#owners.set(binding.clientId, binding.participantId);
  }

  /** Takes back bindings made by {@link bind} for an update that was then not applied. */
  unbind(bindings: readonly ClientBinding[]): void {
    for (const binding of bindings) if (this.#owners.get(binding.clientId) === binding.participantId) this.#owners.delete(binding.clientId);
  }
}
