import { createSignal, Show, untrack } from 'solid-js';
import { readChat } from '../../../shared/doc/chat.ts';
import { readReflections } from '../../../shared/doc/reflections.ts';
import { getChat, getReflections } from '../../../shared/doc/schema.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';

const KEY_PREFIX = 'polyphony.leftAt.';

/**
 * Whether this person is coming back to a meeting they left in this tab, and when they left. Only the
 * time is kept (in the tab's session storage), never anything that was written.
 */
export function createReturnNotice(docName: string) {
  const key = KEY_PREFIX + docName;
  const leftAt = sessionStorage.getItem(key) ?? undefined;
  sessionStorage.removeItem(key);
  const [shown, setShown] = createSignal(leftAt !== undefined);
  return {
    leftAt,
    shown,
    dismiss: () => setShown(false),
    /** Called on leaving, so that joining again from this tab says what happened meanwhile. */
    remember: () => sessionStorage.setItem(key, new Date().toISOString()),
  };
}

export type ReturnNotice = ReturnType<typeof createReturnNotice>;

/** "Welcome back": everything written meanwhile is in the shared space, and what is new since leaving. */
export function WelcomeBack(props: { notice: ReturnNotice }) {
  const { meetingDoc } = useMeeting();
  // The notice is made once per meeting room and its time of leaving never changes.
  const since = untrack(() => props.notice.leftAt) ?? '';
  const newChat = createDocSnapshot([getChat(meetingDoc.doc)], () => readChat(meetingDoc.doc).filter((m) => m.sentAt > since).length);
  const newReflections = createDocSnapshot([getReflections(meetingDoc.doc)], () => readReflections(meetingDoc.doc).filter((r) => r.writtenAt > since).length);
  const news = () =>
    [plural(newChat(), 'chat message'), plural(newReflections(), 'reflection')].filter((part): part is string => part !== undefined).join(' and ');
  return (
    <Show when={props.notice.shown()}>
      <section class="phase-banner returned welcome-back" aria-labelledby="welcome-back-heading">
        <div class="phase-text" role="status">
          <p id="welcome-back-heading" class="phase-title">
            Welcome back.
          </p>
          <p>
            Everything written while you were away is here: the notes, the map, the open questions and the chat.
            <Show when={news()}>{(text) => ` New since you left: ${text()}.`}</Show>
          </p>
        </div>
        <button type="button" class="small" onClick={() => props.notice.dismiss()}>
          Close this message
        </button>
      </section>
    </Show>
  );
}

function plural(count: number, noun: string): string | undefined {
  if (count === 0) return undefined;
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
