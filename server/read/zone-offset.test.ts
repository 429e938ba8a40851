import { describe, expect, it } from 'vitest';
import { alignedOrigin, offsetPieces, zonedIso, zoneOffsetMs } from './zone-offset';

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

describe('offsetPieces', () => {
  it('cuts a range where daylight saving time begins or ends, to the instant', () => {
    // New York leaves daylight saving time on 2026-11-01 at 06:00 UTC (02:00 EDT becomes 01:00 EST).
    const [from, to] = [us('2026-10-28T00:00:00Z'), us('2026-11-04T00:00:00Z')];
    expect(offsetPieces('America/New_York', from, to)).toEqual([
      { fromUs: from, toUs: us('2026-11-01T06:00:00Z'), offsetUs: -4n * HOUR_US },
      { fromUs: us('2026-11-01T06:00:00Z'), toUs: to, offsetUs: -5n * HOUR_US },
    ]);
    // A year holds both changes; a zone without them, or a range between them, is one piece.
    expect(offsetPieces('Europe/Paris', us('2026-01-01T00:00:00Z'), us('2027-01-01T00:00:00Z')).map((p) => p.offsetUs / HOUR_US)).toEqual([1n, 2n, 1n]);
    expect(offsetPieces('UTC', from, to)).toEqual([{ fromUs: from, toUs: to, offsetUs: 0n }]);
    expect(offsetPieces('America/New_York', us('2026-12-01T00:00:00Z'), us('2026-12-07T00:00:00Z'))).toHaveLength(1);
  });

  it('finds a change in the last day of a range, and in a range shorter than a day', () => {
    const change = us('2026-11-01T06:00:00Z');
    expect(offsetPieces('America/New_York', change - 3n * HOUR_US, change + HOUR_US).map((p) => p.toUs)).toEqual([change, change + HOUR_US]);
    expect(offsetPieces('America/New_York', change - 10n * DAY_US - 1n, change + 1000n).map((p) => p.toUs)).toEqual([change, change + 1000n]);
  });
});

describe('zonedIso', () => {
  it("says a time as the zone's wall clock with its offset, to the microsecond, across a change of offset", () => {
    const pieces = offsetPieces('America/New_York', us('2026-11-01T00:00:00Z'), us('2026-11-02T00:00:00Z'));
    expect(zonedIso(us('2026-11-01T05:59:59Z') + 123_456n, pieces)).toBe('2026-11-01T01:59:59.123456-04:00');
    expect(zonedIso(us('2026-11-01T06:00:00Z'), pieces)).toBe('2026-11-01T01:00:00.000000-05:00');
    const india = offsetPieces('Asia/Kolkata', us('2026-12-07T00:00:00Z'), us('2026-12-08T00:00:00Z'));
    expect(zonedIso(us('2026-12-07T20:00:00Z') + 1n, india)).toBe('2026-12-08T01:30:00.000001+05:30');
  });

  it('keeps the Z form at UTC', () => {
    expect(zonedIso(us('2026-12-07T10:00:00Z') + 7n, [{ fromUs: 0n, toUs: us('2027-01-01T00:00:00Z'), offsetUs: 0n }])).toBe('2026-12-07T10:00:00.000007Z');
  });
});
