import { createSignal, Show } from 'solid-js';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';
import { TimeZoneField } from './TimeZoneField.tsx';

/** The network's own time zone, in which its records give every time; the team can change it. */
export function TimeZoneSection(props: { networkId: string; timeZone: string; refresh: () => void }) {
  const [error, setError] = createSignal<string>();
  const [saved, setSaved] = createSignal('');
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const zone = formFieldText(new FormData(event.currentTarget as HTMLFormElement), 'timeZone');
    try {
      await api.setNetworkTimeZone(props.networkId, zone);
      setError(undefined);
      setSaved(`Saved: times are now given in ${zone.replaceAll('_', ' ')}.`);
      props.refresh();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section class="card stack" aria-labelledby="time-zone-heading">
      <h2 id="time-zone-heading">Time zone</h2>
      <form class="stack" onSubmit={(e) => void save(e)}>
        <TimeZoneField id="network-time-zone" name="timeZone" value={props.timeZone} hintId="network-time-zone-hint" />
        <button type="submit">Save time zone</button>
        <p class="hint" role="status">
          {saved()}
        </p>
        <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
      </form>
    </section>
  );
}
