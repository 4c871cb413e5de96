import { createMemo } from 'solid-js';
import { saveStateOf, type SaveState, type SaveStatus } from './saveTracker.ts';
import { SYNC_REFUSAL_TEXT, type SyncRefusal } from './syncRefusal.ts';

const TEXT: Record<SaveState, string> = {
  connecting: 'Connecting to the shared space…',
  saved: 'All changes saved',
  saving: 'Saving…',
  'offline-unsaved': 'Offline: not yet saved. Kept on this device until you are back online.',
  'offline-saved': 'Offline. All you wrote so far is saved. Reconnecting…',
  refused: 'You no longer have access to the shared space.',
};

// Only changes of connection are announced; "saving"/"saved" on every keystroke would drown a screen reader.
const ANNOUNCE: Partial<Record<SaveState, string>> = {
  'offline-unsaved': 'Connection lost. Your changes are kept on this device until you are back online.',
  'offline-saved': 'Connection lost. Reconnecting.',
  refused: TEXT.refused,
};

/**
 * An honest line: saved only once the server has confirmed storing this device's edits. When the server
 * refused what this device sent (see syncRefusal.ts), the line says that instead, and it is announced.
 */
export function SaveStatusLine(props: { status: SaveStatus; refusal?: SyncRefusal | null | undefined }) {
  const state = createMemo(() => saveStateOf(props.status));
  const text = () => (props.refusal ? SYNC_REFUSAL_TEXT[props.refusal] : TEXT[state()]);
  return (
    <>
      <p class="save-status" data-state={props.refusal ? 'limited' : state()}>
        <span class="save-dot" aria-hidden="true" />
        {text()}
      </p>
      <p class="visually-hidden" role="status">
        {props.refusal ? SYNC_REFUSAL_TEXT[props.refusal] : (ANNOUNCE[state()] ?? '')}
      </p>
    </>
  );
}
