import { createEffect, createSignal, For, on } from 'solid-js';
import { readChat } from '../../../shared/doc/chat.ts';
import { sendChatMessage } from '../../../shared/doc/chat.ts';
import { CHAT_MESSAGE_MAX } from '../../../shared/doc/entries.ts';
import { getChat } from '../../../shared/doc/schema.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';
import { timeOfDay } from '../space/formatTime.ts';

/** A text chat kept with the shared space: attributed, visible to everyone, part of the record. */
export function ChatPanel() {
  const { meetingDoc, me } = useMeeting();
  const messages = createDocSnapshot([getChat(meetingDoc.doc)], () => readChat(meetingDoc.doc));
  const [draft, setDraft] = createSignal('');
  let list: HTMLOListElement | undefined;
  // Keep the newest message in view, as a chat does (scrolling only the list, not the page).
  createEffect(
    on(
      () => messages().length,
      () => {
        if (list) list.scrollTop = list.scrollHeight;
      },
    ),
  );
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (sendChatMessage(meetingDoc.doc, me, draft(), new Date())) setDraft('');
  };
  return (
    <>
      <p class="hint">Messages here are kept with the shared notes. Everyone in the meeting can read them.</p>
      {/* It scrolls with nothing focusable in it: keyboard users must be able to scroll it too. */}
      <ol class="entry-list chat-list" aria-label="Chat messages" ref={list} tabindex="0">
        <For each={messages()} fallback={<li class="empty">No messages yet.</li>}>
          {(message) => (
            <li class="entry" classList={{ mine: message.author.id === me.id }}>
              <p class="entry-meta">
                <strong>{message.author.id === me.id ? 'You' : message.author.name}</strong> ·{' '}
                <time datetime={message.sentAt}>{timeOfDay(message.sentAt)}</time>
              </p>
              <p class="entry-text">{message.text}</p>
            </li>
          )}
        </For>
      </ol>
      <form class="row compose" onSubmit={submit}>
        <label for="chat-text" class="visually-hidden">
          Message
        </label>
        <input id="chat-text" type="text" maxLength={CHAT_MESSAGE_MAX} autocomplete="off" placeholder="Write a message" value={draft()} onInput={(e) => setDraft(e.currentTarget.value)} />
        <button type="submit" disabled={!draft().trim()}>
          Send
        </button>
      </form>
    </>
  );
}
