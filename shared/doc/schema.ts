import * as Y from 'yjs';

/**
 * Every top-level key of a meeting's shared-space document. Only the accessors below call
 * `doc.getX(key)`, so a key's type is fixed in one place (Yjs cannot change a key's type later).
 */
export const MEETING_DOC_KEYS = {
  /** Rich-text notes, a ProseMirror document bound through y-prosemirror. */
  notes: 'notes',
  /** Document metadata such as the schema version. */
  meta: 'meta',
  /** Reflecting turns: a Y.Map from turn id to a plain `ReflectingTurn` (see `reflecting.ts`). */
  reflectingTurns: 'reflectingTurns',
  /** What the team said while reflecting: a Y.Array of plain `Reflection` entries. */
  reflections: 'reflections',
  /** Speaking time: a Y.Map from participant id to a plain `VoiceEntry`, each written by its own client. */
  voices: 'voices',
  /** Raised hands in the order they were raised: a Y.Array of plain `RaisedHand` entries. */
  hands: 'hands',
  /** The text chat: a Y.Array of plain `ChatMessage` entries, oldest first. */
  chat: 'chat',
  /** Everyone who has joined this meeting: a Y.Map from participant id to a plain `Author` (see `participants.ts`). */
  participants: 'participants',
  /**
   * Who wrote which passage of the notes: the store of a `Y.PermanentUserData`, mapping each participant id
   * to the Yjs client ids they wrote with (see `noteAuthorship.ts`). Its inner layout is Yjs's own.
   */
  noteAuthorship: 'noteAuthorship',
  /** What the network made of the team's reflections: a Y.Array of plain `ReflectionAnswer` entries. */
  reflectionAnswers: 'reflectionAnswers',
} as const;

/**
 * Every top-level key of a network's document: what outlives a single meeting (the network map, open
 * questions kept open across meetings). Only the accessors below call `doc.getX(key)`.
 */
export const NETWORK_DOC_KEYS = {
  /** Open questions: a Y.Map from question id to a Y.Map of its fields (see `questions.ts`). */
  questions: 'questions',
  /** People on the network map: a Y.Map from person id to a Y.Map of their fields (see `networkMap.ts`). */
  mapPeople: 'mapPeople',
  /** Connections on the network map: a Y.Map from connection id to a plain `MapConnection`. */
  mapConnections: 'mapConnections',
  /** Document metadata such as the schema version (written by the server, see `docMigrations.ts`). */
  meta: 'meta',
} as const;

/**
 * Version of the meeting document's layout; bump it with a step in `docMigrations.ts` when a key changes
 * shape. A document written before versions existed has none stored and is version 1.
 */
export const MEETING_DOC_SCHEMA_VERSION = 1;

/** Version of the network document's layout; as {@link MEETING_DOC_SCHEMA_VERSION}. */
export const NETWORK_DOC_SCHEMA_VERSION = 1;

/** The notes fragment (a Y.XmlFragment holding ProseMirror nodes). */
export function getNotes(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(MEETING_DOC_KEYS.notes);
}

/** The metadata map. */
export function getMeta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MEETING_DOC_KEYS.meta);
}

/** The metadata map of a network's document. */
export function getNetworkMeta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(NETWORK_DOC_KEYS.meta);
}

/** Reflecting turns by id. Values are plain objects; read them through `reflecting.ts`. */
export function getReflectingTurns(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MEETING_DOC_KEYS.reflectingTurns);
}

/** Reflections, oldest first. Values are plain objects; read them through `reflections.ts`. */
export function getReflections(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray(MEETING_DOC_KEYS.reflections);
}

/** The network's answers to the reflections, oldest first. Values are plain objects; read them through `reflectionAnswers.ts`. */
export function getReflectionAnswers(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray(MEETING_DOC_KEYS.reflectionAnswers);
}

/** Open questions by id, in a network's document; each value is a Y.Map (see `questions.ts`). */
export function getQuestions(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(NETWORK_DOC_KEYS.questions);
}

/** Network-map people by id, in a network's document; each value is a Y.Map (see `networkMap.ts`). */
export function getMapPeople(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(NETWORK_DOC_KEYS.mapPeople);
}

/** Network-map connections by id, in a network's document; values are plain objects. */
export function getMapConnections(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(NETWORK_DOC_KEYS.mapConnections);
}

/** Speaking time by participant id; values are plain objects. */
export function getVoices(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MEETING_DOC_KEYS.voices);
}

/** Raised hands, first raised first; values are plain objects. */
export function getHands(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray(MEETING_DOC_KEYS.hands);
}

/** Chat messages, oldest first; values are plain objects. */
export function getChat(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray(MEETING_DOC_KEYS.chat);
}

/** Everyone who has joined this meeting, by participant id; values are plain objects. */
export function getParticipants(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MEETING_DOC_KEYS.participants);
}

/** The store behind the notes' `Y.PermanentUserData`; only `noteAuthorship.ts` should read or write it. */
export function getNoteAuthorship(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MEETING_DOC_KEYS.noteAuthorship);
}

/**
 * Plain text of the notes, paragraphs joined by newlines. For exports and tests; never for logs.
 * Returns '' for an empty document.
 */
export function notesPlainText(doc: Y.Doc): string {
  return getNotes(doc)
    .toArray()
    .map((node) => xmlText(node))
    .join('\n');
}

function xmlText(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    // The delta, not toString(): toString() renders marks as tags and would garble a typed "<".
    const ops = node.toDelta() as { insert?: unknown }[];
    return ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
  }
  if (node instanceof Y.XmlElement) return node.toArray().map((child) => xmlText(child)).join('');
  return '';
}
