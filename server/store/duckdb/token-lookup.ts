// Which blocks of which segments can hold the free text a query requires, from the segments'
// token files (token-index.ts). Null when the index cannot help (no usable token).
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { lookupKeys, TOKEN_FILE_SUFFIX, tokenFileOf } from './token-index';
import type { Snapshot } from './snapshot';

export interface BlockRange {
  lo: bigint;
  hi: bigint;
  /**
   * Exact times (microseconds) of the only lines of the block that can match, when the index
   * lists them for one of the keys (the key with the fewest); null when the whole span is read.
   */
  hits: bigint[] | null;
}

/** Segment path → its blocks that hold every key, oldest first, disjoint; a missing path holds none. */
export type Candidates = Map<string, BlockRange[]>;

export function candidateBlocks(snapshot: Snapshot, texts: readonly string[]): Promise<Candidates | null> {
  const keys = lookupKeys(texts);
  if (keys.length === 0) return Promise.resolve(null);
  return snapshot.memo(`tokens:${JSON.stringify(keys)}`, async () => {
    const indexed = snapshot.all().filter((s) => s.indexed);
    const ownFiles = indexed.filter((s) => s.tokenFile === null).map((s) => tokenFileOf(s.path));
    const dayFiles = [...new Set(indexed.flatMap((s) => (s.tokenFile === null ? [] : [s.tokenFile])))];
    if (indexed.length === 0) return new Map();
    snapshot.readsTokenFiles([...ownFiles, ...dayFiles]);
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
      const own = `SELECT ${i} AS k, left(filename, length(filename) - ${TOKEN_FILE_SUFFIX.length}) AS segment, lo, hi, hit
        FROM read_parquet($own_files, filename = true) WHERE ${condition}`;
      const day = `SELECT ${i} AS k, $directory || segment AS segment, lo, hi, hit FROM read_parquet($day_files) WHERE ${condition}`;
      return [...(ownFiles.length > 0 ? [own] : []), ...(dayFiles.length > 0 ? [day] : [])];
    });
    // Per block and key: the times of its lines that hold it, or none when a token the key
    // matches is in more than one line of the block (a prefix key can match several tokens).
    const rows = await snapshot.rows(
      `SELECT segment, epoch_us(lo) AS lo, epoch_us(hi) AS hi, k,
         CASE WHEN bool_or(hit IS NULL) THEN NULL ELSE list(DISTINCT epoch_us(lo) + hit) END AS hits
       FROM (${lookups.join(' UNION ALL ')}) GROUP BY ALL ORDER BY segment, lo`,
      params,
    );
    return candidatesOf(rows, keys.length);
  });
}

/** Blocks that hold all `keyCount` keys, each with the shortest hit list any key gives it. */
function candidatesOf(rows: Record<string, unknown>[], keyCount: number): Candidates {
  const blocks = new Map<string, { segment: string; lo: bigint; hi: bigint; keys: Set<number>; hits: bigint[] | null }>();
  for (const row of rows) {
    const segment = String(row.segment);
    const lo = BigInt(row.lo as bigint);
    const id = `${segment}\n${lo}`;
    let block = blocks.get(id);
    if (!block) blocks.set(id, (block = { segment, lo, hi: BigInt(row.hi as bigint), keys: new Set(), hits: null }));
    block.keys.add(Number(row.k));
    const hits = row.hits === null ? null : (row.hits as bigint[]).map((h) => BigInt(h));
    if (hits && (block.hits === null || hits.length < block.hits.length)) block.hits = hits;
  }
  const candidates: Candidates = new Map();
  for (const block of blocks.values()) {
    if (block.keys.size < keyCount) continue;
    const ranges = candidates.get(block.segment) ?? [];
    const last = ranges[ranges.length - 1];
    // Blocks that share a timestamp overlap as spans: one read of both, or it returns lines twice.
    if (last && block.lo <= last.hi) {
      if (block.hi > last.hi) last.hi = block.hi;
      last.hits = last.hits && block.hits ? [...last.hits, ...block.hits] : null;
    } else {
      ranges.push({ lo: block.lo, hi: block.hi, hits: block.hits });
    }
    candidates.set(block.segment, ranges);
  }
  return candidates;
}
