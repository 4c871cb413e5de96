import * as Y from 'yjs';
import type { NotesVersionKind } from '../../shared/api/notesHistory.ts';
import { isLargeDeletion, VERSION_BEFORE_DELETION_CHARS } from '../../shared/doc/largeDeletion.ts';
import { readNotesContent, showingBefore } from '../../shared/doc/notesContent.ts';
import { phaseOf, readReflectingTurns, type MeetingPhase } from '../../shared/doc/reflecting.ts';
import { getNotes, getReflectingTurns } from '../../shared/doc/schema.ts';
import { meetingIdOfDocName } from '../../shared/media/rooms.ts';
import { newRandomId } from '../ids.ts';
import { errorFields, type Logger } from '../log.ts';
import type { NotesVersionStore } from '../store/notesVersionStore.ts';
import type { SyncDocument } from '../sync/syncDocument.ts';
import { changeOriginOf } from '../sync/origins.ts';
import { encodeNotes, type EncodedNotes } from './notesVersionCodec.ts';

/** A quiet pause in writing this long keeps a version. */
export const DEFAULT_QUIET_MS = 3_000;
/** Writing without such a pause for this long keeps one anyway. */
export const DEFAULT_MAX_WAIT_MS = 60_000;

export interface NotesHistoryRecorderDeps {
  store: Pick<NotesVersionStore, 'add' | 'newest' | 'newestWithHash'>;
  logger: Logger;
  now?: () => Date;
  quietMs?: number;
  maxWaitMs?: number;
}

/**
 * Keeps versions of a meeting's notes from the server's own copy of the document (clients are not trusted to
 * do it): after a quiet pause in writing, before a deletion of many characters (the server still holds the
 * text in `afterTransaction`), just after a large deletion, and when reflecting starts or ends. Each names
 * the ticket subjects of the connections that made the change. Returns the observer for the sync server:
 * called for every loaded document, it answers the function that stops observing (and keeps a last version
 * of anything written since the previous one), or undefined for documents that are not a meeting's.
 */
export function createNotesHistoryRecorder(deps: NotesHistoryRecorderDeps) {
  return (docName: string, document: SyncDocument): (() => Promise<void>) | undefined => {
    const meetingId = meetingIdOfDocName(docName);
    if (!meetingId) return undefined;
    try {
      return observeMeetingNotes(meetingId, document, deps);
    } catch (error) {
      // The notes still load and sync; only their versions are missing until the next load.
      deps.logger.error('notes_history_unavailable', { meetingId, ...errorFields(error) });
      return undefined;
    }
  };
}

function observeMeetingNotes(meetingId: string, document: SyncDocument, deps: NotesHistoryRecorderDeps): () => Promise<void> {
  const now = deps.now ?? (() => new Date());
  const quietMs = deps.quietMs ?? DEFAULT_QUIET_MS;
  const maxWaitMs = deps.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const logger = deps.logger.child({ meetingId });
  const authors = new Set<string>();
  let dirtySince: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let lastHash: string | undefined;
  let observed = document.doc;
  let phase: MeetingPhase = phaseOf(readReflectingTurns(observed));

  // Versions are stored one after another, in the order they were taken (each may read what the one before
  // stored). What a version holds is read from the document when it is taken, never later.
  let stored: Promise<void> = Promise.resolve();
  const inOrder = (step: () => Promise<void>): Promise<void> => {
    stored = stored.then(step).catch((error: unknown) => logger.error('notes_version_failed', errorFields(error)));
    return stored;
  };
  void inOrder(async () => {
    lastHash = (await deps.store.newest(meetingId))?.contentHash;
  });

  const keep = async (kind: NotesVersionKind, notes: EncodedNotes, by: Iterable<string>, extra: { relatedId?: string; removedWords?: number } = {}): Promise<string | undefined> => {
    const version = await deps.store.add({ id: newRandomId(), meetingId, kind, createdAt: now().toISOString(), authors: [...by], ...notes, relatedId: extra.relatedId, removedWords: extra.removedWords });
    if (version) lastHash = version.contentHash;
    return version?.id;
  };

  /** Keeps the notes as they are now; an ordinary edit that only brought back an earlier version is a restore. */
  const keepNow = (kind: 'edit' | 'reflecting_started' | 'reflecting_ended'): void => {
    clearTimer();
    const notes = encodeNotes(readNotesContent(getNotes(document.doc)));
    const by = [...authors];
    authors.clear();
    dirtySince = null;
    void inOrder(async () => {
      if (kind === 'edit' && notes.contentHash === lastHash) return;
      const earlier = kind === 'edit' ? await deps.store.newestWithHash(meetingId, notes.contentHash) : undefined;
      if (earlier) await keep('restore', notes, by, { relatedId: earlier.id });
      else await keep(kind, notes, by);
    });
  };

  const clearTimer = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const schedule = (): void => {
    clearTimer();
    const startedAt = (dirtySince ??= Date.now());
    const wait = Math.min(quietMs, Math.max(0, startedAt + maxWaitMs - Date.now()));
    timer = setTimeout(() => guarded(() => keepNow('edit')), wait);
    timer.unref();
  };
  // Never throws into Yjs or a timer: losing one version must not cost the meeting its document.
  const guarded = (work: () => void): void => {
    try {
      follow();
      work();
    } catch (error) {
      logger.error('notes_version_failed', errorFields(error));
    }
  };

  /**
   * The notes before this transaction, when it deleted many characters: read now (the server still holds
   * the text in `afterTransaction`), and stored before the deletion is, since the document's writes wait for
   * it. True when it was a large deletion, kept as a version of its own.
   */
  const keepBeforeDeletion = (transaction: Y.Transaction, subject: string | undefined): boolean => {
    if (deletedLength(transaction.deleteSet) < VERSION_BEFORE_DELETION_CHARS) return false;
    const fragment = getNotes(transaction.doc);
    const before = encodeNotes(readNotesContent(fragment, showingBefore(transaction)));
    const after = encodeNotes(readNotesContent(fragment));
    if (before.chars - after.chars < VERSION_BEFORE_DELETION_CHARS) return false;
    const by = [...authors];
    authors.clear();
    const large = isLargeDeletion(before.chars, after.chars);
    document.holdWrites(
      inOrder(async () => {
        const beforeId = before.contentHash === lastHash ? (await deps.store.newest(meetingId))?.id : await keep('before_deletion', before, by);
        if (!large || !beforeId) return;
        await keep('large_deletion', after, subject ? [subject] : [], { relatedId: beforeId, removedWords: Math.max(0, before.words - after.words) });
      }),
    );
    if (!large) return false;
    dirtySince = null;
    clearTimer();
    return true;
  };

  const onTransaction = (transaction: Y.Transaction): void =>
    guarded(() => {
      const subject = subjectOf(transaction.origin);
      const fragment = getNotes(transaction.doc);
      if (touches(transaction, fragment)) {
        if (!keepBeforeDeletion(transaction, subject)) {
          if (subject) authors.add(subject);
          schedule();
        }
      }
      if ((transaction.changed as Map<unknown, unknown>).has(getReflectingTurns(transaction.doc))) {
        const next = phaseOf(readReflectingTurns(transaction.doc));
        if (next !== phase) keepNow(next === 'reflecting' ? 'reflecting_started' : 'reflecting_ended');
        phase = next;
      }
    });

  // The guarded document can replace its live Y.Doc (see GuardedDoc): the observer moves with it.
  function follow(): void {
    if (observed === document.doc) return;
    observed.off('afterTransaction', onTransaction);
    observed = document.doc;
    watch(observed);
  }
  function watch(doc: Y.Doc): void {
    // Defined before anything arrives: a root type first written by an update is a generic one, and defining
    // it later replaces that object, so the first transaction's changes would name a type never seen again.
    getNotes(doc);
    getReflectingTurns(doc);
    doc.on('afterTransaction', onTransaction);
  }
  watch(observed);
  // A replaced live document sends no event of its own: looked for once a second (a pointer comparison).
  const following = setInterval(() => guarded(() => {}), 1_000);
  following.unref();

  return () => {
    clearInterval(following);
    // A broken document's memory is ahead of its store: nothing of it is kept as a version.
    guarded(() => {
      if (dirtySince !== null && !document.broken) keepNow('edit');
    });
    clearTimer();
    observed.off('afterTransaction', onTransaction);
    // Settles once every version taken so far is stored (never rejects: see inOrder).
    return stored;
  };
}

/** Whether the transaction changed the notes fragment or anything inside it. */
function touches(transaction: Y.Transaction, fragment: Y.XmlFragment): boolean {
  for (const type of transaction.changed.keys()) {
    for (let t: unknown = type; t instanceof Y.AbstractType; t = t._item?.parent) {
      if (t === fragment) return true;
    }
  }
  return false;
}

/** Items the transaction deleted, whatever they were: a cheap upper bound on the characters it removed. */
function deletedLength(deleteSet: Y.Transaction['deleteSet']): number {
  let length = 0;
  for (const ranges of deleteSet.clients.values()) for (const range of ranges) length += range.len;
  return length;
}

/** The ticket subject of the connection that caused a transaction (see ClientEdit), if any. */
function subjectOf(origin: unknown): string | undefined {
  const change = changeOriginOf(origin);
  return change?.kind === 'client' ? change.peer.subject : undefined;
}
