// Timestamps travel as RFC 3339 text with up to nanoseconds and are stored as DuckDB TIMESTAMP
// (microseconds since the epoch, as bigint). Date.parse keeps only milliseconds, so the fraction
// is read by hand.

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;

// Lines of one batch share their minute, so the fast path caches the epoch of the last
// `YYYY-MM-DDTHH:MM` prefix and reads only seconds and fraction; ingest parses one per entry.
let cachedMinute = '';
let cachedMinuteMs = 0;

/** Microseconds since the epoch, or undefined when the text is not an RFC 3339 timestamp. */
export function parseTimestampMicros(text: string): bigint | undefined {
  const fast = parseUtcFast(text);
  return fast === undefined ? parseTimestampSlow(text) : BigInt(fast);
}

/**
 * The same as a number, which ingest stores without making a BigInt per entry: exact for any
 * time before the year 2255 (2^53 microseconds).
 */
export function timestampMicros(text: string): number | undefined {
  const fast = parseUtcFast(text);
  if (fast !== undefined) return fast;
  const slow = parseTimestampSlow(text);
  return slow === undefined ? undefined : Number(slow);
}

/** `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z` as a number of microseconds (exact below 2^53). */
function parseUtcFast(text: string): number | undefined {
  const n = text.length;
  if (n < 20 || n > 30 || text.charCodeAt(n - 1) !== 90 /* Z */ || text.charCodeAt(16) !== 58 /* : */) return undefined;
  // startsWith compares in place; slicing the minute out made a string per entry.
  if (cachedMinute === '' || !text.startsWith(cachedMinute)) {
    const ms = minuteMs(text);
    if (ms === undefined) return undefined;
    cachedMinute = text.slice(0, 16);
    cachedMinuteMs = ms;
  }
  const s1 = text.charCodeAt(17) - 48;
  const s2 = text.charCodeAt(18) - 48;
  if (s1 < 0 || s1 > 5 || s2 < 0 || s2 > 9) return undefined;
  let micros = 0;
  if (n > 20) {
    if (text.charCodeAt(19) !== 46 /* . */ || n === 21) return undefined;
    let scale = 100_000;
    for (let i = 20; i < n - 1; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      micros += d * scale;
      scale /= 10;
    }
    micros = Math.floor(micros);
  }
  return (cachedMinuteMs + (s1 * 10 + s2) * 1000) * 1000 + micros;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms of the `YYYY-MM-DDTHH:MM` that starts `text`, read digit by digit: a batch of a
 * backfill mixes files at different points of a week, so the minute changes from entry to entry
 * and the regular expression of the slow path cost a fifth of a microsecond each time.
 */
function minuteMs(text: string): number | undefined {
  const separator = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (separator !== 84 && separator !== 32) || text.charCodeAt(13) !== 58) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  if (year < 100) {
    // Left to the slow path: Date.UTC reads such a year as 19xx.
    const slow = parseTimestampSlow(`${text.slice(0, 16)}:00Z`);
    return slow === undefined ? undefined : Number(slow / 1000n);
  }
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute);
}

/** The decimal number of `count` digits at `from`, or -1 when one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function parseTimestampSlow(text: string): bigint | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, date, time, fraction = '', zone] = match;
  const [year, month, day] = date.split('-').map(Number);
  // Date.parse rolls 2026-02-30 over into March; a timestamp naming no real day is refused.
  // setUTCFullYear, not Date.UTC, which reads the years 0-99 as 1900-1999 (0000-02-29 is real).
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day);
  if (calendar.getUTCDate() !== day) return undefined;
  const seconds = Date.parse(`${date}T${time}${zone.toUpperCase()}`);
  if (Number.isNaN(seconds)) return undefined;
  const micros = Number((fraction + '000000').slice(0, 6));
  return BigInt(seconds) * 1000n + BigInt(micros);
}

/** `2026-11-25T12:00:00.123456Z`: ISO 8601 with the stored microsecond precision. */
export function microsToIso(micros: bigint): string {
  const millis = micros / 1000n;
  const extra = Number(((micros % 1000n) + 1000n) % 1000n);
  const floorMillis = micros < 0n && extra !== 0 ? millis - 1n : millis;
  const iso = new Date(Number(floorMillis)).toISOString();
  return `${iso.slice(0, 23)}${String(extra).padStart(3, '0')}Z`;
}

export const DAY_MICROS = 86_400_000_000n;

export function millisToMicros(millis: number): bigint {
  return BigInt(Math.trunc(millis)) * 1000n;
}

/** The largest multiple of `step` at or below `value` (also below zero). */
export function floorTo(value: bigint, step: bigint): bigint {
  const r = ((value % step) + step) % step;
  return value - r;
}

/** The smallest multiple of `step` at or above `value`. */
export function ceilTo(value: bigint, step: bigint): bigint {
  const floor = floorTo(value, step);
  return floor === value ? value : floor + step;
}
