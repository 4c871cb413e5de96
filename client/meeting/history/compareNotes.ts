/** One paragraph of a comparison: in both, only in the version, or only in the notes now. */
export interface ComparedBlock {
  kind: 'same' | 'only-then' | 'only-now';
  text: string;
}

/** Paragraphs of at most this many are compared in order (longest common subsequence); beyond, by presence. */
const ORDERED_LIMIT = 1_000;

/**
 * The paragraphs of `then` and `now` merged in reading order, each marked as kept, only in the version or
 * only now. Empty paragraphs (the editor's spacing) are left out.
 */
export function compareBlocks(then: string, now: string): ComparedBlock[] {
  const a = then.split('\n').filter((p) => p.trim() !== '');
  const b = now.split('\n').filter((p) => p.trim() !== '');
  if (a.length * b.length > ORDERED_LIMIT * ORDERED_LIMIT) return byPresence(a, b);
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lengths[i] ?? [];
      row[j] = a[i] === b[j] ? (lengths[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lengths[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const blocks: ComparedBlock[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      blocks.push({ kind: 'same', text: a[i++] ?? '' });
      j++;
    } else if (j < b.length && (i >= a.length || (lengths[i]?.[j + 1] ?? 0) >= (lengths[i + 1]?.[j] ?? 0))) {
      blocks.push({ kind: 'only-now', text: b[j++] ?? '' });
    } else {
      blocks.push({ kind: 'only-then', text: a[i++] ?? '' });
    }
  }
  return blocks;
}

function byPresence(a: string[], b: string[]): ComparedBlock[] {
  const inA = new Set(a);
  const inB = new Set(b);
  return [...a.map((text): ComparedBlock => ({ kind: inB.has(text) ? 'same' : 'only-then', text })), ...b.filter((t) => !inA.has(t)).map((text): ComparedBlock => ({ kind: 'only-now', text }))];
}
