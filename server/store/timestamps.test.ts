import { describe, expect, it } from 'vitest';
import { microsToIso, parseTimestampMicros } from './timestamps';

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
