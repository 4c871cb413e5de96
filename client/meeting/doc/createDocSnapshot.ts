import { onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';

/** What a snapshot needs of a shared type: every Yjs type (map, array, text, XML) can be observed deeply. */
type DeepObservable = Pick<Y.AbstractType<unknown>, 'observeDeep' | 'unobserveDeep'>;

/**
 * A Solid view of part of the Yjs document: `read` is run again whenever any of `types` (or anything inside
 * them) changes, and the result is reconciled into a store so that only what changed re-renders.
 * Observers are removed when the owner is disposed.
 */
export function createDocSnapshot<T>(types: readonly DeepObservable[], read: () => T, key = 'id'): () => T {
  const [state, setState] = createStore({ value: read() });
  const refresh = () => setState('value', reconcile(read(), { key }));
  for (const type of types) type.observeDeep(refresh);
  onCleanup(() => {
    for (const type of types) type.unobserveDeep(refresh);
  });
  return () => state.value;
}

/** The same for awareness (who is here): re-read on every change of anyone's presence. */
export function createAwarenessSnapshot<T>(awareness: Awareness, read: (states: Map<number, unknown>) => T, key = 'id'): () => T {
  const [state, setState] = createStore({ value: read(awareness.getStates()) });
  const refresh = () => setState('value', reconcile(read(awareness.getStates()), { key }));
  awareness.on('change', refresh);
  onCleanup(() => awareness.off('change', refresh));
  return () => state.value;
}
