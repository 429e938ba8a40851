// The relation every read model selects from: entries in a time range, hot tables and the sealed
// segments that overlap it, optionally joined to their source. Only the segments the catalog says
// may hold the range are opened; inside them Parquet row-group min/max on `ts` prunes the rest.
// When the query requires free text, the token index narrows segments further to the blocks that
// can hold it, each read by its own time span.
import { type DuckDBValue, listValue, timestampValue } from '@duckdb/node-api';
import type { CompiledQuery } from '../query/compile';
import type { Snapshot } from './snapshot';
import { candidateBlocks } from './token-lookup';

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
 * Past this many block reads, candidate segments are read whole instead: each block read is a
 * subquery with its own setup (~1 ms measured), and a word in that many blocks is not rare.
 */
export const MAX_BLOCK_READS = 200;

export interface ScanOptions {
  /** Join `sources s` even if the filter does not read it. */
  withSources?: boolean;
  /** Read the hot tables (default) and the segments (default). */
  hot?: boolean;
  segments?: boolean;
  /** Prefix of this scan's own parameter names, so several scans can share one statement. */
  name?: string;
}

/**
 * Entries in `range` matching `filter`. Parameters `<name>from`, `<name>to`, `<name>paths`,
 * `<name>bN…` are the scan's own; the filter's are `pN`, shared by every scan of a statement.
 */
export async function scanOf(snapshot: Snapshot, range: MicrosRange, filter: CompiledQuery, options: ScanOptions = {}): Promise<Scan> {
  const { withSources = false, hot = true, segments: withSegments = true, name = '' } = options;
  const params: Record<string, DuckDBValue> = {
    ...filter.params,
    [`${name}from`]: timestampValue(range.fromUs),
    [`${name}to`]: timestampValue(range.toUs),
  };
  const segments = withSegments ? snapshot.overlapping(range.fromUs, range.toUs) : [];
  const candidates = filter.requiredText && segments.length > 0 ? await candidateBlocks(snapshot, filter.requiredText) : null;
  let whole: string[] = [];
  let blocks: { path: string; lo: bigint; hi: bigint }[] = [];
  for (const segment of segments) {
    if (!candidates || !segment.indexed) {
      whole.push(segment.path);
      continue;
    }
    for (const block of candidates.get(segment.path) ?? []) {
      if (block.hi < range.fromUs || block.lo >= range.toUs) continue;
      blocks.push({ path: segment.path, ...block });
    }
  }
  if (blocks.length > MAX_BLOCK_READS) {
    whole = [...whole, ...new Set(blocks.map((b) => b.path))];
    blocks = [];
  }
  const parts = hot ? ['SELECT * FROM entries_hot'] : [];
  if (whole.length > 0) {
    parts.push(`SELECT * FROM read_parquet($${name}paths)`);
    params[`${name}paths`] = listValue(whole);
  }
  blocks.forEach((block, i) => {
    const b = `${name}b${i}`;
    parts.push(`SELECT * FROM read_parquet($${b}) WHERE ts BETWEEN $${b}_lo AND $${b}_hi`);
    params[b] = block.path;
    params[`${b}_lo`] = timestampValue(block.lo);
    params[`${b}_hi`] = timestampValue(block.hi);
  });
  // Nothing to read (no hot tables asked for, no segment in range): an empty relation of the right shape.
  if (parts.length === 0) parts.push('SELECT * FROM entries_hot WHERE FALSE');
  const entries = parts.length === 1 && parts[0] === 'SELECT * FROM entries_hot' ? 'entries_hot' : `(${parts.join(' UNION ALL ')})`;
  const join = filter.readsSources || withSources ? ` JOIN sources s ON s.id = e.source_id` : '';
  const bounds = `e.ts >= $${name}from AND e.ts < $${name}to`;
  const where = filter.sql === 'TRUE' ? bounds : `${bounds} AND ${filter.sql}`;
  return { from: `${entries} e${join}`, where, params };
}
