import type * as Y from 'yjs';
import { z } from 'zod';
import { Author, CHAT_HISTORY_MAX, CHAT_MESSAGE_MAX, cleanText, Instant, LOCAL_ORIGIN, newEntryId, parseAll } from './entries.ts';
import { getChat } from './schema.ts';

/** One chat message. */
export const ChatMessage = z.object({
  id: z.string(),
  author: Author,
  text: z.string().min(1).max(CHAT_MESSAGE_MAX),
  sentAt: Instant,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** Chat messages, oldest first. */
export function readChat(doc: Y.Doc): ChatMessage[] {
  return parseAll(ChatMessage, getChat(doc).toArray());
}

/**
 * Sends a message: trimmed, cut to {@link CHAT_MESSAGE_MAX} characters; blank text sends nothing and
 * returns `undefined`. Beyond {@link CHAT_HISTORY_MAX} messages the oldest are removed.
 */
export function sendChatMessage(doc: Y.Doc, author: Author, text: string, now: Date): string | undefined {
  const clean = cleanText(text, CHAT_MESSAGE_MAX);
  if (!clean) return undefined;
  const message: ChatMessage = { id: newEntryId(), author, text: clean, sentAt: now.toISOString() };
  const chat = getChat(doc);
  doc.transact(() => {
    chat.push([message]);
    const excess = chat.length - CHAT_HISTORY_MAX;
    if (excess > 0) chat.delete(0, excess);
  }, LOCAL_ORIGIN);
  return message.id;
}
