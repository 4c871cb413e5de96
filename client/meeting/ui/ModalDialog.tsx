import { createEffect, createUniqueId, type JSX } from 'solid-js';

/**
 * A modal dialog on the browser's own `<dialog>`: it keeps keyboard focus inside while open, closes on
 * Escape, returns focus to what opened it, and is announced with its heading as its name.
 */
export function ModalDialog(props: { open: boolean; onClose: () => void; title: string; describedBy?: string; children: JSX.Element }) {
  const headingId = createUniqueId();
  let dialog: HTMLDialogElement | undefined;
  createEffect(() => {
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  });
  return (
    <dialog
      ref={dialog}
      class="modal"
      aria-labelledby={headingId}
      aria-describedby={props.describedBy}
      // Escape and form[method=dialog] close it natively; tell the owner so its state follows.
      onClose={() => props.onClose()}
    >
      <h2 id={headingId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
