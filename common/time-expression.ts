// Time bounds as users write them in Kibana and Grafana: ISO 8601, epoch milliseconds, or date
// math on `now`: `now-15m`, `now-1M` (a month: units y M w d h m s, case-sensitive where m and M
// differ), `now/d` (rounded to the day), chained as in `now-1d/d`. The server reads `from`/`to`
// with it; the page resolves the same text to fixed instants when a search runs, so the table and
// the histogram of one search agree.
//
// Rounding and calendar units (a month, a year) are counted in a time zone: the page passes the
// one the user chose, the server uses UTC. A rounded upper bound (`to=now/d`) is the end of its
// unit, and as ranges here exclude their end, that is the start of the next one: "today" is
// `now/d` to `now/d`, midnight to midnight.

const FIXED_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, H: 3_600_000 };
/** Days and weeks are counted on the calendar: a day across a change to summer time has 23 hours. */
const CALENDAR_DAYS: Record<string, number> = { d: 1, w: 7 };
const CALENDAR_MONTHS: Record<string, number> = { M: 1, y: 12 };
const UNIT = '[smhHdwMy]';
const OPERATION = new RegExp(`([+-])(\\d{1,9})(${UNIT})|/(${UNIT})`, 'y');
const EPOCH_MS = /^\d{1,15}$/;
// A date, optionally a time with fraction and zone: what Date.parse reads consistently.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const MAX_DATE_MS = 8.64e15;
/**
 * The times a range may name. Stored times are int64 microseconds, and `now+99999999w` in
 * microseconds is past what int64 holds; ISO 8601 writes four-digit years, and no log line is
 * older than the epoch.
 */
export const MIN_TIME_MS = 0;
export const MAX_TIME_MS = Date.parse('9999-12-31T23:59:59.999Z');
/** More operations than anyone writes: a bound is short. */
const MAX_OPERATIONS = 8;

export interface TimeExpressionOptions {
  /** The IANA zone rounding and calendar units are counted in; UTC when not given. */
  timeZone?: string;
  /** The bound is a range's end: rounding goes to the end of the unit, not its start. */
  roundUp?: boolean;
}

/**
 * Epoch milliseconds of `text`, or undefined when it is none of the accepted forms. Date math that
 * runs past what a date holds answers ±Infinity: a time, but none a range can use.
 */
export function parseTimeExpression(text: string, now: number, options: TimeExpressionOptions = {}): number | undefined {
  const value = text.trim();
  if (/^now/i.test(value)) return dateMath(value.slice(3), now, options);
  if (EPOCH_MS.test(value)) return Number(value);
  if (ISO.test(value)) {
    // Without a zone an ISO time is UTC here: the server's zone must not change what a link means.
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) || !value.includes(':') ? value : `${value}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}

function dateMath(operations: string, now: number, { timeZone = 'UTC', roundUp = false }: TimeExpressionOptions): number | undefined {
  let ms = now;
  let at = 0;
  for (let count = 0; at < operations.length; count++) {
    OPERATION.lastIndex = at;
    const op = OPERATION.exec(operations);
    if (!op || count === MAX_OPERATIONS) return undefined;
    at = OPERATION.lastIndex;
    const [, sign, amount, unit, roundTo] = op;
    // Past what a Date holds (±100 million days) no wall clock can be read: the time stays out of
    // reach, for the caller to refuse as out of range rather than as not a time at all.
    if (!(Math.abs(ms) <= MAX_DATE_MS)) continue;
    if (roundTo) {
      // Up: the start of the next unit, taken again, as a day that began at 01:00 (a change to
      // summer time at midnight) is followed by one that begins at 00:00.
      ms = roundUp ? startOf(addUnits(startOf(ms, roundTo, timeZone), 1, roundTo, timeZone), roundTo, timeZone) : startOf(ms, roundTo, timeZone);
    } else {
      ms = addUnits(ms, sign === '-' ? -Number(amount) : Number(amount), unit, timeZone);
    }
  }
  return ms;
}

function addUnits(ms: number, amount: number, unit: string, zone: string): number {
  if (FIXED_MS[unit] !== undefined) return ms + amount * FIXED_MS[unit];
  const wall = wallClockOf(ms, zone);
  let moved: number;
  if (CALENDAR_DAYS[unit] !== undefined) {
    moved = instantOf({ ...wall, day: wall.day + amount * CALENDAR_DAYS[unit] }, zone);
  } else {
    const month = wall.month + amount * CALENDAR_MONTHS[unit];
    // As Kibana does: a month on from January 31st is the last day of February.
    const lastDay = new Date(Date.UTC(wall.year, month + 1, 0)).getUTCDate();
    moved = instantOf({ ...wall, month, day: Math.min(wall.day, lastDay) }, zone);
  }
  return Number.isNaN(moved) ? (amount < 0 ? -Infinity : Infinity) : moved;
}

/** The start of the unit `ms` is in, on the zone's wall clock; weeks start on Monday (ISO 8601). */
function startOf(ms: number, unit: string, zone: string): number {
  const w = wallClockOf(ms, zone);
  if (FIXED_MS[unit] !== undefined) {
    // By the offset in force at `ms`: in the hour a change to winter time repeats, the wall clock
    // alone cannot say which of the two instants is meant.
    const offset = Date.UTC(w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond) - ms;
    return ms - ((((ms + offset) % FIXED_MS[unit]) + FIXED_MS[unit]) % FIXED_MS[unit]);
  }
  const zeroed: WallClock = { ...w, millisecond: 0, second: 0, minute: 0, hour: 0 };
  if (unit === 'w') zeroed.day -= (new Date(Date.UTC(w.year, w.month, w.day)).getUTCDay() + 6) % 7;
  if (unit === 'M' || unit === 'y') zeroed.day = 1;
  if (unit === 'y') zeroed.month = 0;
  return instantOf(zeroed, zone);
}

interface WallClock {
  year: number;
  /** 0-11; may run past either end, as Date.UTC allows. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockOf(ms: number, zone: string): WallClock {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month - 1, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second, millisecond: ((ms % 1000) + 1000) % 1000 };
}

/** The instant a wall-clock time names in `zone`; the offset is looked up twice, as a guess can sit across a DST change. */
function instantOf(w: WallClock, zone: string): number {
  const asUtc = Date.UTC(w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond);
  if (!(Math.abs(asUtc) <= MAX_DATE_MS)) return NaN;
  const offset = (at: number) => {
    const seen = wallClockOf(at, zone);
    return Date.UTC(seen.year, seen.month, seen.day, seen.hour, seen.minute, seen.second, seen.millisecond) - at;
  };
  const first = asUtc - offset(asUtc);
  return asUtc - offset(first);
}
