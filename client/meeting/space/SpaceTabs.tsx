import { createEffect, For } from 'solid-js';

export const PANEL_IDS = ['video', 'notes', 'reflections', 'map', 'questions', 'voices', 'chat'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

export interface TabSpec {
  id: PanelId;
  label: string;
  /** Short text after the label, such as a count; part of the tab's name. */
  badge?: string | undefined;
}

/**
 * The switcher between video and the shared-space panels: the ARIA tabs pattern (arrow keys, Home and End
 * move between tabs; the selected tab alone is in the Tab order). One row, which scrolls sideways on a
 * phone; the selected tab is scrolled into view.
 */
export function SpaceTabs(props: { tabs: TabSpec[]; selected: PanelId; onSelect: (id: PanelId) => void }) {
  const buttons: HTMLButtonElement[] = [];
  let list: HTMLDivElement | undefined;
  createEffect(() => {
    const tab = buttons[props.tabs.findIndex((t) => t.id === props.selected)];
    if (list && tab) revealSideways(list, tab);
  });
  const onKey = (index: number, event: KeyboardEvent) => {
    const count = props.tabs.length;
    const next: Record<string, number> = { ArrowRight: (index + 1) % count, ArrowLeft: (index - 1 + count) % count, Home: 0, End: count - 1 };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const tab = props.tabs[target];
    if (!tab) return;
    props.onSelect(tab.id);
    buttons[target]?.focus();
  };
  return (
    <div ref={list} class="space-tabs" role="tablist" aria-label="Meeting views">
      <For each={props.tabs}>
        {(tab, i) => (
          <button
            ref={(el) => (buttons[i()] = el)}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-controls={`panel-${tab.id}`}
            aria-selected={props.selected === tab.id}
            tabindex={props.selected === tab.id ? 0 : -1}
            onClick={() => props.onSelect(tab.id)}
            onKeyDown={(e) => onKey(i(), e)}
          >
            {tab.label}
            {tab.badge ? <span class="tab-badge"> {tab.badge}</span> : null}
          </button>
        )}
      </For>
    </div>
  );
}

/** Scrolls the row, and only the row (never the page), so that the whole tab shows, with a little of its neighbours. */
function revealSideways(list: HTMLElement, tab: HTMLElement) {
  const margin = 24;
  const left = tab.offsetLeft; // the row is the tab's offset parent (position: relative)
  if (left - margin < list.scrollLeft) list.scrollLeft = Math.max(0, left - margin);
  else if (left + tab.offsetWidth + margin > list.scrollLeft + list.clientWidth) list.scrollLeft = left + tab.offsetWidth + margin - list.clientWidth;
}
