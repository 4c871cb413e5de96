/**
 * Moves focus to the main heading of the page shown (or to `main` itself when it has none), making it
 * focusable from script only (tabindex -1) so that it is not an extra stop for the Tab key. Returns
 * whether there was somewhere to go.
 */
export function focusMainHeading(): boolean {
  const target = document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('main');
  if (!target) return false;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
  return true;
}
