import { createSignal, For, Show } from 'solid-js';
import { QUESTION_VIEW_MAX } from '../../../shared/doc/entries.ts';
import { setView, type Question } from '../../../shared/doc/questions.ts';
import { useMeeting } from '../meetingContext.ts';

/**
 * Each person's view on an open question in this meeting: everyone can write their own (one each, which
 * they can change), everyone reads them all, and the meeting's record keeps them with the question.
 */
export function QuestionViews(props: { question: Question }) {
  const { networkDoc, me, mention } = useMeeting();
  const q = () => props.question;
  const here = () => q().views.filter((v) => v.meetingId === mention().meetingId);
  const mine = () => here().find((v) => v.author.id === me.id);
  const [draft, setDraft] = createSignal<string>();
  const [saved, setSaved] = createSignal('');
  const fieldId = () => `view-${q().id}`;
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const text = draft() ?? mine()?.text ?? '';
    if (setView(networkDoc.doc, q().id, { text, by: me, meeting: mention(), now: new Date() })) {
      setDraft(undefined);
      setSaved(text.trim() ? 'Your view was saved. Everyone can read it.' : 'Your view was removed.');
    }
  };
  return (
    <div class="question-views stack">
      <Show when={here().length > 0}>
        <ul class="view-list" aria-label={`Views on “${q().title}” today`}>
          <For each={here()}>
            {(v) => (
              <li>
                <strong>{v.author.name}:</strong> {v.text}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={q().status === 'open'}>
        <form class="stack compose" onSubmit={save}>
          <label for={fieldId()}>Your view on “{q().title}”</label>
          <textarea
            id={fieldId()}
            rows="2"
            maxLength={QUESTION_VIEW_MAX}
            value={draft() ?? mine()?.text ?? ''}
            onInput={(e) => {
              setDraft(e.currentTarget.value);
              setSaved('');
            }}
          />
          <div class="row">
            <button type="submit" class="small" disabled={draft() === undefined}>
              {mine() ? 'Change my view' : 'Save my view'}
            </button>
          </div>
          <p class="hint" role="status">
            {saved()}
          </p>
        </form>
      </Show>
    </div>
  );
}
