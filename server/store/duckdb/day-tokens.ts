// Day token files: the token files of a day's segments are folded into one file sorted by token,
// with the segment each block belongs to (once the day is over, and every few hours while it fills). A
// lookup then opens one file per day rather than one per segment. Retention stays per segment:
// a day file is retired once no catalogued segment reads it (Segments.retire).
import path from 'node:path';
import { type DuckDBConnection, listValue } from '@duckdb/node-api';
import type { Segment } from './segments';
import { DAY_MICROS } from '../timestamps';
import { tokenFileOf } from './token-index';

export const DAY_TOKENS_DIR = 'tokens';

/**
 * A day still filling is folded once this many of its segments have token files of their own: a
 * lookup opens every own file (~0.5 ms each, measured), and a day left to fill has up to 24.
 */
export const MAX_OWN_FILES_PER_DAY = 4;

/**
 * Groups of indexed segments, one per UTC day, worth folding: a day that ended before
 * `beforeMicros` once all its segments are indexed and in more than one token file; a day still
 * filling, its indexed segments once MAX_OWN_FILES_PER_DAY of them have their own file (it is
 * folded again as more arrive, the day file being one of the inputs).
 */
export function daysToShare(segments: readonly Segment[], beforeMicros: bigint): Segment[][] {
  const byDay = new Map<bigint, Segment[]>();
  for (const s of segments) {
    const day = s.partitionStart - (((s.partitionStart % DAY_MICROS) + DAY_MICROS) % DAY_MICROS);
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  const groups: Segment[][] = [];
  for (const [day, members] of byDay) {
    if (day + DAY_MICROS <= beforeMicros) {
      if (members.some((s) => !s.indexed)) continue; // settle the stragglers first (Segments.settle)
      if (new Set(members.map((s) => s.tokenFile ?? s.path)).size > 1) groups.push(members);
    } else {
      const indexed = members.filter((s) => s.indexed);
      if (indexed.filter((s) => s.tokenFile === null).length >= MAX_OWN_FILES_PER_DAY) groups.push(indexed);
    }
  }
  return groups;
}

export interface TokenSource {
  /** The segment, relative to the segments directory. */
  segment: string;
  /** Its current token file (own or a day file), relative. */
  tokens: string;
}

/** Writes the day file for `members` at `target`: (token, segment, lo, hi, hit) sorted by token. */
export async function writeDayTokenFile(connection: DuckDBConnection, directory: string, members: TokenSource[], target: string): Promise<void> {
  const own = members.filter((m) => m.tokens === tokenFileOf(m.segment));
  const ownFiles = own.map((m) => ({ file: path.join(directory, m.tokens), segment: m.segment }));
  const dayFiles = [...new Set(members.filter((m) => !own.includes(m)).map((m) => path.join(directory, m.tokens)))];
  // Sorted with each segment as its number in `members`, named only once sorted: a day holds
  // millions of rows, and their paths made the sort several times wider than the rest.
  const params: Record<string, ReturnType<typeof listValue>> = { members: listValue(members.map((m) => m.segment)) };
  const parts: string[] = [];
  if (ownFiles.length > 0) {
    // An own token file holds no segment column: it is its file's, looked up by position.
    parts.push(`SELECT token, $own_members[list_position($own_files, filename)] AS m, lo, hi, hit FROM read_parquet($own_files, filename = true)`);
    params.own_files = listValue(ownFiles.map((f) => f.file));
    params.own_members = listValue(ownFiles.map((f) => members.findIndex((m) => m.segment === f.segment) + 1));
  }
  if (dayFiles.length > 0) {
    parts.push(`SELECT token, list_position($members, segment) AS m, lo, hi, hit FROM read_parquet($day_files) WHERE list_contains($members, segment)`);
    params.day_files = listValue(dayFiles);
  }
  // COPY takes no parameter for its target; the path is built by the store, never user text.
  await connection.run(
    `COPY (SELECT token, $members[m] AS segment, lo, hi, hit FROM (
       SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY token, m, lo
     )) TO '${target.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384)`,
    params,
  );
}
