// Read helpers for tests: the read models proper come with the query language.
import { type DuckDBValue, listValue, timestampValue } from '@duckdb/node-api';
import type { LogStore } from './log-store';

const ALL_TIME: [bigint, bigint] = [0n, 2n ** 62n];

/**
 * Runs `select` over every stored entry in [from, to) microseconds, hot tables and segments
 * alike, as the relation `e`; `select` is test-written SQL, never user text.
 */
export async function queryEntries(
  store: LogStore,
  select: (relation: string) => string,
  [from, to]: [bigint, bigint] = ALL_TIME,
): Promise<Record<string, unknown>[]> {
  const paths = store.segments.pathsOverlapping(from, to);
  const relation = paths.length
    ? `(SELECT * FROM entries_hot UNION ALL SELECT * FROM read_parquet($paths))`
    : `(SELECT * FROM entries_hot)`;
  const params: Record<string, DuckDBValue> = { from: timestampValue(from), to: timestampValue(to) };
  if (paths.length) params.paths = listValue(paths);
  const connection = await store.connect();
  try {
    const sql = `SELECT * FROM (${select(`(SELECT * FROM ${relation} WHERE ts >= $from AND ts < $to)`)})`;
    return (await connection.runAndReadAll(sql, params)).getRowObjectsJS();
  } finally {
    connection.closeSync();
  }
}

/** How many entries each file generation has, across the hot tables and every segment. */
export async function countByFile(store: LogStore): Promise<Map<string, number>> {
  const rows = await queryEntries(
    store,
    (entries) => `SELECT f.file_key AS file, count(*) AS n FROM ${entries} e JOIN files f ON f.id = e.file_id GROUP BY ALL`,
  );
  return new Map(rows.map((r) => [String(r.file), Number(r.n)]));
}

/** Entries with ts in [from, to) milliseconds across the hot tables and every segment. */
export async function countEntries(store: LogStore, fromMs = 0, toMs = 8.64e15): Promise<number> {
  const range: [bigint, bigint] = [BigInt(Math.trunc(fromMs)) * 1000n, BigInt(Math.trunc(toMs)) * 1000n];
  const rows = await queryEntries(store, (entries) => `SELECT count(*) AS n FROM ${entries}`, range);
  return Number(rows[0].n);
}

/** Every stored entry as `file offset message`, sorted: what a test compares with what it sent. */
export async function storedEntries(store: LogStore): Promise<string[]> {
  const rows = await queryEntries(
    store,
    (entries) => `SELECT f.file_key AS file, e."offset" AS "offset", e.message AS message FROM ${entries} e JOIN files f ON f.id = e.file_id`,
  );
  return rows.map((r) => `${String(r.file)} ${String(r.offset)} ${String(r.message)}`).sort();
}
