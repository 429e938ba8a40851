// The relation every read model selects from: entries in a time range, hot tables and the sealed
// segments that overlap it, optionally joined to their source. Only the segments the catalog says
// may hold the range are opened; inside them Parquet row-group min/max on `ts` prunes the rest.
import { type DuckDBValue, listValue, timestampValue } from '@duckdb/node-api';
import type { CompiledQuery } from '../query/compile';
import type { Snapshot } from './snapshot';

export interface MicrosRange {
  /** Inclusive, microseconds since the epoch. */
  fromUs: bigint;
  /** Exclusive. */
  toUs: bigint;
}

export interface Scan {
  /** `FROM …` text binding the entries as `e` (and the source as `s` when the filter reads it). */
  from: string;
  /** `WHERE …` text: the time range and the filter. */
  where: string;
  params: Record<string, DuckDBValue>;
}

/**
 * Entries in `range` matching `filter`. `withSources` joins `sources s` even if the filter does
 * not read it. Parameter names `from`, `to`, `paths` are taken; the filter's are `p1`, `p2`, ….
 */
export function scanOf(snapshot: Snapshot, range: MicrosRange, filter: CompiledQuery, withSources = false): Scan {
  const paths = snapshot.overlapping(range.fromUs, range.toUs).map((s) => s.path);
  const entries = paths.length
    ? `(SELECT * FROM entries_hot UNION ALL SELECT * FROM read_parquet($paths))`
    : `entries_hot`;
  const join = filter.readsSources || withSources ? ` JOIN sources s ON s.id = e.source_id` : '';
  const params: Record<string, DuckDBValue> = {
    ...filter.params,
    from: timestampValue(range.fromUs),
    to: timestampValue(range.toUs),
  };
  if (paths.length) params.paths = listValue(paths);
  const where = filter.sql === 'TRUE' ? `e.ts >= $from AND e.ts < $to` : `e.ts >= $from AND e.ts < $to AND ${filter.sql}`;
  return { from: `${entries} e${join}`, where, params };
}
