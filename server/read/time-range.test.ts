import { describe, expect, it } from 'vitest';
import { parseTime, parseTimeRange } from './time-range';

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('parseTime', () => {
  it.each([
    ['now', NOW],
    ['NOW', NOW],
    ['now-15m', NOW - 15 * 60_000],
    ['now-2h', NOW - 2 * 3_600_000],
    ['now-7d', NOW - 7 * 86_400_000],
    ['now-1w', NOW - 604_800_000],
    ['now+30s', NOW + 30_000],
    ['1764072000000', 1764072000000],
    ['2026-11-25T10:00:00Z', Date.parse('2026-11-25T10:00:00Z')],
    ['2026-11-25T10:00:00.250+02:00', Date.parse('2026-11-25T08:00:00.250Z')],
    ['2026-11-25T10:00:00', Date.parse('2026-11-25T10:00:00Z')],
    ['2026-11-25 10:00', Date.parse('2026-11-25T10:00:00Z')],
    ['2026-11-25', Date.parse('2026-11-25T00:00:00Z')],
  ])('%s', (text, ms) => expect(parseTime('from', text, NOW)).toBe(ms));

  it.each(['yesterday', 'now-15', 'now-15q', '2026-13-45', '12:00', '', 'now - 15m', "1' OR 1=1"])('refuses "%s"', (text) => {
    expect(() => parseTime('from', text, NOW)).toThrow(/^from: expected an ISO 8601 time, epoch milliseconds, "now" or "now-15m"; got/);
  });

  it.each([
    ['to', 'now+99999999w'],
    ['from', 'now-999999999w'],
    ['from', '1969-12-31T23:59:59Z'],
    ['to', '999999999999999'],
    ['to', 'now+9999999d'],
  ] as const)('refuses %s=%s: outside the times a read can name', (parameter, text) => {
    expect(() => parseTime(parameter, text, NOW)).toThrow(
      `${parameter}: "${text}" is outside the supported times, 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z`,
    );
  });

  it.each(['0', '9999-12-31T23:59:59.999Z', 'now+52w'])('accepts %s at the edges', (text) => {
    expect(() => parseTime('to', text, NOW)).not.toThrow();
  });
});

describe('parseTimeRange', () => {
  it('defaults to the last 15 minutes', () => {
    expect(parseTimeRange(null, null, NOW)).toEqual({ from: NOW - 15 * 60_000, to: NOW });
  });

  it('takes from and to', () => {
    expect(parseTimeRange('now-1h', 'now-30m', NOW)).toEqual({ from: NOW - 3_600_000, to: NOW - 1_800_000 });
  });

  it('refuses a reversed range with both ends named', () => {
    expect(() => parseTimeRange('now', 'now-1h', NOW)).toThrow(
      'from (2026-11-25T12:00:00.000Z) must be before to (2026-11-25T11:00:00.000Z)',
    );
  });

  it('answers 400 with a code for a bad bound', () => {
    expect(() => parseTimeRange('soon', null, NOW)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_time' }));
  });
});
