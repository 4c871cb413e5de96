/** Longest display name, in characters. Long enough for "Mum and Dad, Sarah and Tom Robinson". */
export const DISPLAY_NAME_MAX = 60;
/** Longest meeting title, in characters. */
export const MEETING_TITLE_MAX = 120;
/** Largest JSON request body the API reads, in bytes. Anything larger is refused before parsing. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;
/** Header carrying a network member's invite token on API calls (never a cookie, so no CSRF exposure). */
export const INVITE_TOKEN_HEADER = 'x-invite-token';
/** Name of the team session cookie (HttpOnly; not readable by scripts). */
export const SESSION_COOKIE = 'polyphony_session';
