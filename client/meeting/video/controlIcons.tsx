import type { JSX } from 'solid-js';

/**
 * The signs on the meeting's control buttons. Always beside a word (the icon alone is never the name), and
 * hidden from screen readers, which hear the button's name.
 */
function Icon(props: { children: JSX.Element }) {
  return (
    <svg class="control-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      {props.children}
    </svg>
  );
}

/** A microphone, struck through when it is off. */
export function MicIcon(props: { off: boolean }) {
  return (
    <Icon>
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
      {props.off && <path d="M3 3l18 18" stroke-width="2.4" />}
    </Icon>
  );
}

/** A camera, struck through when it is off. */
export function CameraIcon(props: { off: boolean }) {
  return (
    <Icon>
      <rect x="2.5" y="6.5" width="13" height="11" rx="2" />
      <path d="M15.5 10.5l6-3.5v10l-6-3.5" />
      {props.off && <path d="M3 3l18 18" stroke-width="2.4" />}
    </Icon>
  );
}

export function HandIcon() {
  return (
    <Icon>
      <path d="M8 12V5.5a1.5 1.5 0 0 1 3 0V11M11 10V4a1.5 1.5 0 0 1 3 0v7M14 10V5.5a1.5 1.5 0 0 1 3 0V14c0 4-2.5 7-6 7-2.5 0-4-1.2-5.3-3.3L3.5 14a1.5 1.5 0 0 1 2.6-1.5L8 15" />
    </Icon>
  );
}

export function MoreIcon() {
  return (
    <Icon>
      <circle cx="5" cy="12" r="1.6" fill="currentColor" />
      <circle cx="12" cy="12" r="1.6" fill="currentColor" />
      <circle cx="19" cy="12" r="1.6" fill="currentColor" />
    </Icon>
  );
}

/** A door with an arrow out of it. */
export function LeaveIcon() {
  return (
    <Icon>
      <path d="M14 4H6a1 1 0 0 0-1 1v14a1 1 0 0 0 1 1h8M10 12h11M17 8l4 4-4 4" />
    </Icon>
  );
}
