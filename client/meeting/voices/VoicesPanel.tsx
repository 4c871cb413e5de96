import { createMemo, For, Show } from 'solid-js';
import { ROLE_LABELS } from '../../../shared/api/roles.ts';
import { getVoices } from '../../../shared/doc/schema.ts';
import { readVoices, voiceRows } from '../../../shared/doc/voices.ts';
import { createDocSnapshot } from '../doc/createDocSnapshot.ts';
import { useMeeting } from '../meetingContext.ts';
import { spokenFor } from '../space/formatTime.ts';

/**
 * How much each person has spoken in this meeting, in a gentle picture everyone sees, so that quiet voices
 * are noticed. Sorted by name: nobody is ranked. Each person's own device measures their time.
 */
export function VoicesPanel() {
  const { meetingDoc, present } = useMeeting();
  const entries = createDocSnapshot([getVoices(meetingDoc.doc)], () => [...readVoices(meetingDoc.doc).values()].map((v) => ({ id: v.who.id, ...v })));
  const rows = createMemo(() => voiceRows(entries(), present()));
  const longest = createMemo(() => Math.max(60, ...rows().map((r) => r.seconds)));
  return (
    <>
      <p class="hint">How long each person has spoken in this meeting, so that quiet voices are noticed too. Nobody is ranked.</p>
      <ul class="voices" aria-label="Speaking time">
        <For each={rows()} fallback={<li class="empty">Nobody has spoken yet.</li>}>
          {(row) => (
            <li class="voice" data-name={row.name} data-seconds={Math.round(row.seconds)}>
              <span class="voice-name">
                {row.name}
                <Show when={row.role !== 'network_member'}>
                  <span class="role-badge"> · {ROLE_LABELS[row.role]}</span>
                </Show>
                <Show when={!row.present}>
                  <span class="role-badge"> · has left</span>
                </Show>
              </span>
              <span class="voice-bar" aria-hidden="true">
                <span class="voice-fill" style={{ width: `${Math.max(2, (row.seconds / longest()) * 100)}%` }} />
              </span>
              <span class="voice-time">{spokenFor(row.seconds)}</span>
            </li>
          )}
        </For>
      </ul>
    </>
  );
}
