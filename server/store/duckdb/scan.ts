// The relation every read model selects from: entries in a time range, hot tables and the sealed
// segments that overlap it, optionally joined to their source. Only the segments the catalog says
// may hold the range are opened; inside them Parquet row-group min/max on `ts` prunes the rest.
// When the query requires free text, the token index narrows segments further to the blocks that
// can hold it: to the exact times of their lines where the index lists them (one scan of those
// segments with `ts IN (…)`), else each block by its own time span.
import { type DuckDBValue, listValue, timestampValue } from '@duckdb/node-api';
import type { MicrosRange } from '../log-storage';
import type { CompiledQuery } from './compile';
import type { Segment } from './segments';
import type { Snapshot } from './snapshot';
import { type BlockRange, type Candidates, candidateBlocks } from './token-lookup';

export type { MicrosRange };

export interface Scan {
  /** `FROM …` text binding the entries as `e` (and the source as `s` when the filter reads it). */
  from: string;
  /** `WHERE …` text: the time range and the filter. */
  where: string;
  params: Record<string, DuckDBValue>;
}

/**
 * Past this many block reads, candidate segments are read whole instead: each block read is a
 * subquery with its own setup (~1 ms measured), and a word in that many blocks is not rare.
 */
export const MAX_BLOCK_READS = 200;

/** Past this many exact hit times, their segments are read by block instead. */
export const MAX_PINNED_TIMES = 2048;

/** How a scan reads the segments in its range. */
export interface SegmentReads {
  /** Read whole: not indexed, or the index does not narrow them enough. */
  whole: string[];
  /** Segments every candidate block of which lists its hit times: one scan of them by those times. */
  pinned: { paths: string[]; times: bigint[] };
  /** Candidate blocks read by their time span, each its own subquery. */
  spans: { path: string; lo: bigint; hi: bigint }[];
}

/**
 * Which segments (and which of their lines) a scan reads. A segment is pinned only when all its
 * candidate blocks are, so no line is read by both kinds of read.
 */
export function planReads(segments: readonly Segment[], candidates: Candidates | null, range: MicrosRange): SegmentReads {
  const reads: SegmentReads = { whole: [], pinned: { paths: [], times: [] }, spans: [] };
  const pinned: { path: string; blocks: BlockRange[]; times: bigint[] }[] = [];
  const bySpan = (path: string, blocks: readonly BlockRange[]) => {
    for (const { lo, hi } of blocks) reads.spans.push({ path, lo, hi });
  };
  for (const segment of segments) {
    if (!candidates || !segment.indexed) {
      reads.whole.push(segment.path);
      continue;
    }
    const blocks = (candidates.get(segment.path) ?? []).filter((b) => b.hi >= range.fromUs && b.lo < range.toUs);
    if (blocks.length === 0) continue;
    if (blocks.every((b) => b.hits !== null)) {
      const times = blocks.flatMap((b) => b.hits!).filter((t) => t >= range.fromUs && t < range.toUs);
      if (times.length > 0) pinned.push({ path: segment.path, blocks, times });
    } else {
      bySpan(segment.path, blocks);
    }
  }
  const times = new Set(pinned.flatMap((s) => s.times));
  if (times.size > MAX_PINNED_TIMES) {
    // Too many to list: those segments are read by block like the others.
    for (const s of pinned) bySpan(s.path, s.blocks);
  } else if (pinned.length > 0) {
    reads.pinned = { paths: pinned.map((s) => s.path), times: [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
  }
  if (reads.spans.length > MAX_BLOCK_READS) {
    reads.whole.push(...new Set(reads.spans.map((b) => b.path)));
    reads.spans = [];
  }
  return reads;
}

/**
 * Past this many entries in segments read whole, a newest-first page walks the range in windows
 * rather than reading it in one statement: below it they are the unsettled tail of the present
 * hour, which the walk's first window reads anyway.
 */
export const MAX_WHOLE_ROWS_AT_ONCE = 65_536;

/** Whether the index narrows `segments` so far that one read of the whole range is cheapest. */
export function narrowEnoughForOneRead(segments: readonly Segment[], candidates: Candidates, range: MicrosRange): boolean {
  const whole = new Set(planReads(segments, candidates, range).whole);
  const wholeRows = segments.reduce((sum, s) => (whole.has(s.path) ? sum + s.rows : sum), 0);
  return wholeRows <= MAX_WHOLE_ROWS_AT_ONCE;
}

export interface ScanOptions {
  /** Join `sources s` even if the filter does not read it. */
  withSources?: boolean;
  /** Read the hot tables (default) and the segments (default). */
  hot?: boolean;
  segments?: boolean;
  /** Prefix of this scan's own parameter names, so several scans can share one statement. */
  name?: string;
}

/**
 * Entries in `range` matching `filter`. Parameters `<name>from`, `<name>to`, `<name>paths`,
 * `<name>bN…` are the scan's own; the filter's are `pN`, shared by every scan of a statement.
 */
export async function scanOf(snapshot: Snapshot, range: MicrosRange, filter: CompiledQuery, options: ScanOptions = {}): Promise<Scan> {
  const { withSources = false, hot = true, segments: withSegments = true, name = '' } = options;
  const params: Record<string, DuckDBValue> = {
    ...filter.params,
    [`${name}from`]: timestampValue(range.fromUs),
    [`${name}to`]: timestampValue(range.toUs),
  };
  const segments = withSegments ? snapshot.overlapping(range.fromUs, range.toUs) : [];
  const candidates = filter.requiredText && segments.length > 0 ? await candidateBlocks(snapshot, filter.requiredText) : null;
  const reads = planReads(segments, candidates, range);
  const parts = hot ? ['SELECT * FROM entries_hot'] : [];
  if (reads.whole.length > 0) {
    parts.push(`SELECT * FROM read_parquet($${name}paths)`);
    params[`${name}paths`] = listValue(reads.whole);
  }
  if (reads.pinned.paths.length > 0) {
    // Bound one by one: DuckDB checks an IN list of values against row-group statistics, a list
    // parameter it would only join against (measured: 18 ms against 146 ms).
    const times = reads.pinned.times.map((us, i) => {
      params[`${name}t${i}`] = timestampValue(us);
      return `$${name}t${i}`;
    });
    parts.push(`SELECT * FROM read_parquet($${name}pinned) WHERE ts IN (${times.join(', ')})`);
    params[`${name}pinned`] = listValue(reads.pinned.paths);
  }
  reads.spans.forEach((block, i) => {
    const b = `${name}b${i}`;
    parts.push(`SELECT * FROM read_parquet($${b}) WHERE ts BETWEEN $${b}_lo AND $${b}_hi`);
    params[b] = block.path;
    params[`${b}_lo`] = timestampValue(block.lo);
    params[`${b}_hi`] = timestampValue(block.hi);
  });
  // Nothing to read (no hot tables asked for, no segment in range): an empty relation of the right shape.
  if (parts.length === 0) parts.push('SELECT * FROM entries_hot WHERE FALSE');
  const entries = parts.length === 1 && parts[0] === 'SELECT * FROM entries_hot' ? 'entries_hot' : `(${parts.join(' UNION ALL ')})`;
  const join = filter.readsSources || withSources ? ` JOIN sources s ON s.id = e.source_id` : '';
  const bounds = `e.ts >= $${name}from AND e.ts < $${name}to`;
  const where = filter.sql === 'TRUE' ? bounds : `${bounds} AND ${filter.sql}`;
  return { from: `${entries} e${join}`, where, params };
}
