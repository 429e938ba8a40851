// GET /api/histogram: hit counts per round interval, split by level (and by one more field on
// request, see histogram-split.ts), every bucket present.
import type { HistogramBucket, HistogramResponse as Histogram } from '../../common/read-api';
import type { CompiledQuery } from '../query/compile';
import { microsToIso } from '../store/timestamps';
import { type DuckDBValue, timestampValue } from '@duckdb/node-api';
import { ROLLUP_MICROS } from '../store/schema';
import { type MicrosRange, type Scan, scanOf } from './scan';
import type { Snapshot } from './snapshot';
import { groupOf, type SplitRequest, type SplitValue, splitGroups, splitValue, topGroupsSql } from './histogram-split';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
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

export async function histogram(
  snapshot: Snapshot,
  filter: CompiledQuery,
  range: MicrosRange,
  buckets: number,
  split: SplitRequest | null = null,
): Promise<Histogram> {
  const intervalUs = BigInt(roundInterval(Number(range.toUs - range.fromUs) / 1000, buckets)) * 1000n;
  // Buckets are aligned to the interval (from the epoch, so in UTC), not to `from`: the same
  // bar means the same minutes however the range was picked.
  const origin = floorTo(range.fromUs, intervalUs);
  // Origin and interval are integers this code computed, written into the SQL as literals: bound
  // as parameters they arrive as a wider type and the per-row division took 8× longer (measured).
  const bucket = `(epoch_us(e.ts) - ${origin.toString()}) // ${intervalUs.toString()}`;
  const value = split ? splitValue(split.field) : null;
  const [sql, params] = await countsQuery(snapshot, filter, range, intervalUs, bucket, value);
  const rows = split ? await snapshot.rows(topGroupsSql(sql, split.limit), params) : await snapshot.rows(sql, params);
  const count = Number((range.toUs - origin + intervalUs - 1n) / intervalUs);
  const out: HistogramBucket[] = Array.from({ length: count }, (_, i) => ({
    ts: microsToIso(origin + BigInt(i) * intervalUs),
    count: 0,
    levels: {},
  }));
  let total = 0;
  for (const row of rows) {
    const bucket = out[Number(row.bucket)];
    if (!bucket) continue;
    const n = Number(row.n);
    bucket.count += n;
    bucket.levels[String(row.level)] = (bucket.levels[String(row.level)] ?? 0) + n;
    total += n;
  }
  const body: Histogram = {
    from: microsToIso(range.fromUs),
    to: microsToIso(range.toUs),
    intervalMs: Number(intervalUs / 1000n),
    total,
    buckets: out,
  };
  if (!split) return body;
  const groups = splitGroups(split.field, rows.filter((row) => out[Number(row.bucket)] !== undefined));
  for (const b of out) b.groups = Object.fromEntries(groups.groups.map((g) => [g.value, 0]));
  for (const row of rows) {
    const groupsOfBucket = out[Number(row.bucket)]?.groups;
    if (groupsOfBucket) groupsOfBucket[groupOf(row)] += Number(row.n);
  }
  return { ...body, split: groups };
}

/**
 * Counts per (bucket, level), and per split value `v` when `split` is given. Where neither the
 * filter nor the split reads text and the interval is a whole number of rollup steps, sealed
 * entries are counted from the rollups for the steps wholly inside the range, and read only at
 * its ragged edges; hot entries are always read.
 */
async function countsQuery(
  snapshot: Snapshot,
  filter: CompiledQuery,
  range: MicrosRange,
  intervalUs: bigint,
  bucket: string,
  split: SplitValue | null,
): Promise<[string, Record<string, DuckDBValue>]> {
  const inner = { fromUs: ceilTo(range.fromUs, ROLLUP_MICROS), toUs: floorTo(range.toUs, ROLLUP_MICROS) };
  const v = split ? `, ${split.sql} AS v` : '';
  const splitParams = split?.params ?? {};
  const withSources = split?.readsSources ?? false;
  if (filter.readsText || split?.readsEntries || intervalUs % ROLLUP_MICROS !== 0n || inner.fromUs >= inner.toUs) {
    const scan = await scanOf(snapshot, range, filter, { withSources });
    return [`SELECT ${bucket} AS bucket, e.level AS level${v}, count(*) AS n FROM ${scan.from} WHERE ${scan.where} GROUP BY ALL`, { ...scan.params, ...splitParams }];
  }
  const hot = await scanOf(snapshot, range, filter, { segments: false, name: 'h_', withSources });
  const head = await scanOf(snapshot, { fromUs: range.fromUs, toUs: inner.fromUs }, filter, { hot: false, name: 'a_', withSources });
  const tail = await scanOf(snapshot, { fromUs: inner.toUs, toUs: range.toUs }, filter, { hot: false, name: 'z_', withSources });
  const join = filter.readsSources || withSources ? ' JOIN sources s ON s.id = e.source_id' : '';
  const where = filter.sql === 'TRUE' ? '' : ` AND ${filter.sql}`;
  const raw = (scan: Scan) => `SELECT ${bucket} AS bucket, e.level AS level${v}, 1 AS n FROM ${scan.from} WHERE ${scan.where}`;
  const sql = `SELECT bucket, level${split ? ', v' : ''}, sum(n) AS n FROM (
      SELECT ${bucket} AS bucket, e.level AS level${v}, e.n AS n FROM rollups e${join} WHERE e.ts >= $r_from AND e.ts < $r_to${where}
      UNION ALL ${raw(hot)} UNION ALL ${raw(head)} UNION ALL ${raw(tail)}
    ) GROUP BY ALL`;
  const params = { ...hot.params, ...head.params, ...tail.params, ...splitParams, r_from: timestampValue(inner.fromUs), r_to: timestampValue(inner.toUs) };
  return [sql, params];
}

function ceilTo(value: bigint, step: bigint): bigint {
  const floor = floorTo(value, step);
  return floor === value ? value : floor + step;
}

function floorTo(value: bigint, step: bigint): bigint {
  const r = ((value % step) + step) % step;
  return value - r;
}
