import { createSignal, Show } from 'solid-js';
import { isTeamRole } from '../../../shared/api/roles.ts';
import { REFLECTION_MAX } from '../../../shared/doc/entries.ts';
import { addReflection, readReflections } from '../../../shared/doc/reflections.ts';
import { getReflections } from '../../../shared/doc/schema.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';
import { EntryList } from './EntryList.tsx';
import { ReflectionAnswers } from './ReflectionAnswers.tsx';

/** What the team says while reflecting, written down as they speak; everyone reads the same list. */
export function ReflectionsPanel() {
  const { meetingDoc, me } = useMeeting();
  const reflections = createDocSnapshot([getReflections(meetingDoc.doc)], () => readReflections(meetingDoc.doc));
  const [draft, setDraft] = createSignal('');
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (addReflection(meetingDoc.doc, me, draft(), new Date())) setDraft('');
  };
  return (
    <>
      <p class="hint">The team writes here what they say to each other while reflecting. Everyone can read it.</p>
      <EntryList label="Reflections" entries={reflections()} empty="No reflections yet." />
      <Show when={isTeamRole(me.role)}>
        <form class="stack compose" onSubmit={submit}>
          <label for="reflection-text">Write a reflection</label>
          <textarea id="reflection-text" rows="3" maxLength={REFLECTION_MAX} value={draft()} onInput={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit" disabled={!draft().trim()}>
            Add reflection
          </button>
        </form>
      </Show>
      <ReflectionAnswers />
    </>
  );
}
