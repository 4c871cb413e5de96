import { createSignal, Show } from 'solid-js';
import { isTeamRole } from '../../../shared/api/roles.ts';
import { REFLECTION_MAX } from '../../../shared/doc/entries.ts';
import { addReflectionAnswer, readReflectionAnswers } from '../../../shared/doc/reflectionAnswers.ts';
import { getReflectionAnswers } from '../../../shared/doc/schema.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';
import { EntryList } from './EntryList.tsx';

/**
 * The network's answer to the team's reflections ("what we made of it"), kept next to them: the family and
 * friends write here, everyone reads it, and the record keeps it beside the reflections.
 */
export function ReflectionAnswers() {
  const { meetingDoc, me } = useMeeting();
  const answers = createDocSnapshot([getReflectionAnswers(meetingDoc.doc)], () => readReflectionAnswers(meetingDoc.doc));
  const [draft, setDraft] = createSignal('');
  const [added, setAdded] = createSignal('');
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (addReflectionAnswer(meetingDoc.doc, me, draft(), new Date())) {
      setDraft('');
      setAdded('Your answer was added. Everyone can read it.');
    }
  };
  return (
    <section class="stack reflection-answers" aria-labelledby="reflection-answers-heading">
      <h3 id="reflection-answers-heading" class="list-heading">
        What we made of it
      </h3>
      <p class="hint">After hearing the team, the family and friends can write here what they made of it. It is kept next to the reflections.</p>
      <EntryList label="What the network made of it" entries={answers()} empty="Nobody has written an answer yet." mineId={me.id} />
      <Show when={!isTeamRole(me.role)}>
        <form class="stack compose" onSubmit={submit}>
          <label for="reflection-answer-text">What did you make of what the team said?</label>
          <textarea
            id="reflection-answer-text"
            rows="3"
            maxLength={REFLECTION_MAX}
            value={draft()}
            onInput={(e) => {
              setDraft(e.currentTarget.value);
              setAdded('');
            }}
          />
          <button type="submit" disabled={!draft().trim()}>
            Add our answer
          </button>
          <p class="hint" role="status">
            {added()}
          </p>
        </form>
      </Show>
    </section>
  );
}
