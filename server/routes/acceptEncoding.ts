/** The compressed forms the build writes beside each file, in the order the server prefers them. */
export const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

export type Precompressed = (typeof PRECOMPRESSED)[number];

/** A header longer than this is not a browser's; it is read as asking for no compression. */
const MAX_HEADER_LENGTH = 1024;

/**
 * Which encodings an Accept-Encoding header allows (RFC 9110 §12.5.3): a coding named with q=0 is refused,
 * `*` stands for every coding not named. Without the header, only the plain form is sent: an old or odd
 * client must never get bytes it cannot read.
 */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  if (!header || header.length > MAX_HEADER_LENGTH) return accepted;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const wildcard = weights.get('*') ?? 0;
  for (const { encoding } of PRECOMPRESSED) if ((weights.get(encoding) ?? wildcard) > 0) accepted.add(encoding);
  return accepted;
}
