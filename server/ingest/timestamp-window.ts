// Which timestamps ingest believes. A line stamped 1970 or 9999 comes from a clock that is wrong
// (a node booted before NTP, a zeroed field, a test writer), and stored as such it would become
// the store's "oldest" or "newest", outlive retention or hide beyond every time range a user picks.
// Such a line is kept, not refused: the collector drops a refused batch whole, and the other lines
// of that batch are good. It is stored at the time the server received it, with the timestamp it
// carried in the field TS_ORIGINAL_FIELD, so `logpond.ts_original:*` finds every one.

/** Nothing Logpond reads was written before this: 2000-01-01T00:00:00Z. */
export const EARLIEST_TS_MICROS = Date.UTC(2000, 0, 1) * 1000;
/** Clocks of nodes drift by seconds, time zones mislabelled as UTC by hours; a day covers both. */
export const MAX_AHEAD_MICROS = 24 * 60 * 60 * 1_000_000;
export const TS_ORIGINAL_FIELD = 'logpond.ts_original';

/** Whether `micros` lies in the window around `receivedAtMicros` ingest stores as given. */
export function plausibleTimestamp(micros: number, receivedAtMicros: number): boolean {
  return micros >= EARLIEST_TS_MICROS && micros <= receivedAtMicros + MAX_AHEAD_MICROS;
}
