// The `split` of GET /api/histogram: each bucket's count broken down by the values of one field,
// the top N values over the whole range and two catch-alls. The engine ranks the values (store/
// log-storage.ts, CountsRequest), so a field with a million distinct values (a request id) still
// returns buckets × levels × (N + 2) counts, not one per value.
import type { HistogramSplit } from '../../common/read-api';
import { BadRequestError } from '../errors';
import { classifyField } from '../query/fields';
import type { BucketCount, SplitRequest } from '../store/log-storage';

/** The group of entries whose value is not among the top N. */
export const OTHER_GROUP = '__other__';
/** The group of entries without the field. */
export const MISSING_GROUP = '__missing__';
export const DEFAULT_SPLIT_LIMIT = 5;
/** More series than this is not a readable chart. */
export const MAX_SPLIT_LIMIT = 20;

export type { SplitRequest };

/** A 400 for a field whose values cannot be counted. */
export function checkSplitField(field: string): void {
  const kind = classifyField(field).kind;
  if (kind === 'message' || kind === 'pattern') {
    throw new BadRequestError(`split: ${field} is free text, not a field with values to count; split by another field`, 'invalid_parameter');
  }
}

/** The name a count is counted under. */
export function groupOf(count: BucketCount): string {
  const group = count.group;
  return !group || group.kind === 'missing' ? MISSING_GROUP : group.kind === 'other' ? OTHER_GROUP : group.value;
}

/** The split's groups, in order: top values by rank, then other, then missing; none with count 0. */
export function splitGroups(field: string, counts: readonly BucketCount[]): HistogramSplit {
  const totals = new Map<string, { order: number; count: number }>();
  for (const count of counts) {
    const name = groupOf(count);
    const group = count.group;
    const order = group?.kind === 'value' ? group.rank : MAX_SPLIT_LIMIT + (group?.kind === 'other' ? 1 : 2);
    const entry = totals.get(name) ?? { order, count: 0 };
    entry.count += count.n;
    totals.set(name, entry);
  }
  const groups = [...totals]
    .filter(([, t]) => t.count > 0)
    .sort((a, b) => a[1].order - b[1].order)
    .map(([value, t]) => ({ value, count: t.count }));
  return { field, groups };
}
