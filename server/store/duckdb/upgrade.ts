// What a data directory written by an older Logpond holds, brought to today's layout on open,
// each step idempotent so a crash halfway is finished by the next start:
// - hot rows in tables of the DuckDB file (before the hot tables moved to memory);
// - segments without rollups (sealed before rollups existed);
// - token files of an older index version (another suffix), which hold other columns;
// - catalogued bytes of segments whose tokens are in a day file, which once held a share of it.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { FILE_HOT_TABLES, HOT_TABLES, ROLLUP_MICROS } from './schema';
import { TOKEN_FILE_SUFFIX } from './token-index';

type FileHotTable = (typeof FILE_HOT_TABLES)[number];

/**
 * Copies the rows of an older file's hot tables into the first in-memory one, less what a seal
 * has stored already (by the marks), to be sealed; returns the tables to drop after that seal
 * (dropFileHotTables), so a crash in between copies only what is left.
 */
export async function takeFileHotRows(connection: DuckDBConnection, incarnation: number): Promise<FileHotTable[]> {
  const found = await connection.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`,
  );
  const names = new Set(found.getRowObjectsJS().map((row) => String(row.table_name)));
  const tables = FILE_HOT_TABLES.filter((name) => names.has(name));
  for (const table of tables) {
    await connection.run(
      `INSERT INTO ${HOT_TABLES[0]} SELECT h.*, $incarnation FROM main.${table} h JOIN files f ON f.id = h.file_id WHERE h."offset" > f.max_offset`,
      { incarnation },
    );
  }
  return tables;
}

/** Once their rows are sealed. The names are the fixed FILE_HOT_TABLES. */
export async function dropFileHotTables(connection: DuckDBConnection, tables: readonly FileHotTable[]): Promise<void> {
  for (const table of tables) await connection.run(`DROP TABLE main.${table}`);
}

/** Segments sealed before rollups existed get theirs, once. */
export async function rollUpOlderSegments(connection: DuckDBConnection, directory: string): Promise<void> {
  const unrolled = await connection.runAndReadAll(`SELECT path FROM segments WHERE path NOT IN (SELECT DISTINCT segment FROM rollups)`);
  for (const row of unrolled.getRowObjectsJS()) {
    await connection.run(
      `INSERT INTO rollups SELECT $path, make_timestamp(epoch_us(ts) // ${ROLLUP_MICROS} * ${ROLLUP_MICROS}), source_id, level, stream, count(*)
       FROM read_parquet($file) GROUP BY ALL`,
      { path: String(row.path), file: path.join(directory, String(row.path)) },
    );
  }
}

/** Whether a token file is of an older index version: it is not to be trusted, and is written again. */
export function isOlderIndex(tokenFile: string): boolean {
  return !tokenFile.endsWith(TOKEN_FILE_SUFFIX);
}

/** A segment's own bytes, for one whose tokens are in a day file: counted alone since day files are counted on their own. */
export async function ownBytes(directory: string, segmentPath: string): Promise<number> {
  return (await fs.stat(path.join(directory, segmentPath))).size;
}
