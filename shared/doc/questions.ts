import * as Y from 'yjs';
import { z } from 'zod';
import { asEntryMap, Author, cleanText, DECISION_MAX, Instant, LOCAL_ORIGIN, newEntryId, parseAll, QUESTION_TITLE_MAX, QUESTION_VIEW_MAX } from './entries.ts';
import { getQuestions } from './schema.ts';

/** A meeting at which a question was discussed. */
export const MeetingMention = z.object({ meetingId: z.string(), meetingTitle: z.string(), at: Instant });
export type MeetingMention = z.infer<typeof MeetingMention>;

/** How a question was closed: what was decided, when, by whom, and who was present then. */
export const Decision = z.object({
  text: z.string().min(1).max(DECISION_MAX),
  decidedAt: Instant,
  decidedBy: Author,
  /** Names of everyone present in the meeting when the decision was recorded. */
  present: z.array(z.string()).max(100),
  meetingId: z.string(),
});
export type Decision = z.infer<typeof Decision>;

/** What one person thinks about a question, as they put it in one meeting. */
export const PersonView = z.object({
  author: Author,
  text: z.string().min(1).max(QUESTION_VIEW_MAX),
  writtenAt: Instant,
  meetingId: z.string(),
});
export type PersonView = z.infer<typeof PersonView>;

export const QUESTION_STATUSES = ['open', 'decided'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

/** A snapshot of one open question. */
export interface Question {
  id: string;
  title: string;
  status: QuestionStatus;
  createdAt: string;
  createdBy: Author;
  discussedIn: MeetingMention[];
  decision: Decision | undefined;
  /** Each person's view, at most one per person and meeting, oldest first. */
  views: PersonView[];
}

// Each question is a Y.Map, so that two people changing different fields at once both keep their change.
const FIELD = { title: 'title', status: 'status', createdAt: 'createdAt', createdBy: 'createdBy', discussedIn: 'discussedIn', decision: 'decision' } as const;
/**
 * Views are plain values in the question's own map, one key per meeting and person (`view:<meeting>:<person>`):
 * each key has one writer, so two people giving their view at once never overwrite each other, and no nested
 * container has to be created first (two clients creating one at once would lose one's writes).
 */
const VIEW_PREFIX = 'view:';
/** The key of one person's view in a question's map (the record reads who wrote it from the key's item). */
export const viewKey = (meetingId: string, authorId: string) => `${VIEW_PREFIX}${meetingId}:${authorId}`;

/** Every question, oldest first. Malformed entries are left out. */
export function readQuestions(doc: Y.Doc): Question[] {
  const questions: Question[] = [];
  for (const [id, value] of getQuestions(doc).entries()) {
    const question = readQuestion(id, value);
    if (question) questions.push(question);
  }
  return questions.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Adds an open question, noting the current meeting as one where it was discussed. */
export function addQuestion(doc: Y.Doc, title: string, by: Author, meeting: MeetingMention): string | undefined {
  const clean = cleanText(title, QUESTION_TITLE_MAX);
  if (!clean) return undefined;
  const id = newEntryId();
  doc.transact(() => {
    const question = new Y.Map<unknown>();
    getQuestions(doc).set(id, question);
    question.set(FIELD.title, clean);
    question.set(FIELD.status, 'open');
    question.set(FIELD.createdAt, meeting.at);
    question.set(FIELD.createdBy, by);
    const discussed = new Y.Array<unknown>();
    question.set(FIELD.discussedIn, discussed);
    discussed.push([meeting]);
  }, LOCAL_ORIGIN);
  return id;
}

/** Notes that the question was discussed in this meeting; once per meeting. `false` if no such question. */
export function markDiscussed(doc: Y.Doc, id: string, meeting: MeetingMention): boolean {
  const discussed = questionMap(doc, id)?.get(FIELD.discussedIn);
  if (!(discussed instanceof Y.Array)) return false;
  if (parseAll(MeetingMention, discussed.toArray()).some((m) => m.meetingId === meeting.meetingId)) return true;
  doc.transact(() => discussed.push([meeting]), LOCAL_ORIGIN);
  return true;
}

/**
 * Closes a question with a decision, recording who was present; also marks it discussed in this meeting.
 * Blank decision text changes nothing and returns `false`.
 */
export function decideQuestion(doc: Y.Doc, id: string, input: { text: string; by: Author; present: readonly string[]; meeting: MeetingMention }): boolean {
  const question = questionMap(doc, id);
  const text = cleanText(input.text, DECISION_MAX);
  if (!question || !text) return false;
  const present = [...new Set(input.present)].slice(0, 100);
  const decision: Decision = { text, decidedAt: input.meeting.at, decidedBy: input.by, present, meetingId: input.meeting.meetingId };
  doc.transact(() => {
    markDiscussed(doc, id, input.meeting);
    question.set(FIELD.decision, decision);
    question.set(FIELD.status, 'decided');
  }, LOCAL_ORIGIN);
  return true;
}

/**
 * Sets `by`'s view on a question for this meeting (replacing the one they gave earlier in the same meeting)
 * and marks the question discussed here. Blank text removes their view. `false` if no such question.
 */
export function setView(doc: Y.Doc, id: string, input: { text: string; by: Author; meeting: MeetingMention; now: Date }): boolean {
  const question = questionMap(doc, id);
  if (!question) return false;
  const key = viewKey(input.meeting.meetingId, input.by.id);
  const text = cleanText(input.text, QUESTION_VIEW_MAX);
  doc.transact(() => {
    if (!text) {
      question.delete(key);
      return;
    }
    markDiscussed(doc, id, input.meeting);
    const view: PersonView = { author: input.by, text, writtenAt: input.now.toISOString(), meetingId: input.meeting.meetingId };
    question.set(key, view);
  }, LOCAL_ORIGIN);
  return true;
}

/** Opens a decided question again (the decision stays on record until a new one replaces it). */
export function reopenQuestion(doc: Y.Doc, id: string): boolean {
  const question = questionMap(doc, id);
  if (!question) return false;
  doc.transact(() => question.set(FIELD.status, 'open'), LOCAL_ORIGIN);
  return true;
}

function questionMap(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  return asEntryMap(getQuestions(doc).get(id));
}

function readQuestion(id: string, entry: unknown): Question | undefined {
  const value = asEntryMap(entry);
  if (!value) return undefined;
  const title = z.string().min(1).safeParse(value.get(FIELD.title));
  const status = z.enum(QUESTION_STATUSES).safeParse(value.get(FIELD.status));
  const createdAt = Instant.safeParse(value.get(FIELD.createdAt));
  const createdBy = Author.safeParse(value.get(FIELD.createdBy));
  if (!title.success || !status.success || !createdAt.success || !createdBy.success) return undefined;
  const discussed = value.get(FIELD.discussedIn);
  const decision = Decision.safeParse(value.get(FIELD.decision));
  return {
    id,
    title: title.data,
    status: status.data,
    createdAt: createdAt.data,
    createdBy: createdBy.data,
    discussedIn: discussed instanceof Y.Array ? parseAll(MeetingMention, discussed.toArray()) : [],
    decision: decision.success ? decision.data : undefined,
    views: viewsOf(value),
  };
}

function viewsOf(question: Y.Map<unknown>): PersonView[] {
  const views: PersonView[] = [];
  for (const [key, value] of question.entries()) {
    if (!key.startsWith(VIEW_PREFIX)) continue;
    const view = PersonView.safeParse(value);
    // A view is only taken under its own key: a value copied under someone else's key is not theirs.
    if (view.success && key === viewKey(view.data.meetingId, view.data.author.id)) views.push(view.data);
  }
  return views.sort((a, b) => a.writtenAt.localeCompare(b.writtenAt) || a.author.name.localeCompare(b.author.name));
}
