import { For, Show } from 'solid-js';
import { RECORD_ROLE_LABELS as ROLE_LABELS, type MeetingRecord, type QuestionView, type RecordEntry } from '../../../shared/api/records.ts';
import { CLOSENESS_LABELS } from '../../../shared/doc/networkMap.ts';
import { formatTimeIn } from './formatWhen.ts';

/** When each person was in the meeting: every stay from joining to leaving, in the network's time zone. */
export function RecordAttendance(props: { record: MeetingRecord }) {
  const r = () => props.record;
  const id = () => `attendance-${r().meeting.id}`;
  const at = (iso: string) => formatTimeIn(iso, r().timeZone);
  return (
    <section aria-labelledby={id()}>
      <h3 id={id()}>Who was there, and when</h3>
      <Show when={r().attendees.length > 0} fallback={<p class="hint">Nobody is recorded as having joined.</p>}>
        <ul class="entry-list">
          <For each={r().attendees}>
            {(a) => (
              <li class="entry">
                <p class="entry-meta">
                  <strong>{a.name}</strong> ({ROLE_LABELS[a.role]})
                </p>
                <p class="entry-text">
                  <Show
                    when={a.stays && a.stays.length > 0 ? a.stays : undefined}
                    fallback={<>Joined at {at(a.firstJoinedAt)}{a.lastLeftAt ? `, left at ${at(a.lastLeftAt)}` : ''}</>}
                  >
                    {(stays) => stays().map((s) => `From ${at(s.joinedAt)} to ${s.leftAt ? at(s.leftAt) : 'now'}`).join('; ')}
                  </Show>
                </p>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** What the network made of the team's reflections, kept right after them. */
export function RecordReflectionAnswers(props: { record: MeetingRecord }) {
  const id = () => `answers-${props.record.meeting.id}`;
  return (
    <section aria-labelledby={id()}>
      <h3 id={id()}>What the network made of it</h3>
      <Entries entries={props.record.reflectionAnswers} timeZone={props.record.timeZone} empty="Nobody in the network wrote an answer." />
    </section>
  );
}

/** Each person's view on a question, as given in this meeting. */
export function ViewsOf(props: { question: QuestionView; timeZone: string }) {
  return (
    <Show when={props.question.views.length > 0}>
      <ul class="view-list" aria-label={`Views on “${props.question.title}”`}>
        <For each={props.question.views}>
          {(v) => (
            <li>
              <strong>{v.author}</strong> ({ROLE_LABELS[v.role]}, {formatTimeIn(v.writtenAt, props.timeZone)}): {v.text}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** The chat, line by line with who wrote it and when. */
export function RecordChat(props: { record: MeetingRecord }) {
  const id = () => `chat-${props.record.meeting.id}`;
  return (
    <section aria-labelledby={id()}>
      <h3 id={id()}>Chat</h3>
      <Entries entries={props.record.chat} timeZone={props.record.timeZone} empty="Nothing was written in the chat." />
    </section>
  );
}

/**
 * The network map as the server drew it, shown as an image (an SVG image runs nothing), with the same
 * people in words beside it for screen readers and for anyone who cannot read the drawing.
 */
export function RecordMapSection(props: { record: MeetingRecord }) {
  const id = () => `map-${props.record.meeting.id}`;
  const map = () => props.record.networkMap;
  const names = () => new Map((map()?.people ?? []).map((p) => [p.id, p.name]));
  const linksOf = (personId: string) =>
    (map()?.connections ?? []).flatMap((c) => (c.from === personId ? [c.to] : c.to === personId ? [c.from] : [])).map((other) => names().get(other) ?? '');
  return (
    <section aria-labelledby={id()} class="record-map">
      <h3 id={id()}>Network map</h3>
      <Show when={map()?.people.length ? map() : undefined} fallback={<p class="hint">Nobody was placed on the network map.</p>}>
        {(m) => (
          <>
            <img class="record-map-image" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(m().svg)}`} alt={`Network map with ${m().centreName} at the centre. The people on it are listed below.`} />
            <ul class="entry-list" aria-label="People on the network map">
              <For each={m().people}>
                {(p) => (
                  <li class="entry">
                    <strong>{p.name}</strong>
                    {p.relationship ? `, ${p.relationship}` : ''}, {CLOSENESS_LABELS[p.closeness]}
                    {linksOf(p.id).length ? `. Connected with ${linksOf(p.id).join(', ')}` : ''}
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
    </section>
  );
}

function Entries(props: { entries: RecordEntry[]; timeZone: string; empty: string }) {
  return (
    <Show when={props.entries.length > 0} fallback={<p class="hint">{props.empty}</p>}>
      <ul class="entry-list">
        <For each={props.entries}>
          {(e) => (
            <li class="entry">
              <p class="entry-meta">
                {e.author} ({ROLE_LABELS[e.role]}), {formatTimeIn(e.writtenAt, props.timeZone)}
              </p>
              <p class="entry-text">{e.text}</p>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
