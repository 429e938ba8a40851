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
const MAX_BLOCK_READS = 200;

/**
 * Entries in `range` matching `filter`. `withSources` joins `sources s` even if the filter does
 * not read it. Parameter names `from`, `to`, `paths`, `bN…` are taken; the filter's are `pN`.
 */
export async function scanOf(snapshot: Snapshot, range: MicrosRange, filter: CompiledQuery, withSources = false): Promise<Scan> {
  const params: Record<string, DuckDBValue> = {
    ...filter.params,
    from: timestampValue(range.fromUs),
    to: timestampValue(range.toUs),
  };
  const segments = snapshot.overlapping(range.fromUs, range.toUs);
  const candidates = filter.requiredText ? await candidateBlocks(snapshot, filter.requiredText) : null;
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
  const parts = ['SELECT * FROM entries_hot'];
  if (whole.length > 0) {
    parts.push('SELECT * FROM read_parquet($paths)');
    params.paths = listValue(whole);
  }
  blocks.forEach((block, i) => {
    parts.push(`SELECT * FROM read_parquet($b${i}) WHERE ts BETWEEN $b${i}_lo AND $b${i}_hi`);
    params[`b${i}`] = block.path;
    params[`b${i}_lo`] = timestampValue(block.lo);
    params[`b${i}_hi`] = timestampValue(block.hi);
  });
  const entries = parts.length === 1 ? 'entries_hot' : `(${parts.join(' UNION ALL ')})`;
  const join = filter.readsSources || withSources ? ` JOIN sources s ON s.id = e.source_id` : '';
  const where = filter.sql === 'TRUE' ? `e.ts >= $from AND e.ts < $to` : `e.ts >= $from AND e.ts < $to AND ${filter.sql}`;
  return { from: `${entries} e${join}`, where, params };
}
