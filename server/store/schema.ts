// The store's tables. DuckDB allows one writer per file, so only the server opens it.
//
// Entries live in two tiers:
// - hot tables in DuckDB take every ingested batch (appender, one transaction per batch, so a
//   batch is stored whole or not at all); the view `entries_hot` shows both;
// - sealed segments: Parquet files of one time partition (an hour) each, listed in `segments`.
//   A hot table is sealed whole every few minutes or every HOT_MAX_ROWS rows, into segments
//   sorted by (ts, source_id), so time-range queries prune by the catalog first and by row-group
//   min/max next, newest-first reads walk partitions backwards, and one source's neighbouring
//   lines sit close together. Retention deletes whole files, which gives disk back at once;
//   DuckDB only reuses the blocks freed by DELETE and never shrinks its own file, which is why
//   the hot tier is kept small and emptied whole.
//
// Column choices: `ts` is TIMESTAMP (microseconds: the precision the API promises); sources are
// referenced by a UINTEGER id so pod metadata is stored once, not per line; `stream` and `level`
// are VARCHAR because DuckDB dictionary-compresses low-cardinality strings anyway; `fields` holds
// the message's extracted fields as flattened JSON text, or NULL for plain lines.

export const ENTRY_COLUMNS = `
  ts TIMESTAMP NOT NULL,
  source_id UINTEGER NOT NULL,
  file_id UINTEGER NOT NULL,
  "offset" UBIGINT NOT NULL,
  stream VARCHAR NOT NULL,
  level VARCHAR NOT NULL,
  message VARCHAR NOT NULL,
  fields VARCHAR,
  truncated BOOLEAN NOT NULL`;

/**
 * Two hot tables take turns: the writer appends to one while the other is sealed whole and
 * emptied. A table emptied whole leaves no half-deleted row groups behind, so a checkpoint never
 * writes deleted rows into the file, which keeps the DuckDB file small for good.
 */
export const HOT_TABLES = ['entries_hot_a', 'entries_hot_b'] as const;
export type HotTable = (typeof HOT_TABLES)[number];

export const SCHEMA_VERSION = 1;

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR)`,
  // One row per container log stream; labels and annotations are JSON objects.
  `CREATE TABLE IF NOT EXISTS sources (
     id UINTEGER NOT NULL,
     key VARCHAR NOT NULL,
     node VARCHAR NOT NULL,
     namespace VARCHAR NOT NULL,
     pod VARCHAR NOT NULL,
     pod_uid VARCHAR NOT NULL,
     container VARCHAR NOT NULL,
     container_id VARCHAR NOT NULL,
     labels VARCHAR NOT NULL,
     annotations VARCHAR NOT NULL,
     first_seen TIMESTAMP NOT NULL,
     last_seen TIMESTAMP NOT NULL)`,
  // One row per file generation of a source; `max_offset` is the idempotency high-water mark:
  // an entry at or below it has been stored already.
  `CREATE TABLE IF NOT EXISTS files (
     id UINTEGER NOT NULL,
     source_id UINTEGER NOT NULL,
     file_key VARCHAR NOT NULL,
     max_offset BIGINT NOT NULL,
     last_seen TIMESTAMP NOT NULL)`,
  ...HOT_TABLES.map((table) => `CREATE TABLE IF NOT EXISTS ${table} (${ENTRY_COLUMNS})`),
  `CREATE OR REPLACE VIEW entries_hot AS SELECT * FROM ${HOT_TABLES[0]} UNION ALL SELECT * FROM ${HOT_TABLES[1]}`,
  `CREATE TABLE IF NOT EXISTS segments (
     path VARCHAR NOT NULL,
     partition_start TIMESTAMP NOT NULL,
     min_ts TIMESTAMP NOT NULL,
     max_ts TIMESTAMP NOT NULL,
     row_count UBIGINT NOT NULL,
     bytes UBIGINT NOT NULL)`,
  // Whether the segment has its token file (token-index.ts); segments sealed before it existed,
  // or whose token file could not be written, are read whole by free-text searches.
  `ALTER TABLE segments ADD COLUMN IF NOT EXISTS indexed BOOLEAN DEFAULT false`,
  // Where an indexed segment's tokens are: NULL for its own token file beside it, else the path of
  // the day token file it shares with the other segments of its day (see day-tokens.ts).
  `ALTER TABLE segments ADD COLUMN IF NOT EXISTS token_file VARCHAR`,
  // Entry counts of each sealed segment per 5 minutes, source, level and stream, written in the
  // seal's transaction. A histogram whose filter reads only those columns (level, stream and the
  // source's fields) sums a few hundred thousand of these instead of reading ten million entries.
  // Keyed by segment so compaction re-points them and retention drops them with the file.
  `CREATE TABLE IF NOT EXISTS rollups (
     segment VARCHAR NOT NULL,
     ts TIMESTAMP NOT NULL,
     source_id UINTEGER NOT NULL,
     level VARCHAR NOT NULL,
     stream VARCHAR NOT NULL,
     n UBIGINT NOT NULL)`,
];

/** The rollups' time step. */
export const ROLLUP_MICROS = 300_000_000n;
