// Entries per histogram bucket and level, per split value, and per source (field values and the
// field list's counts). Where neither the filter nor the grouping reads text (and, for a
// histogram, the interval is a whole number of rollup steps), sealed entries are counted from the
// rollups for the steps wholly inside the range, and read only at its ragged edges; hot entries
// are always read.
import type { DuckDBValue } from '@duckdb/node-api';
import { timestampValue } from '@duckdb/node-api';
import { classifyField } from '../../query/fields';
import type { BucketCount, CountsRequest, MicrosRange, SplitRequest } from '../log-storage';
import { type CompiledQuery, jsonKeyPath } from './compile';
import { type Scan, scanOf } from './scan';
import { ceilTo, floorTo } from '../timestamps';
import { ROLLUP_MICROS } from './schema';
import type { Snapshot } from './snapshot';

interface SplitValue {
  sql: string;
  params: Record<string, DuckDBValue>;
  readsSources: boolean;
  readsEntries: boolean;
}

export async function bucketCounts(snapshot: Snapshot, filter: CompiledQuery, request: CountsRequest): Promise<BucketCount[]> {
  const { range, originUs, intervalUs, split } = request;
  // Origin and interval are integers the read model computed, written into the SQL as literals:
  // bound as parameters they arrive as a wider type and the per-row division took 8× longer (measured).
  const bucket = `(epoch_us(e.ts) - ${BigInt(originUs).toString()}) // ${BigInt(intervalUs).toString()}`;
  const value = split ? splitValue(split.field) : null;
  const [sql, params] = await countsQuery(snapshot, filter, range, intervalUs, bucket, value);
  const rows = split ? await snapshot.rows(topGroupsSql(sql, split.limit), params) : await snapshot.rows(sql, params);
  return rows.map((row) => {
    const count: BucketCount = { bucket: Number(row.bucket), level: String(row.level), n: Number(row.n) };
    if (split) count.group = groupOf(row);
    return count;
  });
}

/** The SQL value a split groups by. The read model refuses `message` before it gets here. */
function splitValue(field: SplitRequest['field']): SplitValue {
  const kind = classifyField(field);
  switch (kind.kind) {
    case 'message':
    case 'pattern':
      throw new Error(`split by ${kind.kind}: free text has no values to count`);
    case 'entry':
      return { sql: `e.${kind.column}`, params: {}, readsSources: false, readsEntries: false };
    case 'source':
      return { sql: `s.${kind.column}`, params: {}, readsSources: true, readsEntries: false };
    case 'label':
      return { sql: `json_extract_string(s.labels, $split_path)`, params: { split_path: jsonKeyPath(kind.key) }, readsSources: true, readsEntries: false };
    case 'extracted':
      return { sql: `json_extract_string(e.fields, $split_path)`, params: { split_path: jsonKeyPath(kind.path) }, readsSources: false, readsEntries: true };
  }
}

/**
 * Counts per (bucket, level) with each value ranked among the `limit` most frequent over the whole
 * range (kind 0), the rest (kind 1) and entries without the field (kind 2).
 */
function topGroupsSql(counts: string, limit: number): string {
  return `WITH counts AS MATERIALIZED (SELECT bucket, level, v, sum(n) AS n FROM (${counts}) GROUP BY ALL),
    top AS (
      SELECT v, row_number() OVER (ORDER BY sum(n) DESC, v) AS rank FROM counts WHERE v IS NOT NULL GROUP BY v
      QUALIFY rank <= ${Math.trunc(limit)}
    )
    SELECT c.bucket AS bucket, c.level AS level,
      CASE WHEN c.v IS NULL THEN 2 WHEN t.v IS NULL THEN 1 ELSE 0 END AS kind,
      t.v AS value, t.rank AS rank, sum(c.n) AS n
    FROM counts c LEFT JOIN top t ON t.v = c.v
    GROUP BY ALL`;
}

function groupOf(row: Record<string, unknown>): NonNullable<BucketCount['group']> {
  const kind = Number(row.kind);
  return kind === 0 ? { kind: 'value', value: String(row.value), rank: Number(row.rank) } : kind === 1 ? { kind: 'other' } : { kind: 'missing' };
}

async function countsQuery(
  snapshot: Snapshot,
  filter: CompiledQuery,
  range: MicrosRange,
  intervalUs: bigint,
  bucket: string,
  split: SplitValue | null,
): Promise<[string, Record<string, DuckDBValue>]> {
  const v = split ? `, ${split.sql} AS v` : '';
  const rollups = !split?.readsEntries && intervalUs % ROLLUP_MICROS === 0n;
  return groupCounts(snapshot, filter, range, `${bucket} AS bucket, e.level AS level${v}`, {
    withSources: split?.readsSources ?? false,
    rollups,
    params: split?.params ?? {},
  });
}

/**
 * Entries of each source in the range, and of each of its levels and streams when asked: the
 * read behind field values, the field list's counts and suggestions. Summed from the rollups as
 * the histogram is, so it does not open every file of the range.
 */
export async function sourceTallies(snapshot: Snapshot, filter: CompiledQuery, range: MicrosRange, level: boolean, stream: boolean): Promise<Record<string, unknown>[]> {
  // Only the two fixed column names reach the SQL.
  const select = `e.source_id AS source${level ? ', e.level AS level' : ''}${stream ? ', e.stream AS stream' : ''}`;
  const [sql, params] = await groupCounts(snapshot, filter, range, select, { withSources: false, rollups: true, params: {} });
  return snapshot.rows(sql, params);
}

/**
 * `SELECT <select>, count(*) AS n … GROUP BY ALL` over the entries in `range` matching `filter`,
 * where `select` reads only the entry's time, level, stream and source (and `s.*` when
 * `withSources`). With `rollups`, and a filter that reads no text, sealed entries are summed from
 * the rollups for the steps wholly inside the range, and read only at its ragged edges.
 */
async function groupCounts(
  snapshot: Snapshot,
  filter: CompiledQuery,
  range: MicrosRange,
  select: string,
  options: { withSources: boolean; rollups: boolean; params: Record<string, DuckDBValue> },
): Promise<[string, Record<string, DuckDBValue>]> {
  const { withSources } = options;
  const inner = { fromUs: ceilTo(range.fromUs, ROLLUP_MICROS), toUs: floorTo(range.toUs, ROLLUP_MICROS) };
  if (filter.readsText || !options.rollups || inner.fromUs >= inner.toUs) {
    const scan = await scanOf(snapshot, range, filter, { withSources });
    return [`SELECT ${select}, count(*) AS n FROM ${scan.from} WHERE ${scan.where} GROUP BY ALL`, { ...scan.params, ...options.params }];
  }
  const hot = await scanOf(snapshot, range, filter, { segments: false, name: 'h_', withSources });
  const head = await scanOf(snapshot, { fromUs: range.fromUs, toUs: inner.fromUs }, filter, { hot: false, name: 'a_', withSources });
  const tail = await scanOf(snapshot, { fromUs: inner.toUs, toUs: range.toUs }, filter, { hot: false, name: 'z_', withSources });
  const join = filter.readsSources || withSources ? ' JOIN sources s ON s.id = e.source_id' : '';
  const where = filter.sql === 'TRUE' ? '' : ` AND ${filter.sql}`;
  const raw = (scan: Scan) => `SELECT ${select}, 1 AS n FROM ${scan.from} WHERE ${scan.where}`;
  const sql = `SELECT * EXCLUDE (n), sum(n) AS n FROM (
      SELECT ${select}, e.n AS n FROM rollups e${join} WHERE e.ts >= $r_from AND e.ts < $r_to${where}
      UNION ALL ${raw(hot)} UNION ALL ${raw(head)} UNION ALL ${raw(tail)}
    ) GROUP BY ALL`;
  const params = { ...hot.params, ...head.params, ...tail.params, ...options.params, r_from: timestampValue(inner.fromUs), r_to: timestampValue(inner.toUs) };
  return [sql, params];
}
