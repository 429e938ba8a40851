// Timestamps leave the collector as RFC 3339 text. The server refuses a whole batch for one bad
// timestamp, so a line whose own timestamp fails this check gets its read time instead.

// Mirrors the server's check (server/store/timestamps.ts), which the collector must not import.
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;
const DATE_CHARS = 10; // `2026-01-02`
const SECOND_CHARS = 19; // `2026-01-02T03:04:05`
const ZERO = 48;
const NINE = 57;

/**
 * The last date Date.parse accepted. Runtimes write `YYYY-MM-DDTHH:MM:SS.fffffffffZ`; checking
 * that shape by character codes, and asking Date.parse only when the date changes, costs a
 * fraction of the regular expression, which ran once per line.
 */
let lastValidDate = '';

export function isRfc3339(text: string): boolean {
  if (isRuntimeForm(text)) {
    if (text.startsWith(lastValidDate) && lastValidDate !== '') return true;
    if (Number.isNaN(Date.parse(`${text.slice(0, DATE_CHARS)}T00:00:00Z`))) return false;
    lastValidDate = text.slice(0, DATE_CHARS);
    return true;
  }
  const match = RFC3339.exec(text);
  if (!match) return false;
  return !Number.isNaN(Date.parse(`${match[1]}T${match[2]}${match[4].toUpperCase()}`));
}

/** `YYYY-MM-DDTHH:MM:SS`, `Z` or `.` and 1–9 digits and `Z`, hours, minutes and seconds in range. */
function isRuntimeForm(text: string): boolean {
  const last = text.length - 1;
  if (last < SECOND_CHARS || text.charCodeAt(last) !== 90 /* Z */) return false;
  for (let i = 0; i < SECOND_CHARS; i++) {
    const c = text.charCodeAt(i);
    const separator = i === 4 || i === 7 ? 45 /* - */ : i === 10 ? 84 /* T */ : i === 13 || i === 16 ? 58 /* : */ : 0;
    if (separator !== 0 ? c !== separator : c < ZERO || c > NINE) return false;
  }
  if (twoDigits(text, 11) > 23 || twoDigits(text, 14) > 59 || twoDigits(text, 17) > 59) return false;
  if (last === SECOND_CHARS) return true;
  const digits = last - SECOND_CHARS - 1;
  if (text.charCodeAt(SECOND_CHARS) !== 46 /* . */ || digits < 1 || digits > 9) return false;
  for (let i = SECOND_CHARS + 1; i < last; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/** The number two digits at `at` spell; a closure for this, made per line, was garbage per line. */
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - ZERO) * 10 + text.charCodeAt(at + 1) - ZERO;
}
