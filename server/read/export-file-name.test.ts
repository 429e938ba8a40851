import { describe, expect, it } from 'vitest';
import { exportFileName } from './export';
import { offsetPieces } from './zone-offset';

const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('an export file name', () => {
  const range = { fromUs: us('2026-12-08T01:00:00Z'), toUs: us('2026-12-08T01:39:39.5Z') };

  it('says the range in UTC when the page is on UTC', () => {
    expect(exportFileName(range, 'csv')).toBe('logpond-20261208T0100Z-20261208T0139Z.csv');
  });

  it("says the range in the page's zone, with its offset, as the lines inside say their times", () => {
    expect(exportFileName(range, 'ndjson', offsetPieces('Asia/Tokyo', range.fromUs, range.toUs))).toBe('logpond-20261208T1000+0900-20261208T1039+0900.ndjson');
    const fall = { fromUs: us('2026-11-01T05:00:00Z'), toUs: us('2026-11-01T07:00:00Z') }; // New York falls back at 06:00Z
    expect(exportFileName(fall, 'csv', offsetPieces('America/New_York', fall.fromUs, fall.toUs))).toBe('logpond-20261101T0100-0400-20261101T0200-0500.csv');
  });
});
