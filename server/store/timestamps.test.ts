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
