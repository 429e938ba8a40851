// Timestamps leave the collector as RFC 3339 text. The server refuses a whole batch for one bad
// timestamp, so a line whose own timestamp fails this check gets its read time instead.

// Mirrors the server's check (server/store/timestamps.ts), which the collector must not import.
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;

export function isRfc3339(text: string): boolean {
  const match = RFC3339.exec(text);
  if (!match) return false;
  return !Number.isNaN(Date.parse(`${match[1]}T${match[2]}${match[4].toUpperCase()}`));
}
