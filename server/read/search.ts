// GET /api/search: a page of hits in time order with a keyset cursor. Never OFFSET: the cursor is
// the last hit's order key (ts, file_id, offset), so the next page starts strictly after it and
// lines ingested meanwhile neither shift nor repeat what was already shown.
//
// A page is found by walking the range from its newest end (or oldest, for `asc`) in windows that
// grow fourfold: the first page of a common query touches only the newest segments, and a rare
// query still crosses a week in a handful of steps.
import { timestampValue } from '@duckdb/node-api';
import type { CompiledQuery } from '../query/compile';
import { decodeKey, encodeKey, HIT_COLUMNS, type Hit, type HitKey, type HitRow, keyOf, type SourceInfo, sourcesOf, toHit } from './hits';
import { type MicrosRange, narrowEnoughForOneRead, scanOf } from './scan';
import { candidateBlocks } from './token-lookup';
import type { Snapshot } from './snapshot';
import { millisToMicros } from '../store/timestamps';

export type Order = 'asc' | 'desc';

export interface SearchRequest {
  filter: CompiledQuery;
  range: MicrosRange;
  order: Order;
  limit: number;
  /** Opaque text from a previous page's nextCursor. */
  cursor?: string | null;
}

export interface SearchPage {
  hits: Hit[];
  sources: Record<string, SourceInfo>;
  nextCursor: string | null;
}

const FIRST_WINDOW_US = 60n * 60n * 1_000_000n;
const MIN_WINDOW_US = 1_000_000n;
/** A range ending this close to now ends in the present (see firstWindow). */
const PRESENT_MS = 60_000;
const PRESENT_PAGES = 16;
const WINDOW_GROWTH = 4n;

export async function search(snapshot: Snapshot, request: SearchRequest): Promise<SearchPage> {
  const after = request.cursor ? decodeKey(request.cursor, 'cursor') : null;
  const rows = await findRows(snapshot, request.filter, request.range, request.order, request.limit + 1, after);
  const more = rows.length > request.limit;
  const page = more ? rows.slice(0, request.limit) : rows;
  return {
    hits: page.map(toHit),
    sources: await sourcesOf(snapshot, page.map((r) => Number(r.source_id))),
    nextCursor: more ? encodeKey(keyOf(page[page.length - 1])) : null,
  };
}

/**
 * Up to `limit` rows matching `filter` in `range`, in `order`, strictly after `after` in that
 * order. Shared with context and export, which page the same way.
 */
export async function findRows(
  snapshot: Snapshot,
  filter: CompiledQuery,
  range: MicrosRange,
  order: Order,
  limit: number,
  after: HitKey | null,
  columns = HIT_COLUMNS,
): Promise<HitRow[]> {
  let { fromUs, toUs } = range;
  if (after) {
    if (order === 'desc' && after.ts + 1n < toUs) toUs = after.ts + 1n;
    if (order === 'asc' && after.ts > fromUs) fromUs = after.ts;
  }
  const found: HitRow[] = [];
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
    found.push(...(await windowRows(snapshot, filter, { fromUs: lo, toUs: hi }, order, limit - found.length, after, columns)));
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
  after: HitKey | null,
  columns: string,
): Promise<HitRow[]> {
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
  return (await snapshot.rows(sql, scan.params)) as unknown as HitRow[];
}

async function fewCandidateBlocks(snapshot: Snapshot, filter: CompiledQuery, range: MicrosRange): Promise<boolean> {
  if (!filter.requiredText) return false;
  const candidates = await candidateBlocks(snapshot, filter.requiredText);
  if (!candidates) return false;
  return narrowEnoughForOneRead(snapshot.overlapping(range.fromUs, range.toUs), candidates, range);
}
