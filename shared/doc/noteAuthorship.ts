import * as Y from 'yjs';
import { getNoteAuthorship, getNotes } from './schema.ts';

/**
 * Who wrote which passage of the notes, kept in the meeting's document with Yjs's own
 * `PermanentUserData`: each participant id maps to the Yjs client ids that person wrote with (a new one per
 * device and per join). y-prosemirror reads the same object to mark passages by author.
 */
export function createNoteAuthorship(doc: Y.Doc): Y.PermanentUserData {
  return new Y.PermanentUserData(doc, getNoteAuthorship(doc));
}

/**
 * Records that this document's client writes as `participantId`. Call it once the document is in step with
 * the server: called earlier, a first entry for a person could replace the one the server already holds
 * (a rejoin) and lose which earlier passages were theirs. Deletions are not recorded (only who wrote what
 * is shown, never who removed what), so this writes once per join and not on every keystroke.
 */
export function claimAuthorship(authorship: Y.PermanentUserData, doc: Y.Doc, participantId: string): void {
  const known = authorship.clients.get(doc.clientID);
  if (known === participantId) return;
  authorship.setUserMapping(doc, doc.clientID, participantId, { filter: () => false });
}

/** One stretch of text in one paragraph, written by one person (`undefined` when nobody is known). */
export interface AuthoredRun {
  text: string;
  authorId: string | undefined;
}

/**
 * The notes as paragraphs of runs by author, as they read now. For the "who wrote what" view's tests and for
 * exports; the editor marks passages through y-prosemirror instead.
 */
export function notesByAuthor(doc: Y.Doc, authorship: Y.PermanentUserData): AuthoredRun[][] {
  const now = Y.snapshot(doc);
  const paragraphs: AuthoredRun[][] = [];
  for (const node of getNotes(doc).toArray()) {
    const runs: AuthoredRun[] = [];
    collectRuns(node, now, authorship, runs);
    paragraphs.push(runs);
  }
  return paragraphs;
}

function collectRuns(node: Y.XmlElement | Y.XmlText | Y.XmlHook, now: Y.Snapshot, authorship: Y.PermanentUserData, runs: AuthoredRun[]): void {
  if (node instanceof Y.XmlElement) {
    for (const child of node.toArray()) collectRuns(child, now, authorship, runs);
    return;
  }
  if (!(node instanceof Y.XmlText)) return;
  const change = (type: 'added' | 'removed', id: Y.ID) => ({ type, authorId: type === 'added' ? authorOf(authorship, id.client) : undefined });
  const ops = node.toDelta(now, Y.emptySnapshot, change) as { insert?: unknown; attributes?: { ychange?: { type: string; authorId: string | undefined } } }[];
  for (const op of ops) {
    if (typeof op.insert !== 'string' || op.attributes?.ychange?.type === 'removed') continue;
    const authorId = op.attributes?.ychange?.authorId;
    const last = runs.at(-1);
    if (last && last.authorId === authorId) last.text += op.insert;
    else runs.push({ text: op.insert, authorId });
  }
}

/** The participant id a Yjs client wrote as (Yjs types it `any`; the mapping holds the strings we set). */
function authorOf(authorship: Y.PermanentUserData, clientId: number): string | undefined {
  const user: unknown = authorship.getUserByClientId(clientId);
  return typeof user === 'string' ? user : undefined;
}
