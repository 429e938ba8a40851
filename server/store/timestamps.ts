// Timestamps travel as RFC 3339 text with up to nanoseconds and are stored as DuckDB TIMESTAMP
// (microseconds since the epoch, as bigint). Date.parse keeps only milliseconds, so the fraction
// is read by hand.

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;

/** Microseconds since the epoch, or undefined when the text is not an RFC 3339 timestamp. */
export function parseTimestampMicros(text: string): bigint | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, date, time, fraction = '', zone] = match;
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

export function millisToMicros(millis: number): bigint {
  return BigInt(Math.trunc(millis)) * 1000n;
}
