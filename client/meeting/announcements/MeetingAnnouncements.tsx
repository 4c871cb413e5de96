import { createEffect, createSignal, For, on, onCleanup } from 'solid-js';
import type * as Y from 'yjs';
import { readChat } from '../../../shared/doc/chat.ts';
import { readHands } from '../../../shared/doc/hands.ts';
import { phaseOf, readReflectingTurns } from '../../../shared/doc/reflecting.ts';
import { getChat, getHands, getReflectingTurns } from '../../../shared/doc/schema.ts';
import { useMeeting } from '../meetingContext.ts';
import { createAnnouncementQueue } from './announcementQueue.ts';
import type { Happening } from './describeHappenings.ts';

/** How long after first connecting the people found in the room are told as "here" rather than as joining. */
const SETTLE_MS = 5000;
/** Announcements kept in the region; older ones are removed (removals are not read out). */
const KEPT = 4;

/**
 * One polite live region for the meeting room: who joins and leaves, raised and lowered hands, chat
 * messages and the start and end of reflecting, merged and spaced so that a burst does not flood a screen
 * reader. What this person did themselves is not announced: their own button already says it.
 */
export function MeetingAnnouncements() {
  const { meetingDoc, me, present } = useMeeting();
  const [said, setSaid] = createSignal<{ seq: number; text: string }[]>([]);
  let seq = 0;
  const queue = createAnnouncementQueue({
    gatherMs: 700,
    gapMs: 2500,
    say: (text) => setSaid((list) => [...list.slice(1 - KEPT), { seq: ++seq, text }]),
  });
  onCleanup(() => queue.stop());
  // What the document held before this device was in step with the server (its own saved copy, then the
  // server's answer) is history, not news.
  const inStep = () => meetingDoc.saveStatus().inStep;
  let wasInStep = false;
  createEffect(on(inStep, (now) => (wasInStep ||= now)));
  const news = (transaction: Y.Transaction) => wasInStep && !transaction.local;

  watchDoc(getHands(meetingDoc.doc), () => readHands(meetingDoc.doc), (before, after, transaction) => {
    if (!news(transaction)) return;
    const up = new Set(before.map((h) => h.who.id));
    const down = new Set(after.map((h) => h.who.id));
    for (const hand of after) if (!up.has(hand.who.id) && hand.who.id !== me.id) queue.tell({ kind: 'handRaised', id: hand.who.id, name: hand.who.name, mine: false });
    for (const hand of before) if (!down.has(hand.who.id)) queue.tell({ kind: 'handLowered', id: hand.who.id, name: hand.who.name, mine: hand.who.id === me.id });
  });
  watchDoc(getChat(meetingDoc.doc), () => readChat(meetingDoc.doc), (before, after, transaction) => {
    if (!news(transaction)) return;
    const seen = new Set(before.map((m) => m.id));
    for (const message of after) {
      if (!seen.has(message.id) && message.author.id !== me.id) queue.tell({ kind: 'chat', id: message.author.id, name: message.author.name, text: message.text });
    }
  });
  watchDoc(getReflectingTurns(meetingDoc.doc), () => phaseOf(readReflectingTurns(meetingDoc.doc)), (before, after, transaction) => {
    if (news(transaction) && before !== after) queue.tell({ kind: 'phase', phase: after });
  });
  // While this device's own connection is down, everyone else seems gone (their presence is dropped with
  // the socket): who really came and went is told once it is back.
  const connected = () => meetingDoc.saveStatus().connection === 'open' && inStep();
  const settled = watchPresence(present, connected, me.id, (happening) => queue.tell(happening));

  return (
    <div id="meeting-announcements" class="visually-hidden" role="status" aria-live="polite" aria-atomic="false" data-settled={settled()}>
      <For each={said()}>{(line) => <p>{line.text}</p>}</For>
    </div>
  );
}

/** Calls `changed` with what `read` gave before and after every change of `type`; unobserves on cleanup. */
function watchDoc<T>(type: Pick<Y.AbstractType<unknown>, 'observeDeep' | 'unobserveDeep'>, read: () => T, changed: (before: T, after: T, transaction: Y.Transaction) => void): void {
  let before = read();
  const observer = (_events: unknown, transaction: Y.Transaction) => {
    const after = read();
    changed(before, after, transaction);
    before = after;
  };
  type.observeDeep(observer);
  onCleanup(() => type.unobserveDeep(observer));
}

/**
 * Joins and leaves of others, from who is present (the shared space or video). Those found in the first
 * moments after arriving were already here: they are told as "here", so a newcomer learns who is in the room.
 * Nothing is told while `connected` is false; changes are told against who was here before. Returns
 * whether those first moments are over.
 */
function watchPresence(
  present: () => readonly { id: string; name: string }[],
  connected: () => boolean,
  myId: string,
  tell: (happening: Happening) => void,
): () => boolean {
  // Said on the region, so that a test can wait for arrivals to count as joins.
  const [settled, setSettled] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  let before = new Map<string, string>();
  let comparing = false;
  const compare = () => {
    comparing = false;
    if (!connected()) return;
    // The first moments count from the first connection: a slow phone may take a while to get there.
    timer ??= setTimeout(() => setSettled(true), SETTLE_MS);
    const after = new Map(present().filter((p) => p.id !== myId).map((p) => [p.id, p.name]));
    for (const [id, name] of after) if (!before.has(id)) tell({ kind: settled() ? 'joined' : 'here', id, name });
    for (const [id, name] of before) if (!after.has(id)) tell({ kind: 'left', id, name });
    before = after;
  };
  // Compared a moment later: a closing socket drops everyone's presence before it says it is closed.
  createEffect(
    on([present, connected], () => {
      if (comparing) return;
      comparing = true;
      queueMicrotask(compare);
    }),
  );
  return settled;
}
