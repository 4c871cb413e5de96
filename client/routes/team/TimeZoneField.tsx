import { For } from 'solid-js';

/** Every zone the browser knows, or a short list where it cannot say (older browsers). */
function zones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC', 'Europe/London', 'Europe/Oslo', 'Europe/Helsinki', 'America/New_York'];
  return known.includes(current) ? known : [current, ...known];
}

/** The browser's own zone: where the team member is, the likeliest zone of a network they open. */
export function browserTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Choosing a network's time zone: a native select (keyboard type-ahead, read by every screen reader), the
 * zone's place name in words ("Europe/Oslo" reads as "Europe / Oslo").
 */
export function TimeZoneField(props: { id: string; name: string; value: string; hintId: string }) {
  return (
    <>
      <label for={props.id}>Time zone of the network</label>
      <select id={props.id} name={props.name} aria-describedby={props.hintId}>
        <For each={zones(props.value)}>
          {(zone) => (
            <option value={zone} selected={zone === props.value}>
              {zone.replaceAll('_', ' ')}
            </option>
          )}
        </For>
      </select>
      <p class="hint" id={props.hintId}>
        Every time in the meeting records is given in this time zone, for the team and the family alike.
      </p>
    </>
  );
}
