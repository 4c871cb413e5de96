import { createSignal, onCleanup } from 'solid-js';

/** Whether the screen is wide enough for video beside the panels (a laptop), following resizes and rotation. */
export function createWideScreen(query = '(min-width: 60rem)'): () => boolean {
  const media = window.matchMedia(query);
  const [wide, setWide] = createSignal(media.matches);
  const onChange = (event: MediaQueryListEvent) => setWide(event.matches);
  media.addEventListener('change', onChange);
  onCleanup(() => media.removeEventListener('change', onChange));
  return wide;
}
