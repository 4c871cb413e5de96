import * as Y from 'yjs';
import type { DecisionView, MapSummary, NoteBlock, QuestionView, RecordEntry, RecordMap } from '../../shared/api/records.ts';
import { readChat } from '../../shared/doc/chat.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { docKindOf, migrateDoc } from '../../shared/doc/docMigrations.ts';
import { readNetworkMap } from '../../shared/doc/networkMap.ts';
import { readQuestions, type Question } from '../../shared/doc/questions.ts';
import { readReflectionAnswers } from '../../shared/doc/reflectionAnswers.ts';
import { readReflections } from '../../shared/doc/reflections.ts';
import { getNotes } from '../../shared/doc/schema.ts';
import type { DocStore } from '../store/docStore.ts';
import { networkMapSvg } from './networkMapSvg.ts';

/**
 * Reads a stored shared-space document into a fresh Y.Doc (the store is the source of truth: every update
 * is persisted before it is acknowledged), in this release's layout: one not yet migrated (never opened
 * since an upgrade, or sealed) is migrated in memory, for reading only. The caller destroys it.
 */
export async function loadStoredDoc(docs: DocStore, docName: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const { updates } = await docs.load(docName);
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  const kind = docKindOf(docName);
  if (kind) migrateDoc(doc, kind, READ_MIGRATION_ORIGIN);
  return doc;
}

/** The origin of a migration made only to read a document (never stored). */
const READ_MIGRATION_ORIGIN = { kind: 'read-migration' } as const;

/** Runs `read` on a stored document and lets it go afterwards. */
export async function readStoredDoc<T>(docs: DocStore, docName: string, read: (doc: Y.Doc) => T): Promise<T> {
  const doc = await loadStoredDoc(docs, docName);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/** The notes as blocks in order: headings, paragraphs, quotes, code and rules (the editor's basic schema). */
export function noteBlocks(doc: Y.Doc): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  for (const node of getNotes(doc).toArray()) {
    if (!(node instanceof Y.XmlElement)) {
      const text = textOf(node).trim();
      if (text) blocks.push({ kind: 'paragraph', text });
      continue;
    }
    const text = textOf(node);
    switch (node.nodeName) {
      case 'heading':
        blocks.push({ kind: 'heading', text });
        break;
      case 'blockquote':
        blocks.push({ kind: 'quote', text: node.toArray().map(textOf).join('\n') });
        break;
      case 'code_block':
        blocks.push({ kind: 'code', text });
        break;
      case 'horizontal_rule':
        blocks.push({ kind: 'rule', text: '' });
        break;
      default:
        blocks.push({ kind: 'paragraph', text });
    }
  }
  // Empty paragraphs are the editor's spacing, not content.
  return blocks.filter((b) => b.kind === 'rule' || b.text.trim() !== '');
}

/** What the team wrote while reflecting, oldest first. */
export function reflectionsOf(doc: Y.Doc) {
  return readReflections(doc).map((r) => ({ author: r.author.name, role: r.author.role, text: r.text, writtenAt: r.writtenAt }));
}

/**
 * The chat in the order it was written, each line with who sent it and when. Sorted by time: lines sent at
 * once from two screens sit in the shared list in an order Yjs picks, not the order they were written.
 */
export function chatOf(doc: Y.Doc): RecordEntry[] {
  return byTime(readChat(doc).map((m) => entry(m.author, m.text, m.sentAt)));
}

/** What the network made of the reflections, in the order it was written. */
export function reflectionAnswersOf(doc: Y.Doc): RecordEntry[] {
  return byTime(readReflectionAnswers(doc).map((a) => entry(a.author, a.text, a.writtenAt)));
}

/** Sorted by time written; entries written at the same instant keep their order (the sort is stable). */
function byTime(entries: RecordEntry[]): RecordEntry[] {
  return entries.sort((a, b) => a.writtenAt.localeCompare(b.writtenAt));
}

/** The network map with everyone's place on it and its drawing, `centreName` at the centre. */
export function recordMapOf(doc: Y.Doc, centreName: string): RecordMap {
  const map = readNetworkMap(doc);
  const content = {
    centreName,
    people: map.people.map((p) => ({ id: p.id, name: p.name, relationship: p.relationship, closeness: p.closeness, x: p.x, y: p.y })),
    connections: map.connections.map((c) => ({ from: c.from, to: c.to })),
  };
  return { ...content, svg: networkMapSvg(content) };
}

function entry(author: Author, text: string, writtenAt: string): RecordEntry {
  return { author: author.name, role: author.role, text, writtenAt };
}

/** Every question of a network document, as the record shows them. */
export function questionsOf(doc: Y.Doc): QuestionView[] {
  return readQuestions(doc).map(toQuestionView);
}

/** The network map, read only. */
export function mapOf(doc: Y.Doc): MapSummary {
  const map = readNetworkMap(doc);
  return {
    people: map.people.map((p) => ({ id: p.id, name: p.name, relationship: p.relationship, closeness: p.closeness })),
    connections: map.connections.map((c) => ({ from: c.from, to: c.to })),
  };
}

/** Questions discussed at a meeting, and the decisions recorded at it. */
export function questionsOfMeeting(questions: readonly QuestionView[], meetingId: string) {
  const discussed = questions.filter((q) => q.discussedIn.some((m) => m.meetingId === meetingId) || q.decision?.meetingId === meetingId);
  const decisions = discussed.flatMap((q) => (q.decision?.meetingId === meetingId ? [{ ...q.decision, question: q.title }] : []));
  // A meeting's record holds the views given in that meeting, not those given before or since.
  return { questions: discussed.map((q) => ({ ...q, views: q.views.filter((v) => v.meetingId === meetingId) })), decisions };
}

function toQuestionView(q: Question): QuestionView {
  const decision: DecisionView | undefined = q.decision && {
    text: q.decision.text,
    decidedAt: q.decision.decidedAt,
    decidedBy: q.decision.decidedBy.name,
    present: q.decision.present,
    meetingId: q.decision.meetingId,
  };
  return {
    id: q.id,
    title: q.title,
    status: q.status,
    createdAt: q.createdAt,
    discussedIn: q.discussedIn.map((m) => ({ meetingId: m.meetingId, at: m.at })),
    ...(decision ? { decision } : {}),
    views: q.views.map((v) => ({ ...entry(v.author, v.text, v.writtenAt), meetingId: v.meetingId })),
  };
}

/** Plain text of a node: text runs joined, hard breaks as newlines, marks dropped. */
function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    const ops = node.toDelta() as { insert?: unknown }[];
    return ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
  }
  if (node instanceof Y.XmlElement) {
    if (node.nodeName === 'hard_break') return '\n';
    return node.toArray().map(textOf).join('');
  }
  return '';
}
