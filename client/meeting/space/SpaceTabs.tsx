import { For } from 'solid-js';

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
 * move between tabs; the selected tab alone is in the Tab order).
 */
export function SpaceTabs(props: { tabs: TabSpec[]; selected: PanelId; onSelect: (id: PanelId) => void }) {
  const buttons: HTMLButtonElement[] = [];
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
    <div class="space-tabs" role="tablist" aria-label="Meeting views">
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
