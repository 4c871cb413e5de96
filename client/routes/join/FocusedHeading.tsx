import { onMount, type JSX } from 'solid-js';

/**
 * A screen's main heading that takes focus when the screen appears. Without it, a person using the keyboard
 * or a screen reader is left on the page body when one screen replaces another (invite → pre-join →
 * meeting → left), and must start again from the top without being told where they are.
 */
export function FocusedHeading(props: { children: JSX.Element }) {
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());
  return (
    <h1 ref={heading} tabIndex={-1}>
      {props.children}
    </h1>
  );
}
