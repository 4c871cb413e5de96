import { createSignal, onCleanup } from 'solid-js';

/** The current time as a signal, updated every `intervalMs`, so a running 24-hour clock counts down on screen. */
export function createNow(intervalMs = 30_000): () => Date {
  const [now, setNow] = createSignal(new Date());
  const timer = setInterval(() => setNow(new Date()), intervalMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
