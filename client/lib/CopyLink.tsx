import { createSignal, onMount } from 'solid-js';

/**
 * The join link in a read-only field, with a copy button that says when it worked. `focus`: the field takes
 * the focus when it appears (a link just made), so it is scrolled into view and read out.
 */
export function CopyLink(props: { url: string; id: string; label: string; focus?: boolean }) {
  const [copied, setCopied] = createSignal(false);
  let field: HTMLInputElement | undefined;
  onMount(() => {
    if (props.focus) field?.focus();
  });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div class="copy-link">
      <label for={props.id}>{props.label}</label>
      <div class="row">
        <input id={props.id} ref={field} type="text" readOnly value={props.url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p class="status" role="status">
        {copied() ? 'Link copied.' : ''}
      </p>
    </div>
  );
}
