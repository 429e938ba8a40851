// Buckets aligned to the reader's clock: a bar a day starts at their midnight, as Kibana aligns
// its date histogram to the browser's time zone, not at 00:00 UTC (19:00 in New York). Exports
// say their times in that zone too.
import { microsToIso } from '../store/timestamps';

/** Formatters by zone: making one costs far more than using it, and a range's offsets ask hundreds of times. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 64;

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The UTC offset of IANA zone `zone` at `atMs`, in ms (east of UTC positive). Throws RangeError for an unknown zone. */
export function zoneOffsetMs(zone: string, atMs: number): number {
  const parts = formatterOf(zone).formatToParts(new Date(atMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(atMs / 1000) * 1000;
}

/** A stretch of a range over which the reader's zone keeps one offset. */
export interface OffsetPiece {
  fromUs: bigint;
  toUs: bigint;
  /** East of UTC. */
  offsetUs: bigint;
}

const DAY_MS = 86_400_000;

/**
 * [fromUs, toUs) cut where `zone`'s offset changes (daylight saving time), each piece with its
 * offset. Looked at once a day, as offsets change a few times a year at most and never twice in
 * a day; a change seen is then found to the millisecond.
 */
export function offsetPieces(zone: string, fromUs: bigint, toUs: bigint): OffsetPiece[] {
  const fromMs = Number(fromUs / 1000n);
  const lastMs = Math.max(fromMs, Number((toUs - 1n) / 1000n));
  const pieces: OffsetPiece[] = [];
  let start = fromUs;
  let startMs = fromMs;
  let offset = zoneOffsetMs(zone, fromMs);
  for (let probe = Math.min(fromMs + DAY_MS, lastMs); ; probe = Math.min(probe + DAY_MS, lastMs)) {
    const next = zoneOffsetMs(zone, probe);
    if (next !== offset) {
      let [lo, hi] = [Math.max(startMs, probe - DAY_MS), probe];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (zoneOffsetMs(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      const change = BigInt(hi) * 1000n;
      pieces.push({ fromUs: start, toUs: change, offsetUs: BigInt(offset) * 1000n });
      [start, startMs, offset] = [change, hi, next];
    }
    if (probe >= lastMs) break;
  }
  pieces.push({ fromUs: start, toUs, offsetUs: BigInt(offset) * 1000n });
  return pieces;
}

/**
 * `micros` in ISO 8601 as the wall time of the zone cut into `pieces` (offsetPieces) with its
 * offset, `2026-12-08T10:39:39.123456+09:00`, as a spreadsheet shows it and any parser reads the
 * same instant from; at offset 0 the `Z` form. A time outside the pieces takes the nearest one's.
 */
export function zonedIso(micros: bigint, pieces: readonly OffsetPiece[]): string {
  let piece = pieces[0];
  for (const p of pieces) if (p.fromUs <= micros) piece = p;
  const offsetUs = piece?.offsetUs ?? 0n;
  const wall = microsToIso(micros + offsetUs);
  if (offsetUs === 0n) return wall;
  const minutes = Number((offsetUs < 0n ? -offsetUs : offsetUs) / 60_000_000n);
  const sign = offsetUs < 0n ? '-' : '+';
  return `${wall.slice(0, -1)}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * The start of the bucket holding `fromUs`, buckets of `intervalUs` counted from midnight in a zone
 * `offsetUs` east of UTC. For one stretch of one offset (offsetPieces).
 */
export function alignedOrigin(fromUs: bigint, intervalUs: bigint, offsetUs: bigint): bigint {
  const local = fromUs + offsetUs;
  const floored = local - (((local % intervalUs) + intervalUs) % intervalUs);
  return floored - offsetUs;
}
