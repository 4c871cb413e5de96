import { For } from 'solid-js';
import type { Author } from '../../../shared/doc/entries.ts';
import { timeOfDay } from '../space/formatTime.ts';

/** One written entry: who, when, what. */
export interface WrittenEntry {
  author: Author;
  text: string;
  writtenAt: string;
}

/** A list of written entries (reflections, the network's answers), oldest first; one's own marked. */
export function EntryList(props: { label: string; entries: readonly WrittenEntry[]; empty: string; mineId?: string | undefined }) {
  return (
    <ol class="entry-list" aria-label={props.label}>
      <For each={props.entries} fallback={<li class="empty">{props.empty}</li>}>
        {(entry) => (
          <li class="entry" classList={{ mine: props.mineId !== undefined && entry.author.id === props.mineId }}>
            <p class="entry-meta">
              <strong>{entry.author.name}</strong> · <time datetime={entry.writtenAt}>{timeOfDay(entry.writtenAt)}</time>
            </p>
            <p class="entry-text">{entry.text}</p>
          </li>
        )}
      </For>
    </ol>
  );
}
