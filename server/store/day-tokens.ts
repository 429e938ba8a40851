// Day token files: once a day is a day old and its hours are quiet, the token files of its
// segments are folded into one file sorted by token, with the segment each block belongs to. A
// lookup then opens one file per day rather than one per segment. Retention stays per segment:
// a day file is deleted once no catalogued segment reads it (Segments.removeUnusedTokenFiles).
import path from 'node:path';
import { type DuckDBConnection, listValue } from '@duckdb/node-api';
import type { Segment } from './segments';
import { tokenFileOf } from './token-index';

export const DAY_TOKENS_DIR = 'tokens';
const DAY_MICROS = 86_400_000_000n;

/**
 * Groups of indexed segments, one per UTC day that ended before `beforeMicros`, worth folding:
 * more than one token file among them (a day already in one file stays as it is).
 */
export function daysToShare(segments: readonly Segment[], beforeMicros: bigint): Segment[][] {
  const byDay = new Map<bigint, Segment[]>();
  for (const s of segments) {
    const day = s.partitionStart - (((s.partitionStart % DAY_MICROS) + DAY_MICROS) % DAY_MICROS);
    if (day + DAY_MICROS > beforeMicros) continue;
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  return [...byDay.values()].filter((members) => {
    if (members.some((s) => !s.indexed)) return false; // index the stragglers first (indexMissing)
    return new Set(members.map((s) => s.tokenFile ?? s.path)).size > 1;
  });
}

export interface TokenSource {
  /** The segment, relative to the segments directory. */
  segment: string;
  /** Its current token file (own or a day file), relative. */
  tokens: string;
}

/** Writes the day file for `members` at `target`: (token, segment, lo, hi) sorted by token. */
export async function writeDayTokenFile(connection: DuckDBConnection, directory: string, members: TokenSource[], target: string): Promise<void> {
  const own = members.filter((m) => m.tokens === tokenFileOf(m.segment));
  const ownFiles = own.map((m) => ({ file: path.join(directory, m.tokens), segment: m.segment }));
  const dayFiles = [...new Set(members.filter((m) => !own.includes(m)).map((m) => path.join(directory, m.tokens)))];
  const parts: string[] = [];
  const params: Record<string, ReturnType<typeof listValue>> = {};
  if (ownFiles.length > 0) {
    // An own token file holds no segment column: it is its file's, looked up by position.
    parts.push(`SELECT token, $prefix_segments[list_position($own_files, filename)] AS segment, lo, hi FROM read_parquet($own_files, filename = true)`);
    params.own_files = listValue(ownFiles.map((f) => f.file));
    params.prefix_segments = listValue(ownFiles.map((f) => f.segment));
  }
  if (dayFiles.length > 0) {
    parts.push(`SELECT token, segment, lo, hi FROM read_parquet($day_files) WHERE list_contains($members, segment)`);
    params.day_files = listValue(dayFiles);
    params.members = listValue(members.map((m) => m.segment));
  }
  // COPY takes no parameter for its target; the path is built by the store, never user text.
  await connection.run(
    `COPY (SELECT token, segment, lo, hi FROM (${parts.join(' UNION ALL ')}) ORDER BY token, segment, lo)
       TO '${target.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384)`,
    params,
  );
}
