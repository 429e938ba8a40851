import { describe, expect, it } from 'vitest';
import { newestText } from './store-status';

describe('newestText', () => {
  const now = Date.parse('2026-12-07T06:30:00Z');

  it('gives the time of day in the chosen zone when the newest line is of today there', () => {
    expect(newestText(Date.parse('2026-12-07T06:08:31Z'), 'UTC', now)).toBe('06:08:31');
    expect(newestText(Date.parse('2026-12-07T06:08:31Z'), 'Asia/Tokyo', now)).toBe('15:08:31');
  });

  it('adds the date when the newest line is of another day, so an old store does not look live', () => {
    expect(newestText(Date.parse('2026-12-04T10:32:11Z'), 'UTC', now)).toBe('2026-12-04 10:32:11');
    // Yesterday in UTC, but today in Los Angeles, where it is still the 6th.
    expect(newestText(Date.parse('2026-12-06T23:00:00Z'), 'UTC', now)).toBe('2026-12-06 23:00:00');
    expect(newestText(Date.parse('2026-12-06T23:00:00Z'), 'America/Los_Angeles', now)).toBe('15:00:00');
  });
});
