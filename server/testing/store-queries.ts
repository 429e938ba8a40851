// Read helpers for tests: the read models proper come with the query language.
import { listValue, timestampValue } from '@duckdb/node-api';
import type { LogStore } from '../store/log-store';

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
