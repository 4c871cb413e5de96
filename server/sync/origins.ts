import type { SyncPeer } from './syncDocument.ts';

/**
 * Who caused a change to a Y.Doc on the server. Every `Y.applyUpdate` and `transact` on the server carries
 * one of these as its transaction origin, so that the write path can tell what it must store from what is
 * stored already, and observers (the broadcast, the notes' history) can tell whose change it was.
 */
export type ChangeOrigin = ClientEdit | RemoteEdit | LoadedState | ServerEdit;

/** A change a client sent over its connection: stored, then sent to everyone else. */
export interface ClientEdit {
  readonly kind: 'client';
  readonly peer: SyncPeer;
}

/** A change that another instance applied and stored: sent on to this instance's peers, never stored again. */
export interface RemoteEdit {
  readonly kind: 'remote';
}

/** The stored history, read back from the store: it is the store's content, never appended again. */
export interface LoadedState {
  readonly kind: 'loaded';
}

/**
 * The server's own change: a layout migration of a document being served (stored before anyone is served),
 * or one made on a copy that is only read (`read`, for the record; that copy has no write path at all).
 */
export interface ServerEdit {
  readonly kind: 'server';
  readonly action: 'migration' | 'read';
}

export const clientEdit = (peer: SyncPeer): ClientEdit => ({ kind: 'client', peer });
export const REMOTE_EDIT: RemoteEdit = { kind: 'remote' };
export const LOADED_STATE: LoadedState = { kind: 'loaded' };
export const SERVER_MIGRATION: ServerEdit = { kind: 'server', action: 'migration' };
export const SERVER_READ_MIGRATION: ServerEdit = { kind: 'server', action: 'read' };

/**
 * Whether a change with this origin must be appended to this document's stored log: a client's edit and
 * the server's own must; what was loaded from the store or stored by another instance must not (storing it
 * again would only grow the log, and for a document this process no longer owns it would be refused).
 */
export function mustStore(origin: ChangeOrigin): boolean {
  switch (origin.kind) {
    case 'client':
    case 'server':
      return true;
    case 'remote':
    case 'loaded':
      return false;
  }
}

/** The origin of a Yjs transaction as one of ours; undefined for anything else (Yjs's own, a library's). */
export function changeOriginOf(origin: unknown): ChangeOrigin | undefined {
  if (typeof origin !== 'object' || origin === null || !('kind' in origin)) return undefined;
  switch (origin.kind) {
    case 'client':
      return 'peer' in origin ? (origin as ClientEdit) : undefined;
    case 'remote':
    case 'loaded':
      return origin as RemoteEdit | LoadedState;
    case 'server':
      return 'action' in origin ? (origin as ServerEdit) : undefined;
    default:
      return undefined;
  }
}
