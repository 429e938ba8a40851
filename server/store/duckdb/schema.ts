import type { DuckDBConnection } from '@duckdb/node-api';

// The store's tables. DuckDB allows one writer per file, so only the server opens it.
//
// Entries live in two tiers:
// - hot tables take every ingested batch (appender, one transaction per group of batches, so a
//   batch is stored whole or not at all); they are in an in-memory database attached as `hot`,
//   made durable by the journal (journal.ts), and the view `entries_hot` shows both;
// - sealed segments: Parquet files of one time partition (an hour) each, listed in `segments`.
//   A hot table is sealed whole every few minutes or every HOT_MAX_ROWS rows, into segments in
//   arrival order (about time order); an hour that is over is rewritten as one file sorted by
//   (ts, source_id), so time-range queries prune by the catalog first and by row-group min/max
//   next, newest-first reads walk partitions backwards, and one source's neighbouring lines sit
//   close together. Retention deletes whole files, which gives disk back at once;
//   DuckDB only reuses the blocks freed by DELETE and never shrinks its own file, which is why
//   entries never enter it: the DuckDB file holds the catalog (sources, files, segments, rollups).
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

/** The in-memory database the hot tables live in, attached under this name at open. */
export const HOT_DATABASE = 'hot';

/**
 * Two hot tables take turns: the writer appends to one while the other is sealed whole and
 * emptied. Qualified names, each in HOT_DATABASE.
 */
export const HOT_TABLES = ['hot.entries_hot_a', 'hot.entries_hot_b'] as const;
/** Where the hot tables were before they moved to memory; an old file's rows there are moved on open. */
export const FILE_HOT_TABLES = ['entries_hot_a', 'entries_hot_b'] as const;
export type HotTable = (typeof HOT_TABLES)[number];

/** The hot table the writer switches to from `table`. */
export function otherHotTable(table: HotTable): HotTable {
  return table === HOT_TABLES[0] ? HOT_TABLES[1] : HOT_TABLES[0];
}

/**
 * A hot table's rows carry the incarnation of the table they were appended to, which grows by one
 * each time the table is emptied. A seal records, in the same commit as the segments it wrote,
 * the incarnation it sealed (`hot_incarnations`), and `entries_hot` shows only rows of later
 * ones. So a read sees sealed rows once, in segments, although the table is emptied afterwards in
 * a transaction of its own (one transaction writes to one database): DuckDB starts a
 * transaction's snapshot of each database at its first use, and a read that looks at the hot
 * tables before the catalog (see Reader) sees either the rows or the segment they went to.
 */
export const HOT_COLUMNS = `${ENTRY_COLUMNS},
  incarnation UINTEGER NOT NULL`;

/**
 * Starts a transaction's snapshot of the hot tables and of nothing else: with catalog, schema and
 * table named, no other database's catalog is looked at (measured: `hot.t` starts the file's
 * snapshot too, `hot.main.t` does not).
 */
export const HOT_SNAPSHOT = `SELECT 1 FROM ${HOT_TABLES.map((t) => t.replace('.', '.main.')).join(', ')} LIMIT 0`;

export const SCHEMA_VERSION = 1;

export const SCHEMA = [
  // Attached databases are the instance's: every connection, reads too, sees the hot tables.
  `ATTACH IF NOT EXISTS ':memory:' AS ${HOT_DATABASE}`,
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
  ...HOT_TABLES.map((table) => `CREATE TABLE IF NOT EXISTS ${table} (${HOT_COLUMNS})`),
  // The incarnation of each hot table sealed last (see HOT_COLUMNS).
  `CREATE TABLE IF NOT EXISTS hot_incarnations (name VARCHAR NOT NULL, sealed UINTEGER NOT NULL)`,
  `INSERT INTO hot_incarnations SELECT name, 0 FROM (VALUES ${HOT_TABLES.map((t) => `('${t}')`).join(', ')}) v(name)
   WHERE name NOT IN (SELECT name FROM hot_incarnations)`,
  `CREATE OR REPLACE VIEW entries_hot AS ${HOT_TABLES.map(
    (t) => `SELECT * EXCLUDE (incarnation) FROM ${t} WHERE incarnation > (SELECT sealed FROM hot_incarnations WHERE name = '${t}')`,
  ).join(' UNION ALL ')}`,
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
  // Segments set aside because their file could not be read (damaged-segments.ts): their lines
  // are no longer in any count, and this is where the store says which, and why.
  `CREATE TABLE IF NOT EXISTS damaged_segments (
     path VARCHAR NOT NULL,
     min_ts TIMESTAMP NOT NULL,
     max_ts TIMESTAMP NOT NULL,
     row_count UBIGINT NOT NULL,
     reason VARCHAR NOT NULL,
     found_at TIMESTAMP NOT NULL)`,
  // Saved searches (saved-searches.ts): `owner` is the signed-in user, '' when sign-in is off;
  // `view` is the page's JSON object. Added by this statement to files made before it existed.
  `CREATE TABLE IF NOT EXISTS saved_searches (
     id VARCHAR NOT NULL,
     owner VARCHAR NOT NULL,
     name VARCHAR NOT NULL,
     view VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL,
     updated_at TIMESTAMP NOT NULL)`,
];

/** The rollups' time step. */
export const ROLLUP_MICROS = 300_000_000n;

/** The incarnation each hot table is in, which its rows get (see HOT_COLUMNS). */
export class HotIncarnations {
  private constructor(private readonly current: Map<HotTable, number>) {}

  /** Both tables start in the incarnation after the one sealed last. */
  static async load(connection: DuckDBConnection): Promise<HotIncarnations> {
    const rows = (await connection.runAndReadAll(`SELECT name, sealed FROM hot_incarnations`)).getRowObjectsJS();
    const sealed = new Map(rows.map((row) => [String(row.name), Number(row.sealed)]));
    return new HotIncarnations(new Map(HOT_TABLES.map((table) => [table, (sealed.get(table) ?? 0) + 1])));
  }

  of(table: HotTable): number {
    return this.current.get(table)!;
  }

  /** After `table`'s incarnation is sealed: later rows are of the next one. */
  renew(table: HotTable): void {
    this.current.set(table, this.of(table) + 1);
  }
}
