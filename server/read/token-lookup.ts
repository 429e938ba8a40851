// Which blocks of which segments can hold the free text a query requires, from the segments'
// token files (store/token-index.ts). Null when the index cannot help (no usable token).
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { lookupKeys, TOKEN_FILE_SUFFIX, tokenFileOf } from '../store/token-index';
import type { Snapshot } from './snapshot';

export interface BlockRange {
  lo: bigint;
  hi: bigint;
}

/** Segment path → time spans of its blocks that hold every key; a missing path holds none. */
export type Candidates = Map<string, BlockRange[]>;

export function candidateBlocks(snapshot: Snapshot, texts: readonly string[]): Promise<Candidates | null> {
  const keys = lookupKeys(texts);
  if (keys.length === 0) return Promise.resolve(null);
  return snapshot.memo(`tokens:${JSON.stringify(keys)}`, async () => {
    const indexed = snapshot.all().filter((s) => s.indexed);
    const ownFiles = indexed.filter((s) => s.dayTokens === null).map((s) => tokenFileOf(s.path));
    const dayFiles = [...new Set(indexed.flatMap((s) => (s.dayTokens === null ? [] : [s.dayTokens])))];
    const candidates: Candidates = new Map();
    if (indexed.length === 0) return candidates;
    const params: Record<string, DuckDBValue> = {};
    if (ownFiles.length > 0) params.own_files = listValue(ownFiles);
    if (dayFiles.length > 0) {
      params.day_files = listValue(dayFiles);
      params.directory = `${snapshot.directory}/`;
    }
    // One subquery per key and kind of file, so each is a plain predicate on the sorted token
    // column that Parquet statistics can prune (an OR of them is not pruned).
    const lookups = keys.flatMap((key, i) => {
      params[`k${i}`] = key.token;
      const condition = key.match === 'exact' ? `token = $k${i}` : `token >= $k${i} AND token < $k${i} || '~'`; // '~' sorts after [a-z0-9]
      const own = `SELECT ${i} AS k, left(filename, length(filename) - ${TOKEN_FILE_SUFFIX.length}) AS segment, lo, hi
        FROM read_parquet($own_files, filename = true) WHERE ${condition}`;
      const day = `SELECT ${i} AS k, $directory || segment AS segment, lo, hi FROM read_parquet($day_files) WHERE ${condition}`;
      return [...(ownFiles.length > 0 ? [own] : []), ...(dayFiles.length > 0 ? [day] : [])];
    });
    const rows = await snapshot.rows(
      `SELECT segment, epoch_us(lo) AS lo, epoch_us(hi) AS hi FROM (${lookups.join(' UNION ALL ')})
        GROUP BY ALL HAVING count(DISTINCT k) = ${keys.length} ORDER BY segment, lo`,
      params,
    );
    for (const row of rows) {
      const segment = String(row.segment);
      const ranges = candidates.get(segment) ?? [];
      const range = { lo: BigInt(row.lo as bigint), hi: BigInt(row.hi as bigint) };
      const last = ranges[ranges.length - 1];
      if (last && range.lo <= last.hi) last.hi = range.hi > last.hi ? range.hi : last.hi;
      else ranges.push(range);
      candidates.set(segment, ranges);
    }
    return candidates;
  });
}
