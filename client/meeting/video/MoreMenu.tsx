import { createSignal, createUniqueId, Index, onCleanup, Show } from 'solid-js';
import { MoreIcon } from './controlIcons.tsx';

export interface MenuAction {
  label: string;
  onSelect: () => void;
  /** Opens a dialog: the menu button, not the vanished item, is where focus returns when it closes. */
  opensDialog?: boolean;
}

/**
 * "More": the controls that do not fit in the one row a phone has room for, behind a menu button (the ARIA
 * menu button pattern: aria-expanded, arrow keys between items, Escape closes and focus returns to the
 * button). The menu opens upwards, since the controls sit at the bottom of the screen.
 */
export function MoreMenu(props: { actions: MenuAction[] }) {
  const menuId = createUniqueId();
  const [open, setOpen] = createSignal(false);
  let button: HTMLButtonElement | undefined;
  let wrapper: HTMLDivElement | undefined;
  const items: HTMLButtonElement[] = [];

  const show = (focusIndex: number) => {
    setOpen(true);
    const count = props.actions.length;
    items[(focusIndex + count) % count]?.focus();
  };
  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) button?.focus();
  };
  const choose = (action: MenuAction) => {
    close(true);
    action.onSelect();
  };
  const onItemKey = (index: number, event: KeyboardEvent) => {
    const count = props.actions.length;
    const target = ({ ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: count - 1 } as Record<string, number>)[event.key];
    if (target !== undefined) {
      event.preventDefault();
      items[(target + count) % count]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      // From the menu button, the browser's own Tab goes on to what follows it.
      close(true);
    }
  };
  // A press anywhere else closes the menu, as a person expects of any menu.
  const onOutside = (event: PointerEvent) => {
    if (open() && wrapper && event.target instanceof Node && !wrapper.contains(event.target)) close(false);
  };
  // Escape closes the menu wherever focus fell (an item can vanish under it when the actions change).
  const onEscape = (event: KeyboardEvent) => {
    if (!open() || event.key !== 'Escape' || event.defaultPrevented) return;
    const focus = document.activeElement;
    if (focus && focus !== document.body && !wrapper?.contains(focus)) return;
    event.preventDefault();
    close(true);
  };
  document.addEventListener('pointerdown', onOutside);
  document.addEventListener('keydown', onEscape);
  onCleanup(() => {
    document.removeEventListener('pointerdown', onOutside);
    document.removeEventListener('keydown', onEscape);
  });

  return (
    <div class="more" ref={wrapper}>
      <button
        ref={button}
        type="button"
        class="control"
        aria-haspopup="menu"
        aria-expanded={open()}
        aria-controls={open() ? menuId : undefined}
        onClick={() => (open() ? close(false) : show(0))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            show(event.key === 'ArrowDown' ? 0 : -1);
          }
        }}
      >
        <MoreIcon />
        <span class="control-label">More</span>
      </button>
      <Show when={open()}>
        <div class="more-menu" id={menuId} role="menu" aria-label="More">
          {/* Index, not For: an item whose label changes while the menu is open ("Share screen" becomes "Stop
              sharing screen" once sharing starts) keeps its element, so focus stays on it. */}
          <Index each={props.actions}>
            {(action, i) => (
              <button
                ref={(el) => (items[i] = el)}
                type="button"
                role="menuitem"
                tabindex="-1"
                aria-haspopup={action().opensDialog ? 'dialog' : undefined}
                onClick={() => choose(action())}
                onKeyDown={(e) => onItemKey(i, e)}
              >
                {action().label}
              </button>
            )}
          </Index>
        </div>
      </Show>
    </div>
  );
}
