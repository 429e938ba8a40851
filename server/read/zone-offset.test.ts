import { describe, expect, it } from 'vitest';
import { alignedOrigin, zoneOffsetMs } from './zone-offset';

const HOUR_US = 3_600_000_000n;
const DAY_US = 24n * HOUR_US;
const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('zoneOffsetMs', () => {
  it('gives the offset east of UTC, with daylight saving time where the zone has it', () => {
    expect(zoneOffsetMs('UTC', Date.parse('2026-12-07T10:00:00Z'))).toBe(0);
    expect(zoneOffsetMs('America/New_York', Date.parse('2026-12-07T10:00:00Z'))).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs('America/New_York', Date.parse('2026-07-07T10:00:00Z'))).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs('Asia/Kolkata', Date.parse('2026-12-07T10:00:00.750Z'))).toBe(5.5 * 3_600_000);
  });

  it('refuses a zone that does not exist', () => {
    expect(() => zoneOffsetMs('Mars/Olympus', 0)).toThrow(RangeError);
  });
});

describe('alignedOrigin', () => {
  it("starts a day's bar at the zone's midnight, and an hour's at its whole hour", () => {
    const ny = -5n * HOUR_US;
    expect(alignedOrigin(us('2026-12-07T03:00:00Z'), DAY_US, ny)).toBe(us('2026-12-06T05:00:00Z'));
    expect(alignedOrigin(us('2026-12-07T06:00:00Z'), DAY_US, ny)).toBe(us('2026-12-07T05:00:00Z'));
    const india = 330n * 60_000_000n;
    expect(alignedOrigin(us('2026-12-07T10:10:00Z'), HOUR_US, india)).toBe(us('2026-12-07T09:30:00Z'));
    expect(alignedOrigin(us('2026-12-07T10:10:00Z'), HOUR_US, 0n)).toBe(us('2026-12-07T10:00:00Z'));
  });
});
