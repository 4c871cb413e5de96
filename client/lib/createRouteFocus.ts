import { createEffect, on, onCleanup } from 'solid-js';
import { useLocation } from '@solidjs/router';
import { focusMainHeading } from './focusMainHeading.ts';

/** How long to wait for a new page's heading (its data may still be loading) before leaving focus alone. */
const WAIT_MS = 10_000;

/**
 * After a navigation inside the app (not the first page load), moves focus to the new page's main heading
 * once it is shown, as a full page load would put the screen reader at the top: without it focus stays
 * on a link that no longer exists, that is on the page body. Focus the person has moved themselves in the
 * meantime is left where it is.
 */
export function createRouteFocus(): void {
  const location = useLocation();
  let stopWaiting: (() => void) | undefined;
  onCleanup(() => stopWaiting?.());
  createEffect(
    on(
      () => location.pathname,
      () => {
        stopWaiting?.();
        stopWaiting = whenNewHeadingShown(document.activeElement, document.querySelector('main h1'));
      },
      { defer: true },
    ),
  );
}

/** The old page may stay on screen while the new one loads: only a heading that was not there before counts. */
function whenNewHeadingShown(focusedBefore: Element | null, oldHeading: Element | null): () => void {
  const focusStillUnmoved = () => {
    const now = document.activeElement;
    return now === null || now === document.body || now === focusedBefore || !now.isConnected;
  };
  const tryFocus = () => {
    const heading = document.querySelector('main h1');
    if (!heading || heading === oldHeading) return false;
    if (focusStillUnmoved()) focusMainHeading();
    return true;
  };
  const observer = new MutationObserver(() => {
    if (tryFocus()) stop();
  });
  const timer = setTimeout(() => stop(), WAIT_MS);
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
  };
  // The new page may already be there (a route whose code and data were ready).
  queueMicrotask(() => {
    if (tryFocus()) stop();
    else observer.observe(document.body, { childList: true, subtree: true });
  });
  return stop;
}
