import { createSignal, Show } from 'solid-js';
import { api, messageOf } from '../../lib/api.ts';

/**
 * The family's copy of a record: the same PDF and Markdown files the team files, fetched with the invite
 * link's header (a plain link could not send it), and printing the page as it is.
 */
export function RecordDownloads(props: { meetingId: string; date: string; inviteToken: string }) {
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal<'md' | 'pdf'>();
  const save = async (format: 'md' | 'pdf') => {
    setBusy(format);
    try {
      const blob = await api.exportRecord(props.meetingId, format, { inviteToken: props.inviteToken });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `meeting-record-${props.date.slice(0, 10)}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class="stack no-print">
      <div class="row wrap">
        <button type="button" class="primary" onClick={() => void save('pdf')} disabled={busy() !== undefined}>
          {busy() === 'pdf' ? 'Preparing the PDF…' : 'Download as PDF'}
        </button>
        <button type="button" onClick={() => void save('md')} disabled={busy() !== undefined}>
          {busy() === 'md' ? 'Preparing…' : 'Download as text (Markdown)'}
        </button>
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <p class="hint">The files hold the same record the team keeps. Keep them somewhere private: they hold what everyone said.</p>
      <Show when={error()}>{(message) => <p role="alert" class="error">{message()}</p>}</Show>
    </div>
  );
}
