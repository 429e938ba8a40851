import { describe, expect, it } from 'vitest';
import { formatInZone, wallClockToMs } from './time-zone';

describe('time zones', () => {
  const at = Date.parse('2026-07-01T12:34:56Z');

  it('formats an instant in UTC and in named zones', () => {
    expect(formatInZone(at, 'UTC')).toBe('2026-07-01 12:34:56');
    expect(formatInZone(at, 'Asia/Kolkata')).toBe('2026-07-01 18:04:56');
    expect(formatInZone(at, 'America/New_York')).toBe('2026-07-01 08:34:56');
  });

  it('reads a wall-clock time in a zone, across daylight saving', () => {
    expect(wallClockToMs('2026-07-01T08:34:56', 'America/New_York')).toBe(at);
    expect(wallClockToMs('2026-01-15 08:00', 'America/New_York')).toBe(Date.parse('2026-01-15T13:00:00Z'));
    expect(wallClockToMs('2026-07-01 12:34:56.5', 'UTC')).toBe(at + 500);
    // A line's time as its details show it, to the microsecond, is read in the zone too.
    expect(wallClockToMs('2026-07-01 08:34:56.123456', 'America/New_York')).toBe(wallClockToMs('2026-07-01 08:34:56.123', 'America/New_York'));
    expect(wallClockToMs('2026-07-01 08:34:56.123456', 'America/New_York')).toBe(Date.parse('2026-07-01T12:34:56.123Z'));
    expect(wallClockToMs('now-1h', 'UTC')).toBeUndefined();
  });
});
