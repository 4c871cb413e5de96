import * as Y from 'yjs';
import { MAX_NOTES_DEPTH, type NotesNode } from './notesNode.ts';

export { MAX_NOTES_DEPTH, NotesNode } from './notesNode.ts';

/** Which items of the document count: those showing now, or those that showed before a transaction. */
export type ItemFilter = (item: Y.Item) => boolean;

/** Items showing now. */
export const showingNow: ItemFilter = (item) => !item.deleted;

/**
 * Items that showed just before `transaction`: not inserted by it, and either not deleted or deleted by it.
 * Valid only while the transaction's content is still in memory, i.e. inside an `afterTransaction` handler
 * (Yjs garbage-collects what a transaction deleted only after that event).
 */
export function showingBefore(transaction: Y.Transaction): ItemFilter {
  return (item) => {
    if (item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)) return false;
    return !item.deleted || Y.isDeleted(transaction.deleteSet, item.id);
  };
}

/**
 * The notes as ProseMirror JSON (`{type: 'doc', content}`), read from the y-prosemirror fragment through
 * `filter` (now, or as they were before a transaction). Element attributes are read as of the same moment.
 */
export function readNotesContent(fragment: Y.XmlFragment, filter: ItemFilter = showingNow): NotesNode {
  return { type: 'doc', content: childrenOf(fragment, filter, 0) };
}

function childrenOf(type: Y.XmlFragment | Y.XmlElement, filter: ItemFilter, depth: number): NotesNode[] {
  const nodes: NotesNode[] = [];
  if (depth > MAX_NOTES_DEPTH) return nodes;
  for (let item = type._start; item !== null; item = item.right) {
    if (!filter(item) || !(item.content instanceof Y.ContentType)) continue;
    const child: unknown = item.content.type;
    if (child instanceof Y.XmlElement) nodes.push(elementOf(child as Y.XmlElement, filter, depth + 1));
    else if (child instanceof Y.XmlText) nodes.push(...textNodesOf(child, filter));
  }
  return nodes;
}

function elementOf(element: Y.XmlElement, filter: ItemFilter, depth: number): NotesNode {
  const node: NotesNode = { type: element.nodeName };
  const attrs = attributesOf(element, filter);
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  const content = childrenOf(element, filter, depth);
  if (content.length > 0) node.content = content;
  return node;
}

/** Each attribute's value as of the filter: the newest write of that key the filter lets through. */
function attributesOf(type: Y.XmlElement, filter: ItemFilter): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const [key, newest] of type._map) {
    let item: Y.Item | null = newest;
    while (item !== null && !filter(item)) item = item.left;
    const value: unknown = item?.content.getContent().at(-1);
    if (item !== null && value !== null && value !== undefined) attrs[key] = value;
  }
  return attrs;
}

/** Text runs with their marks; y-prosemirror stores each mark as a format attribute (`name` or `name--hash`). */
function textNodesOf(text: Y.XmlText, filter: ItemFilter): NotesNode[] {
  const nodes: NotesNode[] = [];
  const formats = new Map<string, unknown>();
  for (let item = text._start; item !== null; item = item.right) {
    if (!filter(item)) continue;
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      if (content.value === null) formats.delete(content.key);
      else formats.set(content.key, content.value);
    } else if (content instanceof Y.ContentString) {
      const marks = [...formats].map(([key, value]) => markOf(key, value));
      const last = nodes.at(-1);
      if (last && sameMarks(last.marks, marks)) last.text = `${last.text ?? ''}${content.str}`;
      else nodes.push(marks.length > 0 ? { type: 'text', text: content.str, marks } : { type: 'text', text: content.str });
    }
  }
  return nodes.filter((node) => node.text !== '');
}

function markOf(key: string, value: unknown): { type: string; attrs?: Record<string, unknown> } {
  const type = /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;
  if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) return { type, attrs: { ...(value as Record<string, unknown>) } };
  return { type };
}

function sameMarks(a: NotesNode['marks'], b: NotesNode['marks']): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** The notes' plain text, blocks separated by newlines. Never for logs. */
export function notesText(node: NotesNode): string {
  if (node.text !== undefined) return node.text;
  const parts = (node.content ?? []).map(notesText);
  return node.content?.some((child) => child.text === undefined) ? parts.join('\n') : parts.join('');
}

/** Words in the notes: runs of letters or digits (any script), so "don't" and "12:30" count sensibly. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’.:-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
