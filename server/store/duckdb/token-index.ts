// The token skip index: for each sealed segment, a companion Parquet file listing every token of
// its messages with the time span of the block of TOKEN_BLOCK_ROWS entries it occurs in, and,
// where it occurs once in that block, the exact time of that line.
//
// Why: a free-text search for a rare word (a request id) otherwise reads every message of the
// range, which is no faster than grep over the raw files. Knowing which blocks can hold the word
// lets a read open only those blocks, by their time span (segments are sorted by time, so Parquet
// row-group statistics skip the rest). VictoriaLogs keeps per-block token Bloom filters for the
// same reason; an exact token list sorted by token is used here because DuckDB can build it in
// SQL at seal time (no per-line JavaScript on the ingest path), a lookup is a range read on a
// sorted column, and a prefix lookup works too.
//
// The exact timestamps are what makes a rare word cheap across a week: one scan of every
// candidate segment with `ts IN (…)`, which DuckDB checks against each row group's min/max and
// then row by row, instead of one subquery per block, whose planning alone cost ~0.4 ms each
// (measured over 73 blocks: 96 ms by block subqueries, 41 ms by one scan with the hit times).
//
// Tokens are the maximal runs of [a-z0-9] in the lowercased message, cut to MAX_TOKEN_CHARS. The
// index only ever rules blocks out; the query's own predicate decides every row.
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Entries per block, and per Parquet row group of a segment (the unit a read decompresses).
 * Measured over ten million lines (bench:query, exact hit times in the index): a rare word's
 * first page over a week took 72 ms at 2,048 rows and 78 ms at 4,096; a case-insensitive scan of
 * every message 0.93-1.00x grep's time at 2,048 and 0.87x at 4,096 (0.85x at 8,192, where block
 * reads made the rare page 175 ms before hit times existed). 4,096 keeps both well inside.
 */
export const TOKEN_BLOCK_ROWS = 4096;
/** Longer tokens are cut (base64 blobs); 128 keeps whole the 64-hex digests that fill container logs. */
export const MAX_TOKEN_CHARS = 128;
/** Versioned: a change to what a token file holds must not be read by the old rules (see Segments.load). */
export const TOKEN_FILE_SUFFIX = '.tokens-v4';

export function tokenFileOf(segmentFile: string): string {
  return `${segmentFile}${TOKEN_FILE_SUFFIX}`;
}

/**
 * Writes the token file of a sealed segment at `target` (the caller renames it into place):
 * (token, lo, hi, hit) sorted by token, one row per token and block, `hit` the microseconds from
 * `lo` to the only line of the block holding the token, or NULL when more than one does. Only the
 * single hit is kept, and as an offset: listing up to four times, as timestamps, made the token
 * files 2.8x the size of the same without times (72 against 36 MB a day here; this way 54).
 */
export async function writeTokenFile(connection: DuckDBConnection, segmentFile: string, target: string): Promise<void> {
  // COPY takes no parameter for its target; both paths are built by the store, never user text.
  await connection.run(
    `COPY (
       WITH numbered AS (
         SELECT ts, message, file_row_number // ${TOKEN_BLOCK_ROWS} AS block FROM read_parquet($segment, file_row_number = true)
       ),
       blocks AS (SELECT block, min(ts) AS lo, max(ts) AS hi FROM numbered GROUP BY block),
       split AS (SELECT block, ts, unnest(regexp_split_to_array(lower(message), '[^a-z0-9]+')) AS token FROM numbered),
       pairs AS (
         SELECT block, left(token, ${MAX_TOKEN_CHARS}) AS token, count(*) AS n, min(ts) AS first
         FROM split WHERE token <> '' GROUP BY ALL
       )
       SELECT p.token, b.lo, b.hi, CASE WHEN p.n = 1 THEN (epoch_us(p.first) - epoch_us(b.lo))::UINTEGER END AS hit
       FROM pairs p JOIN blocks b USING (block) ORDER BY 1, 2
     ) TO '${target.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384)`,
    { segment: segmentFile },
  );
}

/** One lookup: blocks holding `token` exactly, or a token starting with it. */
export interface TokenKey {
  token: string;
  match: 'exact' | 'prefix';
}

/**
 * What the index can check for a case-insensitive substring `text` (as `contains(lower(message),
 * lower(text))` reads it): a run of [a-z0-9] with a separator on both sides in the text must be a
 * whole token of the message (exact); one that ends the text must start a token (prefix). The run
 * that starts the text, or the only run, may sit anywhere inside a message token: checking that
 * means scanning every token list (measured: 850 ms over ten million lines, slower than what it
 * saves), so such runs are not checked and a single bare word is searched without the index.
 * Text with non-ASCII characters is not checked: their lowercase forms may hold ASCII letters
 * (U+0130 lowercases to "i" and a combining dot). RE2's `(?i)`, which evaluates most free text,
 * also folds U+017F to "s" and U+212A to "k"; a line matching only through those folds may be
 * skipped by the index.
 */
export function tokenKeys(text: string): TokenKey[] {
  if (!/^[\x00-\x7f]*$/.test(text)) return [];
  const lower = text.toLowerCase();
  const keys: TokenKey[] = [];
  for (const run of lower.matchAll(/[a-z0-9]+/g)) {
    const start = run.index;
    if (start === 0) continue;
    const end = start + run[0].length;
    // Stored tokens are cut to MAX_TOKEN_CHARS: a longer run is looked up by its cut form, which
    // a message token equal to or starting with the run also has.
    const long = run[0].length >= MAX_TOKEN_CHARS;
    keys.push({ token: run[0].slice(0, MAX_TOKEN_CHARS), match: end === lower.length && !long ? 'prefix' : 'exact' });
  }
  return keys;
}

/** The lookups for a set of required texts: longest (most selective) first, at most `max`. */
export function lookupKeys(texts: readonly string[], max = 3): TokenKey[] {
  const unique = new Map<string, TokenKey>();
  for (const key of texts.flatMap(tokenKeys)) unique.set(`${key.match}:${key.token}`, key);
  return [...unique.values()].sort((a, b) => b.token.length - a.token.length).slice(0, max);
}
