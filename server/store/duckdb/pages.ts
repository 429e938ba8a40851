// A page of entries in time order after a keyset position. Never OFFSET: the position is the last
// entry's order key (ts, file_id, offset), so the next page starts strictly after it and lines
// ingested meanwhile neither shift nor repeat what was already shown.
//
// A page is found by walking the range from its newest end (or oldest, for `asc`) in windows that
// grow fourfold: the first page of a common query touches only the newest segments, and a rare
// query still crosses a week in a handful of steps.
import { timestampValue } from '@duckdb/node-api';
import type { EntryKey, MicrosRange, Order } from '../log-storage';
import { millisToMicros } from '../timestamps';
import type { CompiledQuery } from './compile';
import { ENTRY_COLUMNS, type EntryRow } from './entry-rows';
import { narrowEnoughForOneRead, scanOf } from './scan';
import type { Snapshot } from './snapshot';
import { candidateBlocks } from './token-lookup';

const FIRST_WINDOW_US = 60n * 60n * 1_000_000n;
const MIN_WINDOW_US = 1_000_000n;
/** A range ending this close to now ends in the present (see firstWindow). */
const PRESENT_MS = 60_000;
const PRESENT_PAGES = 16;
const WINDOW_GROWTH = 4n;

/**
 * Up to `limit` rows matching `filter` in `range`, in `order`, strictly after `after` in that
 * order, with `columns` (ENTRY_COLUMNS unless a sample wants one).
 */
export async function findRows(
  snapshot: Snapshot,
  filter: CompiledQuery,
  range: MicrosRange,
  order: Order,
  limit: number,
  after: EntryKey | null,
  columns = ENTRY_COLUMNS,
): Promise<EntryRow[]> {
  let { fromUs, toUs } = range;
  if (after) {
    if (order === 'desc' && after.ts + 1n < toUs) toUs = after.ts + 1n;
    if (order === 'asc' && after.ts > fromUs) fromUs = after.ts;
  }
  return walk(snapshot, filter, { fromUs, toUs }, order, limit, (window, left) => windowRows(snapshot, filter, window, order, left, after, columns));
}

/**
 * The text `value` (an SQL expression holding no line break) of the newest `limit` rows matching
 * `filter`, newest first. Brought into JavaScript as one string per window, joined by line breaks:
 * making a JavaScript string of each row costs more than the query that finds them.
 */
export async function newestTexts(snapshot: Snapshot, filter: CompiledQuery, range: MicrosRange, limit: number, value: string): Promise<string[]> {
  return walk(snapshot, filter, range, 'desc', limit, async (window, left) => {
    const scan = await scanOf(snapshot, window, filter);
    const [row] = await snapshot.rows(
      `SELECT count(*) AS n, string_agg(v, chr(10) ORDER BY ts DESC, file_id DESC, "offset" DESC) AS joined
       FROM (SELECT ${value} AS v, e.ts AS ts, e.file_id AS file_id, e."offset" AS "offset" FROM ${scan.from} WHERE ${scan.where}
             ORDER BY e.ts DESC, e.file_id DESC, e."offset" DESC LIMIT ${Math.trunc(left)})`,
      scan.params,
    );
    return Number(row.n) === 0 ? [] : String(row.joined).split('\n');
  });
}

/** Reads windows of the range from its newest end (or oldest), each four times the last, until `limit` rows are found. */
async function walk<T>(
  snapshot: Snapshot,
  filter: CompiledQuery,
  range: MicrosRange,
  order: Order,
  limit: number,
  read: (window: MicrosRange, left: number) => Promise<T[]>,
): Promise<T[]> {
  const { fromUs, toUs } = range;
  const found: T[] = [];
  // When the token index has narrowed the range to a few blocks, one read of them beats a walk.
  let size = (await fewCandidateBlocks(snapshot, filter, { fromUs, toUs })) ? toUs - fromUs : firstWindow(snapshot, order, toUs, limit);
  let lo = order === 'desc' ? toUs : fromUs;
  let hi = lo;
  while (found.length < limit && (order === 'desc' ? lo > fromUs : hi < toUs)) {
    if (order === 'desc') {
      hi = lo;
      lo = hi - size > fromUs ? hi - size : fromUs;
    } else {
      lo = hi;
      hi = lo + size < toUs ? lo + size : toUs;
    }
    size *= WINDOW_GROWTH;
    // Not push(...rows): spread arguments past about 100,000 overflow the stack.
    for (const row of await read({ fromUs: lo, toUs: hi }, limit - found.length)) found.push(row);
  }
  return found;
}

/**
 * An hour, or where the newest end of the range is the present and lines arrive densely, the
 * seconds that hold about PRESENT_PAGES pages of them: a filter that keeps one line in that many
 * fills the page at once, one that keeps fewer takes a few more windows, each four times the last.
 */
function firstWindow(snapshot: Snapshot, order: Order, toUs: bigint, limit: number): bigint {
  const rate = snapshot.presentPerSecond;
  if (order !== 'desc' || rate <= 0 || toUs < millisToMicros(Date.now() - PRESENT_MS)) return FIRST_WINDOW_US;
  const us = BigInt(Math.ceil(((PRESENT_PAGES * limit) / rate) * 1_000_000));
  return us < MIN_WINDOW_US ? MIN_WINDOW_US : us > FIRST_WINDOW_US ? FIRST_WINDOW_US : us;
}

async function windowRows(
  snapshot: Snapshot,
  filter: CompiledQuery,
  window: MicrosRange,
  order: Order,
  limit: number,
  after: EntryKey | null,
  columns: string,
): Promise<EntryRow[]> {
  const scan = await scanOf(snapshot, window, filter);
  const direction = order === 'desc' ? 'DESC' : 'ASC';
  let where = scan.where;
  if (after) {
    where += ` AND (e.ts, e.file_id, e."offset") ${order === 'desc' ? '<' : '>'} ($after_ts, $after_file::UINTEGER, $after_offset::UBIGINT)`;
    Object.assign(scan.params, {
      after_ts: timestampValue(after.ts),
      after_file: after.fileId,
      after_offset: after.offset,
    });
  }
  const sql = `SELECT ${columns} FROM ${scan.from} WHERE ${where}
    ORDER BY e.ts ${direction}, e.file_id ${direction}, e."offset" ${direction} LIMIT ${Math.trunc(limit)}`;
  return (await snapshot.rows(sql, scan.params)) as unknown as EntryRow[];
}

async function fewCandidateBlocks(snapshot: Snapshot, filter: CompiledQuery, range: MicrosRange): Promise<boolean> {
  if (!filter.requiredText) return false;
  const candidates = await candidateBlocks(snapshot, filter.requiredText);
  if (!candidates) return false;
  return narrowEnoughForOneRead(snapshot.overlapping(range.fromUs, range.toUs), candidates, range);
}
