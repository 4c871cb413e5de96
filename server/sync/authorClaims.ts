import * as Y from 'yjs';
import { Author } from '../../shared/doc/entries.ts';
import type { ParticipantRole } from '../../shared/api/roles.ts';

/** Whom a connection writes as: the participant id the server authenticated, and their role when known. */
export interface WriterIdentity {
  readonly id: string;
  readonly role: ParticipantRole | undefined;
}

/** How deep into a written value authors are looked for (an entry, its fields, a field's fields). */
const MAX_DEPTH = 4;

/**
 * Whether an update names only its writer as an author. Every value of the shape of an {@link Author}
 * (`{id, name, role}`: a chat line's author, a reflection's, a question's creator, a decision's recorder,
 * a participants entry...) in the content the update adds must carry the writer's participant id, and
 * their role when the server knows it. The name is not checked: people choose the name they join under;
 * the record names everyone from the server's own list (see recordDocuments.ts).
 *
 * One exception keeps real edits working: an entry that replaces another under the same key may carry an
 * author of the entry it replaces, unchanged at the same place (ending the reflecting turn a colleague
 * started rewrites that turn with its `startedBy`).
 *
 * Only content is checked: typed text (the hot path) is skipped at once. Deletions name nobody.
 */
export function namesOnlyWriter(doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[], writer: WriterIdentity): boolean {
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || !carriesValues(struct.content)) continue;
    const state = Y.getState(doc.store, struct.id.client);
    if (struct.id.clock + struct.length <= state) continue;
    const replaced = replacedValue(doc, struct);
    for (const value of struct.content.getContent()) {
      for (const { path, author } of authorsIn(value)) {
        if (author.id === writer.id && (writer.role === undefined || author.role === writer.role)) continue;
        if (replaced !== undefined && sameAuthorAt(replaced, path, author)) continue;
        return false;
      }
    }
  }
  return true;
}

function carriesValues(content: Y.Item['content']): boolean {
  return content instanceof Y.ContentAny || content instanceof Y.ContentJSON || content instanceof Y.ContentEmbed;
}

/**
 * The value a map entry replaces: the one its origin points at, if the document holds it. (A decoded
 * struct with an origin carries no key of its own: Yjs takes the key from the origin when it integrates
 * it, so an origin that is a map entry means the same key. An array entry's origin is its left neighbour,
 * which it replaces nothing of.)
 */
function replacedValue(doc: Y.Doc, item: Y.Item): unknown {
  const origin = item.origin;
  if (!origin || Y.getState(doc.store, origin.client) <= origin.clock) return undefined;
  const previous = Y.getItem(doc.store, origin);
  if (!(previous instanceof Y.Item) || previous.parentSub === null || previous.deleted || !carriesValues(previous.content)) return undefined;
  return previous.content.getContent()[origin.clock - previous.id.clock];
}

interface FoundAuthor {
  path: string;
  author: Author;
}

/** Every Author-shaped value in `value`, with the path of keys to it ('' for the value itself). */
export function authorsIn(value: unknown, path = '', depth = 0, found: FoundAuthor[] = []): FoundAuthor[] {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return found;
  const parsed = Author.safeParse(value);
  if (parsed.success) found.push({ path, author: parsed.data });
  if (Array.isArray(value)) value.forEach((inner, index) => authorsIn(inner, `${path}/${index}`, depth + 1, found));
  else for (const [key, inner] of Object.entries(value)) authorsIn(inner, `${path}/${key}`, depth + 1, found);
  return found;
}

function sameAuthorAt(replaced: unknown, path: string, author: Author): boolean {
  const before = authorsIn(replaced).find((entry) => entry.path === path)?.author;
  return before !== undefined && before.id === author.id && before.role === author.role && before.name === author.name;
}
