import { createResource, createSignal, Show } from 'solid-js';
import { api, messageOf } from '../../lib/api.ts';
import { formFieldText } from '../../lib/formFieldText.ts';

/** For administrators: how long the records of a network whose work has ended are kept. */
export function RetentionForm() {
  const [setting, { mutate }] = createResource(() => api.retention());
  const [error, setError] = createSignal<string>();
  const [saved, setSaved] = createSignal('');
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const raw = formFieldText(new FormData(event.currentTarget as HTMLFormElement), 'retentionDays').trim();
    try {
      mutate(await api.setRetention(raw === '' ? null : Number(raw)));
      setError(undefined);
      setSaved(raw === '' ? 'Saved: records are kept until someone deletes them.' : `Saved: records are deleted ${raw} days after the work ended.`);
    } catch (e) {
      setSaved('');
      setError(messageOf(e));
    }
  };
  return (
    <form class="card stack" onSubmit={(e) => void save(e)} aria-labelledby="retention-heading">
      <h2 id="retention-heading">Keeping records (administrators)</h2>
      <label for="retentionDays">Days to keep a network's records after its work has ended</label>
      <input
        id="retentionDays"
        name="retentionDays"
        type="number"
        min="1"
        max="36500"
        value={setting()?.endedNetworkRetentionDays ?? ''}
        aria-describedby="retention-hint"
      />
      <p class="hint" id="retention-hint">
        Leave empty to keep them until an administrator deletes them. Deleting is done by the daily "retention apply" job.
      </p>
      <button type="submit">Save</button>
      <p role="status" class="status">
        {saved()}
      </p>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </form>
  );
}
