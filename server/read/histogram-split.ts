// The `split` of GET /api/histogram: each bucket's count broken down by the values of one field,
// the top N values over the whole range and two catch-alls. The top N is chosen in SQL, so a
// field with a million distinct values (a request id) still returns buckets × levels × (N + 2)
// rows, not one per value.
import type { DuckDBValue } from '@duckdb/node-api';
import type { HistogramSplit } from '../../common/read-api';
import { BadRequestError } from '../errors';
import { jsonKeyPath } from '../query/compile';
import { classifyField } from '../query/fields';

/** The group of entries whose value is not among the top N. */
export const OTHER_GROUP = '__other__';
/** The group of entries that do not have the field. */
export const MISSING_GROUP = '__missing__';
export const DEFAULT_SPLIT_LIMIT = 5;
/** More series than this is not a readable chart, and each costs a row per bucket and level. */
export const MAX_SPLIT_LIMIT = 20;

export interface SplitRequest {
  field: string;
  limit: number;
}

/** How a split field's value is read: SQL text chosen here, the field's key only ever bound. */
export interface SplitValue {
  /** An expression of `e` (entry or rollup) and `s` (source); NULL when the entry lacks the field. */
  sql: string;
  params: Record<string, DuckDBValue>;
  /** Reads `s.*`: the relation must join `sources s`. */
  readsSources: boolean;
  /** Reads `e.fields`, which rollups do not have. */
  readsEntries: boolean;
}

/** `field` is a name of the field grammar (read-params.ts, fieldParam), so it fits a JSON path. */
export function splitValue(field: string): SplitValue {
  const kind = classifyField(field);
  switch (kind.kind) {
    case 'message':
      throw new BadRequestError('split: message is free text, not a field with values to count; split by another field', 'invalid_parameter');
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
 * Wraps `counts` (rows of bucket, level, v, n) so that it answers one row per bucket, level and
 * group: `kind` 0 for a top value (`value` and its `rank` set), 1 for the others, 2 for missing.
 * Top values rank by their count over the whole range, then by value, so ties are stable.
 * `counts` is read twice and must be scanned once: MATERIALIZED says so (DuckDB 1.5 picks it
 * on its own for this plan; an older or newer planner must not run the scan twice).
 */
export function topGroupsSql(counts: string, limit: number): string {
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

/** The name a row of topGroupsSql counts under. */
export function groupOf(row: Record<string, unknown>): string {
  const kind = Number(row.kind);
  return kind === 0 ? String(row.value) : kind === 1 ? OTHER_GROUP : MISSING_GROUP;
}

/** The split's groups, in order: top values by rank, then other, then missing; none with count 0. */
export function splitGroups(field: string, rows: readonly Record<string, unknown>[]): HistogramSplit {
  const totals = new Map<string, { order: number; count: number }>();
  for (const row of rows) {
    const name = groupOf(row);
    const kind = Number(row.kind);
    const order = kind === 0 ? Number(row.rank) : MAX_SPLIT_LIMIT + kind;
    const entry = totals.get(name) ?? { order, count: 0 };
    entry.count += Number(row.n);
    totals.set(name, entry);
  }
  const groups = [...totals]
    .filter(([, t]) => t.count > 0)
    .sort((a, b) => a[1].order - b[1].order)
    .map(([value, t]) => ({ value, count: t.count }));
  return { field, groups };
}
