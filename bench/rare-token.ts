// The rare token the query benches plant: a request id on about 100 entries spread over the
// corpus, so "count a rare token over 7 days" has the same answer in the store and in grep.
import type { CorpusEntry } from './corpus';

export const RARE = 'req-7f3a9c21e0d4b5';

/** Every how many entries the token is planted, for about 100 in all. */
export function rareEvery(lines: number): number {
  return Math.max(1, Math.floor(lines / 100));
}

/**
 * The entry's CRI text and message, with the token appended when the entry's index `n` is one
 * of the planted. Entries written as partial (`P`) lines are skipped: appended to the last piece,
 * the token could push it past the runtime's 16 KiB line limit.
 */
export function withRareToken(record: CorpusEntry, n: number, every: number): { line: string; message: string; rare: boolean } {
  if (n % every !== every >> 1 || record.line.includes(' P ')) return { line: record.line, message: record.message, rare: false };
  return { line: `${record.line.slice(0, -1)} request_id=${RARE}\n`, message: `${record.message} request_id=${RARE}`, rare: true };
}
