import { createResource, Show } from 'solid-js';
import { api, messageOf } from '../../lib/api.ts';
import { RecordView } from '../record/RecordView.tsx';
import { RecordDownloads } from './RecordDownloads.tsx';

/** One meeting's record, read through the member's link; they may add to it once it is sealed. */
export function MemberRecord(props: { meetingId: string; inviteToken: string; onBack: () => void }) {
  const creds = () => ({ inviteToken: props.inviteToken });
  const [data, { mutate }] = createResource(() => props.meetingId, (id) => api.record(id, creds()));
  const addAddendum = async (text: string) => {
    mutate(await api.addAddendum(props.meetingId, text, creds()));
  };
  return (
    <main class="page narrow stack">
      <p class="no-print">
        <button type="button" onClick={() => props.onBack()}>
          Back to all meetings
        </button>
      </p>
      <Show when={data.error as unknown}>
        <h1>We could not open this record</h1>
        <p role="alert">{messageOf(data.error)}</p>
      </Show>
      <Show when={data()} fallback={<Show when={!data.error}><p>Loading…</p></Show>}>
        {(d) => (
          <>
            <h1>What was written in the meeting</h1>
            <RecordDownloads meetingId={props.meetingId} date={d().record.startedAt ?? d().record.meeting.scheduledAt} inviteToken={props.inviteToken} />
            <RecordView record={d().record} onAdd={addAddendum} />
          </>
        )}
      </Show>
    </main>
  );
}
