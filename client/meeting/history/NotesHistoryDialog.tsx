import { createEffect, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { NotesVersionSummary } from '../../../shared/api/notesHistory.ts';
import { notesText, readNotesContent, type NotesNode } from '../../../shared/doc/notesContent.ts';
import { getNotes } from '../../../shared/doc/schema.ts';
import { api, messageOf } from '../../lib/api.ts';
import { useMeeting } from '../meetingContext.ts';
import { ModalDialog } from '../ui/ModalDialog.tsx';
import { compareBlocks, type ComparedBlock } from './compareNotes.ts';
import { describeVersion, versionTime } from './versionWords.ts';

/** While the history is open, its newest page is asked for again this often (versions are kept by the server). */
const REFRESH_MS = 5_000;

/**
 * The history of the notes: every version the server kept, newest first and a page at a time (a long
 * meeting keeps thousands), each with "Compare with now" and "Restore this version". A restore is a new
 * change made by this person, kept as a new version: nothing in the history is ever removed.
 */
export function NotesHistoryDialog(props: { open: boolean; onClose: () => void }) {
  const { meetingDoc, api: where } = useMeeting();
  const [versions, setVersions] = createSignal<NotesVersionSummary[]>([]);
  const [total, setTotal] = createSignal(0);
  const [nextBefore, setNextBefore] = createSignal<number | null>(null);
  const [error, setError] = createSignal<string>();
  const [status, setStatus] = createSignal('');
  const [comparing, setComparing] = createSignal<{ id: string; blocks: ComparedBlock[] }>();
  const [busy, setBusy] = createSignal<string>();

  const loadNewest = async () => {
    try {
      const page = await api.notesVersions(where.meetingId, undefined, where.credentials);
      setTotal(page.total);
      // Keeps older pages already shown: only the newest ones are merged in front.
      setVersions((shown) => {
        const ids = new Set(page.versions.map((v) => v.id));
        const older = shown.filter((v) => !ids.has(v.id) && v.seq < (page.versions.at(-1)?.seq ?? 0));
        return [...page.versions, ...older];
      });
      if (versions().length <= page.versions.length) setNextBefore(page.nextBefore);
      setError(undefined);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const loadOlder = async () => {
    const before = nextBefore();
    if (before === null) return;
    try {
      const page = await api.notesVersions(where.meetingId, before, where.credentials);
      setVersions((shown) => [...shown, ...page.versions]);
      setNextBefore(page.nextBefore);
      setStatus(`${page.versions.length} older versions shown.`);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  createEffect(
    on(
      () => props.open,
      (open) => {
        if (!open) return;
        void loadNewest();
        const timer = setInterval(() => void loadNewest(), REFRESH_MS);
        onCleanup(() => clearInterval(timer));
      },
    ),
  );

  const notesOf = async (id: string): Promise<NotesNode> => (await api.notesVersion(where.meetingId, id, where.credentials)).notes;
  const compare = async (id: string) => {
    if (comparing()?.id === id) return setComparing(undefined);
    try {
      const then = await notesOf(id);
      setComparing({ id, blocks: compareBlocks(notesText(then), notesText(readNotesContent(getNotes(meetingDoc.doc)))) });
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const restore = async (v: NotesVersionSummary) => {
    setBusy(v.id);
    setError(undefined);
    try {
      const [{ notes }, { restoreNotes }] = await Promise.all([api.restoreNotesVersion(where.meetingId, v.id, where.credentials), import('./restoreNotes.ts')]);
      restoreNotes(meetingDoc.doc, notes);
      setComparing(undefined);
      setStatus(`The notes now read as they did at ${versionTime(v.createdAt)}. This restore is kept in the history too.`);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <ModalDialog open={props.open} onClose={props.onClose} title="History of the notes" describedBy="notes-history-what">
      <p id="notes-history-what">
        A version is kept when writing pauses, just before a large part is removed, when reflecting starts or ends, and when the meeting ends.
        Restoring a version changes the notes for everyone, and is kept as a new version, so nothing here is ever lost.
      </p>
      <p class="notice status" role="status">
        {status()}
      </p>
      <Show when={error()}>
        {(message) => (
          <p role="alert" class="error">
            {message()}
          </p>
        )}
      </Show>
      <Show when={versions().length > 0} fallback={<p class="hint">No version has been kept yet. One is kept a few seconds after someone writes.</p>}>
        <p class="hint">
          {total()} {total() === 1 ? 'version' : 'versions'}, newest first.
        </p>
        <ol class="version-list">
          <For each={versions()}>
            {(v) => (
              <li class="version">
                <p class="version-what">
                  <strong>{versionTime(v.createdAt)}</strong> · {describeVersion(v)} · {wordsLeft(v)}
                </p>
                <div class="row wrap">
                  <button type="button" class="small" aria-expanded={comparing()?.id === v.id} onClick={() => void compare(v.id)}>
                    Compare with now
                  </button>
                  <button type="button" class="small" disabled={busy() !== undefined} onClick={() => void restore(v)}>
                    {busy() === v.id ? 'Restoring…' : 'Restore this version'}
                  </button>
                </div>
                <Show when={comparing()?.id === v.id ? comparing() : undefined}>{(c) => <Comparison blocks={c().blocks} />}</Show>
              </li>
            )}
          </For>
        </ol>
        <Show when={nextBefore() !== null}>
          <button type="button" onClick={() => void loadOlder()}>
            Show older versions
          </button>
        </Show>
      </Show>
      <div class="row wrap dialog-actions">
        <button type="button" autofocus onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}

function wordsLeft(v: NotesVersionSummary): string {
  const words = `${v.words} ${v.words === 1 ? 'word' : 'words'}`;
  return v.kind === 'large_deletion' ? `${words} left` : words;
}

/** The version beside the notes now, paragraph by paragraph; what differs is marked in words, not colour only. */
function Comparison(props: { blocks: ComparedBlock[] }) {
  return (
    <div class="comparison">
      <Show when={props.blocks.some((b) => b.kind !== 'same')} fallback={<p class="hint">This version reads the same as the notes now.</p>}>
        <ul aria-label="This version compared with the notes now">
          <For each={props.blocks}>
            {(block) => (
              <li class={`compared compared-${block.kind}`}>
                <Show when={block.kind !== 'same'}>
                  <span class="compared-label">{block.kind === 'only-then' ? 'Only in this version: ' : 'Only in the notes now: '}</span>
                </Show>
                {block.text}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
