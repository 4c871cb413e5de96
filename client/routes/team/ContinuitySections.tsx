import { For, Show } from 'solid-js';
import type { MapSummary, QuestionView, ScheduledMeeting } from '../../../shared/api/records.ts';
import { formatShort } from '../record/formatWhen.ts';

const CLOSENESS = { 1: 'Very close', 2: 'Close', 3: 'Less close' } as const;

/** Open questions carried from meeting to meeting, and decisions with who was present. Read only here. */
export function QuestionsSection(props: { questions: QuestionView[]; meetings: ScheduledMeeting[] }) {
  const open = () => props.questions.filter((q) => q.status === 'open');
  const decided = () => props.questions.filter((q) => q.status === 'decided');
  return (
    <section class="card stack" aria-labelledby="questions-heading">
      <h2 id="questions-heading">Open questions</h2>
      <p class="hint">Kept open across meetings until the network decides. They are changed in the meeting.</p>
      <Show when={open().length > 0} fallback={<p>No open questions.</p>}>
        <ul class="entry-list">
          <For each={open()}>
            {(q) => (
              <li class="entry">
                <p class="entry-text">{q.title}</p>
                <p class="entry-meta">Talked about in {q.discussedIn.length === 1 ? '1 meeting' : `${q.discussedIn.length} meetings`}</p>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={decided().length > 0}>
        <h3>Decided</h3>
        <ul class="entry-list">
          <For each={decided()}>
            {(q) => (
              <li class="entry decision-entry">
                <p class="entry-meta">{q.title}</p>
                <p class="entry-text">{q.decision?.text}</p>
                <p class="entry-meta">
                  {q.decision ? `${formatShort(q.decision.decidedAt)}. Present: ${q.decision.present.join(', ') || 'not recorded'}.` : ''}
                </p>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** Who is important to the person, as drawn together in the meetings. */
export function MapSection(props: { map: MapSummary }) {
  const name = (id: string) => props.map.people.find((p) => p.id === id)?.name ?? '';
  return (
    <section class="card stack" aria-labelledby="map-heading">
      <h2 id="map-heading">Network map</h2>
      <Show when={props.map.people.length > 0} fallback={<p>Nobody is on the map yet. It is drawn together in a meeting.</p>}>
        <For each={[1, 2, 3] as const}>
          {(closeness) => (
            <Show when={props.map.people.some((p) => p.closeness === closeness)}>
              <h3>{CLOSENESS[closeness]}</h3>
              <ul class="map-summary">
                <For each={props.map.people.filter((p) => p.closeness === closeness)}>
                  {(p) => (
                    <li>
                      {p.name}
                      {p.relationship ? `, ${p.relationship}` : ''}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </For>
        <Show when={props.map.connections.length > 0}>
          <h3>Connected</h3>
          <ul class="map-summary">
            <For each={props.map.connections}>{(c) => <li>{`${name(c.from)} and ${name(c.to)}`}</li>}</For>
          </ul>
        </Show>
      </Show>
    </section>
  );
}
