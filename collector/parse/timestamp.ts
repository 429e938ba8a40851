// Timestamps leave the collector as RFC 3339 text. The server refuses a whole batch for one bad
// timestamp, so a line whose own timestamp fails this check gets its read time instead.

// Mirrors the server's check (server/store/timestamps.ts), which the collector must not import.
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;
const SECOND_CHARS = 19; // `2026-01-02T03:04:05`
const ZERO = 48;
const NINE = 57;

/**
 * The last second whose date and time Date.parse accepted. Lines come in time order, so most
 * share it, and checking one costs a prefix compare and a scan of the fraction digits.
 */
let lastValidSecond = '';

export function isRfc3339(text: string): boolean {
  if (lastValidSecond !== '' && text.startsWith(lastValidSecond) && isFractionAndZ(text)) return true;
  const match = RFC3339.exec(text);
  if (!match) return false;
  if (Number.isNaN(Date.parse(`${match[1]}T${match[2]}${match[4].toUpperCase()}`))) return false;
  if (match[2].length + match[1].length + 1 === SECOND_CHARS && text[10] === 'T') lastValidSecond = text.slice(0, SECOND_CHARS);
  return true;
}

/** After the second: `Z`, or `.` and 1–9 digits and `Z` (the form CRI runtimes write). */
function isFractionAndZ(text: string): boolean {
  const last = text.length - 1;
  if (text.charCodeAt(last) !== 90 /* Z */) return false;
  if (last === SECOND_CHARS) return true;
  if (text.charCodeAt(SECOND_CHARS) !== 46 /* . */ || last - SECOND_CHARS - 1 < 1 || last - SECOND_CHARS - 1 > 9) return false;
  for (let i = SECOND_CHARS + 1; i < last; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}
