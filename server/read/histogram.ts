// GET /api/histogram: hit counts per round interval, split by level (and by one more field on
// request, see histogram-split.ts), every bucket present.
import type { HistogramBucket, HistogramResponse as Histogram } from '../../common/read-api';
import type { QueryNode } from '../query/ast';
import type { BucketCount, MicrosRange, StorageView } from '../store/log-storage';
import { microsToIso } from '../store/timestamps';
import { alignedOrigin, type OffsetPiece } from './zone-offset';
import { checkSplitField, groupOf, type SplitRequest, splitGroups } from './histogram-split';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HOUR_US = BigInt(HOUR) * 1000n;
/** Intervals a person reads at a glance ("per 5 minutes"), as Kibana and Grafana pick them. */
export const ROUND_INTERVALS_MS = [
  1, 5, 10, 50, 100, 250, 500,
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 365 * DAY,
];

export const DEFAULT_BUCKETS = 60;
export const MAX_BUCKETS = 1000;

export type { HistogramBucket, HistogramResponse as Histogram } from '../../common/read-api';

/** The smallest round interval that splits `spanMs` into at most about `buckets` buckets. */
export function roundInterval(spanMs: number, buckets: number): number {
  const ideal = spanMs / Math.max(1, buckets);
  return ROUND_INTERVALS_MS.find((i) => i >= ideal) ?? ROUND_INTERVALS_MS[ROUND_INTERVALS_MS.length - 1];
}

/**
 * The bucket interval: `asked` (ms) when given, else about `buckets` of the range; never finer
 * than MAX_BUCKETS buckets allow (an hourly histogram asked of a second is scaled, as Kibana
 * scales it, and the answer's intervalMs says to what).
 */
export function intervalOf(spanMs: number, buckets: number, asked: number | null): number {
  if (asked === null) return roundInterval(spanMs, buckets);
  return Math.max(asked, roundInterval(spanMs, MAX_BUCKETS));
}

export async function histogram(
  view: StorageView,
  query: QueryNode,
  range: MicrosRange,
  buckets: number,
  split: SplitRequest | null = null,
  askedIntervalMs: number | null = null,
  /** The range in stretches of one offset of the reader's zone (offsetPieces): bars start at its whole hours and midnights. */
  offsets: readonly OffsetPiece[] = [{ ...range, offsetUs: 0n }],
): Promise<Histogram> {
  if (split) checkSplitField(split.field);
  const intervalUs = BigInt(intervalOf(Number(range.toUs - range.fromUs) / 1000, buckets, askedIntervalMs)) * 1000n;
  // Buckets are aligned to the interval in the reader's zone, not to `from`: the same bar means
  // the same minutes however the range was picked, and a day's bar starts at their midnight.
  // Bars longer than an hour follow the reader's calendar across a change of daylight saving time,
  // as Kibana's do (a day's bar is 23 or 25 hours then): each stretch of one offset is counted
  // aligned to it, and bars are matched by their local start. Bars of an hour or less keep one
  // width and one alignment, which a change by whole hours moves no boundary of.
  const pieces = intervalUs > HOUR_US && offsets.length > 1 ? offsets : [{ ...range, offsetUs: offsets[offsets.length - 1].offsetUs }];
  const out: HistogramBucket[] = [];
  const byLocalStart = new Map<bigint, number>();
  const counts: BucketCount[] = [];
  for (const piece of pieces) {
    const origin = alignedOrigin(piece.fromUs, intervalUs, piece.offsetUs);
    const indexes: number[] = [];
    for (let start = origin; start < piece.toUs; start += intervalUs) {
      const local = start + piece.offsetUs;
      let index = byLocalStart.get(local);
      if (index === undefined) {
        byLocalStart.set(local, (index = out.length));
        out.push({ ts: microsToIso(start), count: 0, levels: {} });
      }
      indexes.push(index);
    }
    for (const row of await view.counts({ query, range: { fromUs: piece.fromUs, toUs: piece.toUs }, originUs: origin, intervalUs, split })) {
      counts.push({ ...row, bucket: indexes[row.bucket] ?? -1 });
    }
  }
  let total = 0;
  for (const row of counts) {
    const bucket = out[row.bucket];
    if (!bucket) continue;
    bucket.count += row.n;
    bucket.levels[row.level] = (bucket.levels[row.level] ?? 0) + row.n;
    total += row.n;
  }
  const body: Histogram = {
    from: microsToIso(range.fromUs),
    to: microsToIso(range.toUs),
    intervalMs: Number(intervalUs / 1000n),
    total,
    buckets: out,
  };
  if (!split) return body;
  const groups = splitGroups(split.field, counts.filter((row) => out[row.bucket] !== undefined));
  for (const b of out) b.groups = Object.fromEntries(groups.groups.map((g) => [g.value, 0]));
  for (const row of counts) {
    const groupsOfBucket = out[row.bucket]?.groups;
    if (groupsOfBucket) groupsOfBucket[groupOf(row)] += row.n;
  }
  return { ...body, split: groups };
}
