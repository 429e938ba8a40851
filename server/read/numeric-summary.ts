// The numeric part of GET /api/field-stats: min, max, mean, percentiles and a small distribution
// of a field's values, computed over values already in memory (a sample of at most SAMPLE_SIZE).
import type { NumericSummary } from '../../common/read-api';

/** About this many bars: enough to see a shape, few enough to read in a field list's popover. */
export const TARGET_BUCKETS = 10;

/** Quantile `q` of ascending `sorted`, interpolating between the closest ranks (DuckDB's quantile_cont). */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** The smallest of 1, 2, 5 × 10^k that is at least `raw`: bucket edges a person reads at a glance. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw * (1 - 1e-9))!;
}

/** Rounds away the binary noise of `start + i * step` (0.30000000000000004). */
const tidy = (n: number) => Number(n.toPrecision(12));

export function numericSummary(values: readonly number[]): NumericSummary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const avg = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  const summary = { min, max, avg, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
  // One bar when there is no width to split (or it overflows a double).
  if (min === max || !Number.isFinite(max - min)) return { ...summary, buckets: [{ from: min, to: max, count: sorted.length }] };
  // Equal-width buckets [from, to) on round edges; the last one holds max.
  const step = niceStep((max - min) / TARGET_BUCKETS);
  const start = Math.floor(min / step) * step;
  const count = Math.floor((max - start) / step) + 1;
  const buckets = Array.from({ length: count }, (_, i) => ({ from: tidy(start + i * step), to: tidy(start + (i + 1) * step), count: 0 }));
  for (const v of sorted) buckets[Math.max(0, Math.min(count - 1, Math.floor((v - start) / step)))].count++;
  return { ...summary, buckets };
}
