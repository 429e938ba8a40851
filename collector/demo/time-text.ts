// Calendar text for log timestamps. Formatting a Date costs far more than writing a log line, and
// consecutive lines almost always fall in the same second, so the second's parts are cached.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface SecondParts {
  /** Epoch seconds these parts describe. */
  readonly sec: number;
  /** `2026-11-25` */
  readonly date: string;
  /** `12:00:00` */
  readonly time: string;
  /** `1125`, as klog writes it. */
  readonly mmdd: string;
  /** `25/Nov/2026:12:00:00`, as the common log format writes it. */
  readonly clf: string;
  /** `2026/11/25 12:00:00`, as Go's log package and nginx's error log write it. */
  readonly slashed: string;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' : '') + i);

interface DayParts {
  day: number;
  date: string;
  mmdd: string;
  clfDate: string;
  slashedDate: string;
}

function computeDay(day: number): DayParts {
  const d = new Date(day * 86_400_000);
  const iso = d.toISOString();
  const yyyy = iso.slice(0, 4);
  const mm = iso.slice(5, 7);
  const dd = iso.slice(8, 10);
  return { day, date: iso.slice(0, 10), mmdd: mm + dd, clfDate: `${dd}/${MONTHS[d.getUTCMonth()]}/${yyyy}`, slashedDate: `${yyyy}/${mm}/${dd}` };
}

let cachedDay = computeDay(0);

// Lines of one file far apart in time miss the second cache, so the day is cached on its own and
// the time of day is plain arithmetic: Date and toISOString are kept to once a day.
function computeParts(sec: number): SecondParts {
  const day = Math.floor(sec / 86_400);
  if (day !== cachedDay.day) cachedDay = computeDay(day);
  const s = sec - day * 86_400;
  const h = (s / 3600) | 0;
  const m = ((s - h * 3600) / 60) | 0;
  const time = `${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s - h * 3600 - m * 60]}`;
  const d = cachedDay;
  return { sec, date: d.date, time, mmdd: d.mmdd, clf: `${d.clfDate}:${time}`, slashed: `${d.slashedDate} ${time}` };
}

let cached = computeParts(0);

/** Calendar parts of the UTC second containing `ms` (epoch milliseconds). */
export function secondParts(ms: number): SecondParts {
  const sec = Math.floor(ms / 1000);
  if (sec !== cached.sec) cached = computeParts(sec);
  return cached;
}

/** The millisecond-of-second of integer `ms`, as three digits. */
export function millis3(ms: number): string {
  const m = ms - Math.floor(ms / 1000) * 1000;
  return m < 10 ? '00' + m : m < 100 ? '0' + m : '' + m;
}

/** `n` (0 ≤ n < 10^width) zero-padded to `width` digits. */
export function pad(n: number, width: number): string {
  const s = '' + n;
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** `2026-11-25T12:00:00.123Z` */
export function isoMillis(ms: number): string {
  const p = secondParts(ms);
  return `${p.date}T${p.time}.${millis3(ms)}Z`;
}

/** `2026-11-25T12:00:00.123456Z` — `nanos` are the sub-millisecond nanoseconds (0–999999). */
export function isoMicros(ms: number, nanos: number): string {
  const p = secondParts(ms);
  return `${p.date}T${p.time}.${millis3(ms)}${pad((nanos / 1000) | 0, 3)}Z`;
}

/** `2026-11-25T12:00:00.123456789Z`: fixed width, as containerd writes it, so text order is time order. */
export function isoNanos(ms: number, nanos: number): string {
  const p = secondParts(ms);
  return `${p.date}T${p.time}.${millis3(ms)}${pad(nanos, 6)}Z`;
}
