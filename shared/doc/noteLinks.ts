/**
 * Link schemes the notes may carry: web pages, email and phone numbers. Everything else is refused,
 * `javascript:`, `data:`, `vbscript:`, `file:` and relative links included: a link in the notes is for
 * the people in the meeting to follow, never something that runs or reaches into this app.
 */
export const SAFE_LINK_SCHEMES: readonly string[] = ['https:', 'http:', 'mailto:', 'tel:'];

/**
 * The link to render for a link mark's `href` as the shared document holds it (any client may have
 * written anything there), or undefined when it must be shown as plain text. The href is parsed as a URL
 * with no base, so a relative link is refused, and the parser's own clean-up (tabs, new lines and
 * leading control characters removed, scheme lower-cased) happens before the scheme is judged: the
 * answer is the parsed URL, exactly what will be followed.
 */
export function safeLinkHref(href: unknown): string | undefined {
  if (typeof href !== 'string' || href.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  return SAFE_LINK_SCHEMES.includes(url.protocol) ? url.href : undefined;
}
