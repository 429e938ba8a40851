import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ceilTo, floorTo, microsToIso, parseTimestampMicros } from './timestamps';

describe('timestamps', () => {
  it.each([
    ['2026-11-25T12:00:00Z', '2026-11-25T12:00:00.000000Z'],
    ['2026-11-25T12:00:00.5Z', '2026-11-25T12:00:00.500000Z'],
    ['2026-11-25T12:00:00.123456789Z', '2026-11-25T12:00:00.123456Z'],
    ['2026-11-25T14:00:00.000001+02:00', '2026-11-25T12:00:00.000001Z'],
  ])('%s is stored as %s', (text, iso) => {
    expect(microsToIso(parseTimestampMicros(text)!)).toBe(iso);
  });

  it.each(['', 'now', '2026-11-25', '2026-11-25T12:00:00', '2026-13-45T99:00:00Z'])('refuses "%s"', (text) => {
    expect(parseTimestampMicros(text)).toBeUndefined();
  });
});

describe('the fast path agrees with the general parser', () => {
  it.each([
    '2026-11-25T12:00:59Z',
    '2026-11-25T12:00:00.1Z',
    '2026-11-25T12:00:00.000001Z',
    '2026-11-25T12:00:00.999999999Z',
    '2024-02-29T23:59:59.5Z',
  ])('%s', (text) => {
    const expected = BigInt(Date.parse(text.replace(/\.\d+Z$/, 'Z'))) * 1000n + BigInt((/\.(\d+)Z$/.exec(text)?.[1] ?? '').padEnd(6, '0').slice(0, 6) || '0');
    expect(parseTimestampMicros(text)).toBe(expected);
  });

  it.each(['2026-11-25T12:00:60Z', '2026-11-25T12:00:0xZ', '2026-11-25T12:00:00.Z', '2026-02-30T12:00:00Z'])('refuses %s', (text) => {
    expect(parseTimestampMicros(text)).toBeUndefined();
  });
});

describe('minutes read digit by digit', () => {
  it('takes the 29th of February of the year 0, a leap year, which Date.UTC reads as 1900', () => {
    expect(parseTimestampMicros('0000-02-29T00:00:07.25Z')).toBe(-62162121592750000n);
    expect(parseTimestampMicros('0100-02-29T00:00:07.25Z')).toBeUndefined();
  });

  it('property: agree with the calendar for any date, and refuse the days no month has', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        // Microseconds are exact as a number up to the year 2255 (timestampMicros).
        fc.integer({ min: 0, max: 2254 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom('T', ' '),
        (year, month, day, hour, minute, separator) => {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${separator}${pad(hour, 2)}:${pad(minute, 2)}:07.25Z`;
          const date = new Date(0);
          date.setUTCFullYear(year, month - 1, day);
          date.setUTCHours(hour, minute, 7, 250);
          const real = month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && date.getUTCDate() === day;
          expect(parseTimestampMicros(text), text).toBe(real ? BigInt(date.getTime()) * 1000n : undefined);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('floorTo and ceilTo', () => {
  it('round to a multiple of the step on either side of zero', () => {
    expect([floorTo(125n, 60n), ceilTo(125n, 60n), floorTo(120n, 60n), ceilTo(120n, 60n)]).toEqual([120n, 180n, 120n, 120n]);
    expect([floorTo(-1n, 60n), ceilTo(-1n, 60n), floorTo(-60n, 60n)]).toEqual([-60n, 0n, -60n]);
  });
});
