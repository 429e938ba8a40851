// Read helpers for tests: the read models proper come with the query language.
import { listValue, timestampValue } from '@duckdb/node-api';
import type { LogStore } from '../store/log-store';

/** How many entries each file generation has, across the hot tables and every segment. */
export async function countByFile(store: LogStore): Promise<Map<string, number>> {
  const paths = store.segments.pathsOverlapping(0n, 2n ** 62n);
  const union = paths.length
    ? `SELECT file_id FROM entries_hot UNION ALL SELECT file_id FROM read_parquet($paths)`
    : `SELECT file_id FROM entries_hot`;
  const connection = await store.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT f.file_key AS file, count(*) AS n FROM (${union}) e JOIN files f ON f.id = e.file_id GROUP BY ALL`,
      paths.length ? { paths: listValue(paths) } : {},
    );
    return new Map(reader.getRowObjectsJS().map((r) => [String(r.file), Number(r.n)]));
  } finally {
    connection.closeSync();
  }
}

/** Entries with ts in [from, to) across the hot table and every segment. */
export async function countEntries(store: LogStore, fromMs = 0, toMs = 8.64e15): Promise<number> {
  const from = BigInt(Math.trunc(fromMs)) * 1000n;
  const to = BigInt(Math.trunc(toMs)) * 1000n;
  const paths = store.segments.pathsOverlapping(from, to);
  const union = paths.length
    ? `SELECT ts FROM entries_hot UNION ALL SELECT ts FROM read_parquet($paths)`
    : `SELECT ts FROM entries_hot`;
  const connection = await store.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM (${union}) WHERE ts >= $from AND ts < $to`, {
      ...(paths.length ? { paths: listValue(paths) } : {}),
      from: timestampValue(from),
      to: timestampValue(to),
    });
    return Number(reader.getRowObjectsJS()[0].n);
  } finally {
    connection.closeSync();
  }
}
