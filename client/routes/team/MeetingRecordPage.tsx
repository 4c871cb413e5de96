import { createResource, Show } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { api, messageOf } from '../../lib/api.ts';
import { createTeamSession } from '../../lib/session.ts';
import { RecordView } from '../record/RecordView.tsx';
import { TeamHeader } from './TeamHeader.tsx';

/** A meeting's record for the team: the same record the network reads, with the progress-note exports. */
export function MeetingRecordPage() {
  const params = useParams<{ id: string; meetingId: string }>();
  const session = createTeamSession();
  const [data, { mutate }] = createResource(() => params.meetingId, (id) => api.record(id));
  const addAddendum = async (text: string) => {
    mutate(await api.addAddendum(params.meetingId, text));
  };
  const exportUrl = (format: 'md' | 'pdf') => `/api/meetings/${params.meetingId}/export?format=${format}`;
  return (
    <>
      <Show when={session.user()}>{(user) => <TeamHeader userName={user().name} isAdmin={user().isAdmin} />}</Show>
      <main class="page narrow stack">
        <p class="no-print">
          <A href={`/networks/${params.id}`}>Back to the network</A>
        </p>
        <Show when={data.error as unknown}>
          <h1>We could not open this record</h1>
          <p role="alert">{messageOf(data.error)}</p>
        </Show>
        <Show when={data()}>
          {(d) => (
            <>
              <h1>Meeting record: network of {d().record.network.personName}</h1>
              <div class="row wrap no-print">
                <a class="link-button primary" href={exportUrl('pdf')} download="">
                  Progress note (PDF)
                </a>
                <a class="link-button" href={exportUrl('md')} download="">
                  Progress note (Markdown)
                </a>
                <button type="button" onClick={() => window.print()}>
                  Print
                </button>
              </div>
              <p class="hint no-print">Exports are written in the audit log. The family reads this same record through their link.</p>
              <RecordView record={d().record} onAdd={addAddendum} />
            </>
          )}
        </Show>
      </main>
    </>
  );
}
