import { createSignal, Show } from 'solid-js';
import { isTeamRole } from '../../../shared/api/roles.ts';
import { api, messageOf } from '../../lib/api.ts';
import { useMeeting } from '../meetingContext.ts';
import { ModalDialog } from '../ui/ModalDialog.tsx';

/**
 * For team members: end the meeting for everyone, after saying plainly what that does. The server closes
 * the video room, and every screen then shows that the meeting has ended.
 */
export function EndMeetingButton(props: { meetingId: string; onEnded: () => void }) {
  const { me } = useMeeting();
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();

  const end = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.endMeeting(props.meetingId);
      setOpen(false);
      props.onEnded();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={isTeamRole(me.role)}>
      <button type="button" class="danger-outline" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        End meeting for everyone
      </button>
      <ModalDialog open={open()} onClose={() => setOpen(false)} title="End the meeting for everyone?" describedBy="end-meeting-what">
        <p id="end-meeting-what">
          Video and sound stop for everyone, and everyone sees that the meeting has ended. The shared notes are kept: everyone can still read
          them, but nobody can change them any more.
        </p>
        <Show when={error()}>
          {(message) => (
            <p role="alert" class="error">
              {message()}
            </p>
          )}
        </Show>
        <div class="row wrap dialog-actions">
          {/* The safe choice comes first and has focus when the dialog opens. */}
          <button type="button" autofocus onClick={() => setOpen(false)}>
            Keep the meeting going
          </button>
          <button type="button" class="danger" disabled={busy()} onClick={() => void end()}>
            {busy() ? 'Ending…' : 'End for everyone'}
          </button>
        </div>
      </ModalDialog>
    </Show>
  );
}
