import { createSignal, For, Show } from 'solid-js';
import { attributeNotes, showsWriters, WRITER_LABELS_HINT, type AttributedSegment } from '../../../shared/api/noteAuthors.ts';
import type { MeetingRecord } from '../../../shared/api/records.ts';
import { ADDENDUM_MAX, RECORD_ROLE_LABELS as ROLE_LABELS } from '../../../shared/api/records.ts';
import { messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import { formatDateTimeIn, formatTimeIn } from './formatWhen.ts';
import { RecordAttendance, RecordChat, RecordMapSection, RecordReflectionAnswers, ViewsOf } from './RecordSections.tsx';
import './record.css';

/** A block's text, with its writer's name in brackets where the writer changes inside it. */
function Segments(props: { segments: readonly AttributedSegment[] }) {
  return (
    <For each={props.segments}>
      {(segment) => (
        <>
          <Show when={segment.label}>
            {(label) => (
              <strong class="record-writer-inline">
                <span class="visually-hidden">Written by </span>
                {label()}{' '}
              </strong>
            )}
          </Show>
          {segment.text}
        </>
      )}
    </For>
  );
}

/**
 * One meeting's record, exactly as the team keeps it and the network reads it: when, who came and when, the
 * notes (with who wrote each passage, named as the server knows them), the reflections and what the network made of them, the questions with each person's view, the
 * decisions, the chat and the network map; then what was added after the meeting ended. Every time is shown
 * in the network's own time zone, named.
 */
export function RecordView(props: { record: MeetingRecord; onAdd?: (text: string) => Promise<void> }) {
  const r = () => props.record;
  return (
    <article class="record stack" aria-labelledby={`record-${r().meeting.id}`}>
      <h2 id={`record-${r().meeting.id}`}>
        {r().meeting.title}, {formatDateTimeIn(r().startedAt ?? r().meeting.scheduledAt, r().timeZone)}
      </h2>
      <Show
        when={r().sealed}
        fallback={<p class="notice">This meeting has not ended yet. What is written in it can still change.</p>}
      >
        <p class="record-sealed">
          This record was closed when the meeting ended, so nothing in it can be changed. Anyone in the network can add to it below; additions show
          who wrote them and when.
        </p>
      </Show>
      <dl class="record-facts">
        <dt>About</dt>
        <dd>{r().network.personName}</dd>
        <dt>Times</dt>
        <dd>In the network's time zone, {r().timeZone.replaceAll('_', ' ')}</dd>
        <dt>Length</dt>
        <dd>{durationText(r().durationMinutes)}</dd>
        <dt>Who took part</dt>
        <dd>
          <Show when={r().attendees.length > 0} fallback="Not recorded">
            {r()
              .attendees.map((a) => `${a.name} (${ROLE_LABELS[a.role]}${r().sealed && a.totalMinutes !== undefined ? `, ${a.totalMinutes} min` : ''})`)
              .join(', ')}
          </Show>
        </dd>
      </dl>

      <RecordAttendance record={r()} />

      <section aria-labelledby={`notes-${r().meeting.id}`}>
        <h3 id={`notes-${r().meeting.id}`}>Notes</h3>
        <Show when={r().notes.length > 0} fallback={<p class="hint">No notes were written.</p>}>
          <Show when={showsWriters(attributeNotes(r().notes))}>
            <p class="hint">{WRITER_LABELS_HINT}</p>
          </Show>
          <div class="record-notes">
            <For each={attributeNotes(r().notes)}>
              {({ block, blockLabel, segments }) => (
                <>
                  <Show when={blockLabel}>
                    {(label) => (
                      <p class="record-writer">
                        <span class="visually-hidden">Written by </span>
                        {label()}
                      </p>
                    )}
                  </Show>
                  {block.kind === 'heading' ? (
                    <h4>
                      <Segments segments={segments} />
                    </h4>
                  ) : block.kind === 'quote' ? (
                    <blockquote>
                      <Segments segments={segments} />
                    </blockquote>
                  ) : block.kind === 'rule' ? (
                    <hr />
                  ) : (
                    <p>
                      <Segments segments={segments} />
                    </p>
                  )}
                </>
              )}
            </For>
          </div>
        </Show>
      </section>

      <section aria-labelledby={`reflections-${r().meeting.id}`}>
        <h3 id={`reflections-${r().meeting.id}`}>What the team said while reflecting</h3>
        <Show when={r().reflections.length > 0} fallback={<p class="hint">Nothing was written while reflecting.</p>}>
          <ul class="entry-list">
            <For each={r().reflections}>
              {(x) => (
                <li class="entry">
                  <p class="entry-meta">
                    {x.author} ({ROLE_LABELS[x.role]}), {formatTimeIn(x.writtenAt, r().timeZone)}
                  </p>
                  <p class="entry-text">{x.text}</p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <RecordReflectionAnswers record={r()} />

      <section aria-labelledby={`questions-${r().meeting.id}`}>
        <h3 id={`questions-${r().meeting.id}`}>Questions talked about</h3>
        <Show when={r().questions.length > 0} fallback={<p class="hint">No open questions were talked about.</p>}>
          <ul class="entry-list">
            <For each={r().questions}>
              {(q) => (
                <li class="entry">
                  <p class="entry-text">{q.title}</p>
                  <p class="entry-meta">{q.status === 'open' ? 'Still open' : 'Decided'}</p>
                  <ViewsOf question={q} timeZone={r().timeZone} />
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <section aria-labelledby={`decisions-${r().meeting.id}`}>
        <h3 id={`decisions-${r().meeting.id}`}>Decisions</h3>
        <Show when={r().decisions.length > 0} fallback={<p class="hint">No decisions were made.</p>}>
          <ul class="entry-list">
            <For each={r().decisions}>
              {(d) => (
                <li class="entry decision-entry">
                  <p class="entry-meta">{d.question}</p>
                  <p class="entry-text">{d.text}</p>
                  <p class="entry-meta">
                    Written down by {d.decidedBy}. Present: {d.present.length ? d.present.join(', ') : 'not recorded'}.
                  </p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <RecordChat record={r()} />

      <RecordMapSection record={r()} />

      <section aria-labelledby={`addenda-${r().meeting.id}`} class="record-addenda">
        <h3 id={`addenda-${r().meeting.id}`}>Added after the meeting</h3>
        <Show when={r().addenda.length > 0} fallback={<p class="hint">Nothing has been added.</p>}>
          <ul class="entry-list">
            <For each={r().addenda}>
              {(a) => (
                <li class="entry">
                  <p class="entry-meta">
                    {a.authorName} ({ROLE_LABELS[a.authorRole]}), {formatDateTimeIn(a.createdAt, r().timeZone)}
                  </p>
                  <p class="entry-text">{a.text}</p>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={r().sealed && props.onAdd}>{(add) => <AddendumForm meetingId={r().meeting.id} onAdd={add()} />}</Show>
      </section>
    </article>
  );
}

function AddendumForm(props: { meetingId: string; onAdd: (text: string) => Promise<void> }) {
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = formFieldText(new FormData(form), 'addendum');
    setBusy(true);
    try {
      await props.onAdd(text);
      form.reset();
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const id = () => `addendum-${props.meetingId}`;
  return (
    <form class="stack compose" onSubmit={(e) => void submit(e)}>
      <label for={id()}>Add something to this record</label>
      <textarea id={id()} name="addendum" rows={3} required maxLength={ADDENDUM_MAX} aria-describedby={`${id()}-hint`} />
      <p class="hint" id={`${id()}-hint`}>
        Everyone in the network will see what you add, with your name and the time.
      </p>
      <button type="submit" disabled={busy()}>
        {busy() ? 'Adding…' : 'Add to the record'}
      </button>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </form>
  );
}

function durationText(minutes: number | undefined): string {
  if (minutes === undefined) return 'Not recorded';
  if (minutes < 1) return 'Less than a minute';
  if (minutes < 120) return `${minutes} minutes`;
  return `${Math.floor(minutes / 60)} hours ${minutes % 60} minutes`;
}
