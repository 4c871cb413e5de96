import { createSignal, Show } from 'solid-js';
import { api, messageOf } from '../../lib/api.ts';

/**
 * Saves an .ics file with the meetings ahead (or only `meetingId`), each event carrying this personal link.
 * Fetched with the invite header, since a plain link could not send it.
 */
export function CalendarButton(props: { inviteToken: string; meetingId?: string | undefined; label?: string; class?: string }) {
  const [error, setError] = createSignal<string>();
  const save = async () => {
    try {
      const blob = await api.ownCalendar(props.inviteToken, props.meetingId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = props.meetingId === undefined ? 'network-meetings.ics' : 'network-meeting.ics';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <button type="button" class={props.class} onClick={() => void save()}>
        {props.label ?? 'Add these meetings to my calendar'}
      </button>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </>
  );
}
