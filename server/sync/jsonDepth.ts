/**
 * How deeply arrays and objects nest in a JSON text, read without parsing: a flat scan that stops as soon
 * as `limit` is passed. JSON.parse itself copes with deep input, but what later walks the value recursively
 * (y-protocols' equality check, JSON.stringify when the state is sent on) overflows the stack at a few
 * thousand levels; that must be refused before the text is ever parsed.
 *
 * Returns the depth (0 for a bare value), or `limit + 1` once it is exceeded. Brackets inside strings do
 * not count; the text is assumed to be checked by JSON.parse afterwards.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      if (++depth > deepest && (deepest = depth) > limit) return limit + 1;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth--;
    }
  }
  return deepest;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
