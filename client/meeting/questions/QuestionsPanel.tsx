import { createMemo, createSignal, For, Show } from 'solid-js';
import { DECISION_MAX, QUESTION_TITLE_MAX } from '../../../shared/doc/entries.ts';
import { addQuestion, decideQuestion, markDiscussed, readQuestions, reopenQuestion, type Question } from '../../../shared/doc/questions.ts';
import { getQuestions } from '../../../shared/doc/schema.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';
import { day } from '../space/formatTime.ts';
import { QuestionViews } from './QuestionViews.tsx';

/**
 * Things not yet decided, kept open across meetings: each shows the meetings where it was discussed; closing
 * one records the decision, the date and who was present.
 */
export function QuestionsPanel() {
  const { networkDoc, me, mention } = useMeeting();
  const questions = createDocSnapshot([getQuestions(networkDoc.doc)], () => readQuestions(networkDoc.doc));
  const open = createMemo(() => questions().filter((q) => q.status === 'open'));
  const decided = createMemo(() => questions().filter((q) => q.status === 'decided'));
  const [title, setTitle] = createSignal('');
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (addQuestion(networkDoc.doc, title(), me, mention())) setTitle('');
  };
  return (
    <>
      <p class="hint">Questions not decided yet, such as medication. They stay here, from meeting to meeting, until the network decides together.</p>
      <form class="stack compose" onSubmit={submit}>
        <label for="question-title">Add an open question</label>
        <div class="row">
          <input id="question-title" type="text" maxLength={QUESTION_TITLE_MAX} value={title()} onInput={(e) => setTitle(e.currentTarget.value)} />
          <button type="submit" disabled={!title().trim()}>
            Add question
          </button>
        </div>
      </form>
      <h3 class="list-heading">Open ({open().length})</h3>
      <ul class="entry-list" aria-label="Open questions">
        <For each={open()} fallback={<li class="empty">No open questions.</li>}>{(q) => <QuestionItem question={q} />}</For>
      </ul>
      <Show when={decided().length > 0}>
        <h3 class="list-heading">Decided ({decided().length})</h3>
        <ul class="entry-list" aria-label="Decided questions">
          <For each={decided()}>{(q) => <QuestionItem question={q} />}</For>
        </ul>
      </Show>
    </>
  );
}

function QuestionItem(props: { question: Question }) {
  const { networkDoc, me, mention, present } = useMeeting();
  const [deciding, setDeciding] = createSignal(false);
  const [decision, setDecision] = createSignal('');
  const q = () => props.question;
  const fieldId = () => `decision-${q().id}`;
  const discussedHere = () => q().discussedIn.some((m) => m.meetingId === mention().meetingId);
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const names = present().map((p) => p.name);
    if (decideQuestion(networkDoc.doc, q().id, { text: decision(), by: me, present: names, meeting: mention() })) {
      setDeciding(false);
      setDecision('');
    }
  };
  return (
    <li class="entry question" data-status={q().status}>
      <h4 class="question-title">{q().title}</h4>
      <p class="entry-meta">
        Discussed in:{' '}
        <For each={q().discussedIn}>
          {(m, i) => (
            <>
              {i() > 0 && '; '}
              {m.meetingTitle} (<time datetime={m.at}>{day(m.at)}</time>)
            </>
          )}
        </For>
      </p>
      <Show when={q().status === 'decided' ? q().decision : undefined}>
        {(d) => (
          <div class="decision">
            <p class="entry-text">
              <strong>Decision:</strong> {d().text}
            </p>
            <p class="entry-meta">
              Decided on <time datetime={d().decidedAt}>{day(d().decidedAt)}</time>, written by {d().decidedBy.name}. Present: {d().present.join(', ') || 'not recorded'}.
            </p>
          </div>
        )}
      </Show>
      <QuestionViews question={q()} />
      <div class="row wrap">
        <Show when={q().status === 'open' && !discussedHere()}>
          <button type="button" class="small" onClick={() => markDiscussed(networkDoc.doc, q().id, mention())}>
            Mark “{q().title}” as discussed today
          </button>
        </Show>
        <Show when={q().status === 'open' && !deciding()}>
          <button type="button" class="small" onClick={() => setDeciding(true)}>
            Record a decision on “{q().title}”
          </button>
        </Show>
        <Show when={q().status === 'decided'}>
          <button type="button" class="small" onClick={() => reopenQuestion(networkDoc.doc, q().id)}>
            Open “{q().title}” again
          </button>
        </Show>
      </div>
      <Show when={deciding()}>
        <form class="stack compose" onSubmit={save}>
          <label for={fieldId()}>What was decided about “{q().title}”?</label>
          <textarea
            id={fieldId()}
            rows="3"
            maxLength={DECISION_MAX}
            value={decision()}
            onInput={(e) => setDecision(e.currentTarget.value)}
            ref={(el) => queueMicrotask(() => el.focus())}
          />
          <p class="hint">Present now, recorded with the decision: {present().map((p) => p.name).join(', ')}.</p>
          <div class="row">
            <button type="submit" class="primary" disabled={!decision().trim()}>
              Save decision
            </button>
            <button type="button" onClick={() => setDeciding(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
    </li>
  );
}
