// Rows newest first, whatever order they arrived in: the tail hands over lines in the order they
// were stored, and lines of several files interleave in time.
import type { Hit } from '@/common/read-api';

/** `ts` is ISO 8601 in UTC with the store's fixed precision, so text order is time order. */
function newerFirst(a: Hit, b: Hit): number {
  return a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0;
}

export function sortNewestFirst(hits: Hit[]): Hit[] {
  return [...hits].sort(newerFirst);
}

/** Two newest-first lists as one, each id once (the first seen wins), at most `limit` long. */
export function mergeNewestFirst(a: readonly Hit[], b: readonly Hit[], limit: number): Hit[] {
  const out: Hit[] = [];
  const seen = new Set<string>();
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    const next = j >= b.length || (i < a.length && newerFirst(a[i], b[j]) <= 0) ? a[i++] : b[j++];
    if (!seen.has(next.id)) {
      seen.add(next.id);
      out.push(next);
    }
  }
  return out;
}
