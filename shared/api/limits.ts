/** Longest display name, in characters. Long enough for "Mum and Dad (Sarah and Tom)". */
export const DISPLAY_NAME_MAX = 60;
/** Longest meeting title, in characters. */
export const MEETING_TITLE_MAX = 120;
/** Largest JSON request body the API reads, in bytes. Anything larger is refused before parsing. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;
