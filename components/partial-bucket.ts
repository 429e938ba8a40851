// A bar the time range cuts: the first bucket starts at an aligned boundary before the range and
// the last ends after it, so their counts cover only part of their span and read as a dip that
// is not there. Kibana marks such buckets as partial; so does the chart here.

/** The part of the bucket [startMs, endMs) inside [fromMs, toMs); null when all of it is. */
export function partialSpan(startMs: number, endMs: number, fromMs: number, toMs: number): { fromMs: number | null; toMs: number | null } | null {
  const cutBefore = startMs < fromMs;
  const cutAfter = endMs > toMs;
  if (!cutBefore && !cutAfter) return null;
  return { fromMs: cutBefore ? fromMs : null, toMs: cutAfter ? toMs : null };
}

/** What the tooltip says of a partial bar, with times written by `format`. */
export function partialNote(span: { fromMs: number | null; toMs: number | null }, format: (ms: number) => string): string {
  if (span.fromMs !== null && span.toMs !== null) return `Partial bar: counted ${format(span.fromMs)} – ${format(span.toMs)} only`;
  if (span.fromMs !== null) return `Partial bar: counted from ${format(span.fromMs)} only`;
  return `Partial bar: counted up to ${format(span.toMs!)} only`;
}
