import * as Y from 'yjs';
import type { z } from 'zod';
import type { ParticipantRole } from '../../shared/api/roles.ts';
import type { DecisionView, MapSummary, NoteBlock, NoteRun, QuestionView, RecordEntry, RecordMap } from '../../shared/api/records.ts';
import { ChatMessage } from '../../shared/doc/chat.ts';
import { docKindOf, migrateDoc } from '../../shared/doc/docMigrations.ts';
import type { Author } from '../../shared/doc/entries.ts';
import { readNetworkMap } from '../../shared/doc/networkMap.ts';
import { readQuestions, viewKey, type Question } from '../../shared/doc/questions.ts';
import { ReflectionAnswer } from '../../shared/doc/reflectionAnswers.ts';
import { Reflection } from '../../shared/doc/reflections.ts';
import { getChat, getNotes, getQuestions, getReflectionAnswers, getReflections } from '../../shared/doc/schema.ts';
import type { DocStore } from '../store/docStore.ts';
import type { Stores } from '../store/stores.ts';
import { LOADED_STATE, SERVER_READ_MIGRATION } from '../sync/origins.ts';
import { newServerDoc } from '../sync/serverDoc.ts';
import { participantName } from './meetingAttendance.ts';
import { networkMapSvg } from './networkMapSvg.ts';

/**
 * Reads a stored shared-space document into a fresh Y.Doc (the store is the source of truth: every update
 * is persisted before it is acknowledged), in this release's layout: one not yet migrated (never opened
 * since an upgrade, or sealed) is migrated in memory, for reading only. The caller destroys it.
 */
export async function loadStoredDoc(docs: DocStore, docName: string): Promise<Y.Doc> {
  const { updates } = await docs.load(docName);
  return docOf(docName, updates);
}

function docOf(docName: string, updates: readonly Uint8Array[]): Y.Doc {
  const doc = newServerDoc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update, LOADED_STATE);
  }, LOADED_STATE);
  const kind = docKindOf(docName);
  if (kind) migrateDoc(doc, kind, SERVER_READ_MIGRATION);
  return doc;
}

/** Whom the server knows as the writer of a Yjs client id of the document being read (see ClientBindings). */
export type AuthorLookup = (clientId: number) => RecordAuthor | undefined;
export interface RecordAuthor {
  name: string;
  role: ParticipantRole;
}

const NOBODY_KNOWN: AuthorLookup = () => undefined;

/**
 * Runs `read` on a stored document with the writers of its client ids, named as the store knows them
 * (accounts and members), and lets the document go afterwards. So the record names authors from the
 * connection the server authenticated, never from a name a client wrote into the document.
 */
export async function readAttributedDoc<T>(stores: Pick<Stores, 'docs' | 'users' | 'members'>, docName: string, read: (doc: Y.Doc, authorOf: AuthorLookup) => T): Promise<T> {
  const { updates, clients = [] } = await stores.docs.load(docName);
  const names = new Map<string, RecordAuthor | undefined>();
  for (const { participantId } of clients) if (!names.has(participantId)) names.set(participantId, await participantName(stores, participantId));
  const writers = new Map<number, RecordAuthor>();
  for (const { clientId, participantId } of clients) {
    const named = names.get(participantId);
    if (named) writers.set(clientId, named);
  }
  const doc = docOf(docName, updates);
  try {
    return read(doc, (clientId) => writers.get(clientId));
  } finally {
    doc.destroy();
  }
}

/** Runs `read` on a stored document and lets it go afterwards. */
export async function readStoredDoc<T>(docs: DocStore, docName: string, read: (doc: Y.Doc) => T): Promise<T> {
  const doc = await loadStoredDoc(docs, docName);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * The notes as blocks in order: headings, paragraphs, quotes, code and rules (the editor's basic schema),
 * each with its text split into runs by writer (`authorOf`).
 */
export function noteBlocks(doc: Y.Doc, authorOf: AuthorLookup = NOBODY_KNOWN): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  const runs = new RunCollector(doc, authorOf);
  for (const node of getNotes(doc).toArray()) {
    if (!(node instanceof Y.XmlElement)) {
      const text = textOf(node).trim();
      if (text) blocks.push({ kind: 'paragraph', text, runs: runs.of([node]) });
      continue;
    }
    const text = textOf(node);
    switch (node.nodeName) {
      case 'heading':
        blocks.push({ kind: 'heading', text, runs: runs.of([node]) });
        break;
      case 'blockquote':
        blocks.push({ kind: 'quote', text: node.toArray().map(textOf).join('\n'), runs: runs.of(node.toArray()) });
        break;
      case 'code_block':
        blocks.push({ kind: 'code', text, runs: runs.of([node]) });
        break;
      case 'horizontal_rule':
        blocks.push({ kind: 'rule', text: '' });
        break;
      default:
        blocks.push({ kind: 'paragraph', text, runs: runs.of([node]) });
    }
  }
  // Empty paragraphs are the editor's spacing, not content.
  return blocks.filter((b) => b.kind === 'rule' || b.text.trim() !== '');
}

/**
 * What the team wrote while reflecting, oldest first. The author is whoever's connection wrote the entry;
 * the name in the entry is used only for entries written before the server recorded writers.
 */
export function reflectionsOf(doc: Y.Doc, authorOf: AuthorLookup = NOBODY_KNOWN) {
  return entriesWithWriters(getReflections(doc), authorOf).flatMap(({ value, writer }) => {
    const parsed = Reflection.safeParse(value);
    if (!parsed.success) return [];
    const r = parsed.data;
    const author = writer ?? { name: r.author.name, role: r.author.role };
    return [{ author: author.name, role: author.role, text: r.text, writtenAt: r.writtenAt }];
  });
}

/**
 * The chat in the order it was written, each line with whoever's connection sent it and when. Sorted by
 * time: lines sent at once from two screens sit in the shared list in an order Yjs picks.
 */
export function chatOf(doc: Y.Doc, authorOf: AuthorLookup = NOBODY_KNOWN): RecordEntry[] {
  return byTime(attributed(getChat(doc), ChatMessage, authorOf).map(({ value, author }) => entry(author, value.text, value.sentAt)));
}

/** What the network made of the reflections, in the order it was written, each with its writer. */
export function reflectionAnswersOf(doc: Y.Doc, authorOf: AuthorLookup = NOBODY_KNOWN): RecordEntry[] {
  return byTime(attributed(getReflectionAnswers(doc), ReflectionAnswer, authorOf).map(({ value, author }) => entry(author, value.text, value.writtenAt)));
}

/**
 * The entries of an array that parse, each with its writer: whoever's connection wrote it, or, for entries
 * written before the server recorded writers, the name in the entry.
 */
function attributed<T extends { author: Author }>(array: Y.Array<unknown>, schema: z.ZodType<T>, authorOf: AuthorLookup): { value: T; author: RecordAuthor }[] {
  return entriesWithWriters(array, authorOf).flatMap(({ value, writer }) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) return [];
    return [{ value: parsed.data, author: writer ?? { name: parsed.data.author.name, role: parsed.data.author.role } }];
  });
}

/** Sorted by time written; entries written at the same instant keep their order (the sort is stable). */
function byTime(entries: RecordEntry[]): RecordEntry[] {
  return entries.sort((a, b) => a.writtenAt.localeCompare(b.writtenAt));
}

function entry(author: RecordAuthor, text: string, writtenAt: string): RecordEntry {
  return { author: author.name, role: author.role, text, writtenAt };
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

/**
 * Every question of a network document, as the record shows them. A decision's recorder is whoever's
 * connection wrote it (see {@link reflectionsOf} for older entries).
 */
export function questionsOf(doc: Y.Doc, authorOf: AuthorLookup = NOBODY_KNOWN): QuestionView[] {
  return readQuestions(doc).map((q) => {
    const entryMap = getQuestions(doc).get(q.id);
    const view = toQuestionView(q, (meetingId, authorId) => writerOfMapKey(entryMap, viewKey(meetingId, authorId), authorOf));
    const recorder = writerOfMapKey(entryMap, 'decision', authorOf);
    return view.decision && recorder ? { ...view, decision: { ...view.decision, decidedBy: recorder.name } } : view;
  });
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
  return { questions: discussed, decisions };
}

/** `viewWriter`: who wrote a person's view in a meeting, when the server knows (else the name in the view). */
function toQuestionView(q: Question, viewWriter: (meetingId: string, authorId: string) => RecordAuthor | undefined = () => undefined): QuestionView {
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
    views: q.views.map((v) => ({ ...entry(viewWriter(v.meetingId, v.author.id) ?? v.author, v.text, v.writtenAt), meetingId: v.meetingId })),
  };
}

/**
 * Runs of text by writer, from the Yjs client id of each stretch of text (Yjs's own attribution of
 * changes between two snapshots, here the empty one and now).
 */
class RunCollector {
  readonly #now: Y.Snapshot;
  readonly #authorOf: AuthorLookup;

  constructor(doc: Y.Doc, authorOf: AuthorLookup) {
    this.#now = Y.snapshot(doc);
    this.#authorOf = authorOf;
  }

  /** The runs of `nodes`, one after the other with a line break between them (a quote's paragraphs). */
  of(nodes: readonly (Y.XmlElement | Y.XmlText | Y.XmlHook)[]): NoteRun[] {
    const runs: NoteRun[] = [];
    nodes.forEach((node, index) => {
      if (index > 0) this.#add(runs, '\n', undefined, true);
      this.#collect(node, runs);
    });
    return runs;
  }

  #collect(node: Y.XmlElement | Y.XmlText | Y.XmlHook, runs: NoteRun[]): void {
    if (node instanceof Y.XmlElement) {
      if (node.nodeName === 'hard_break') return this.#add(runs, '\n', undefined, true);
      for (const child of node.toArray()) this.#collect(child, runs);
      return;
    }
    if (!(node instanceof Y.XmlText)) return;
    const change = (type: 'added' | 'removed', id: Y.ID) => ({ type, client: id.client });
    const ops = node.toDelta(this.#now, Y.emptySnapshot, change) as { insert?: unknown; attributes?: { ychange?: { type: string; client: number } } }[];
    for (const op of ops) {
      const ychange = op.attributes?.ychange;
      if (typeof op.insert !== 'string' || ychange?.type === 'removed') continue;
      this.#add(runs, op.insert, ychange ? this.#authorOf(ychange.client) : undefined, false);
    }
  }

  /** Appends text to the last run when it has the same writer (a line break always joins the last run). */
  #add(runs: NoteRun[], text: string, author: RecordAuthor | undefined, joinLast: boolean): void {
    const last = runs.at(-1);
    if (last && (joinLast || (last.author === author?.name && last.role === author?.role))) {
      last.text += text;
      return;
    }
    runs.push({ text, ...(author ? { author: author.name, role: author.role } : {}) });
  }
}

/** Each entry of an array of plain entries (reflections, chat lines) in order, with whoever's connection wrote it. */
export function entriesWithWriters(array: Y.Array<unknown>, authorOf: AuthorLookup): { value: unknown; writer: RecordAuthor | undefined }[] {
  const entries: { value: unknown; writer: RecordAuthor | undefined }[] = [];
  for (let item = array._start; item; item = item.right) {
    if (item.deleted || !item.countable) continue;
    const writer = authorOf(item.id.client);
    for (const value of item.content.getContent()) entries.push({ value, writer });
  }
  return entries;
}

/** The writer of the current value of `key` in a Y.Map entry (a question's decision). */
export function writerOfMapKey(entry: unknown, key: string, authorOf: AuthorLookup): RecordAuthor | undefined {
  if (!(entry instanceof Y.Map)) return undefined;
  const item = (entry as Y.Map<unknown>)._map.get(key);
  return item && !item.deleted ? authorOf(item.id.client) : undefined;
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
