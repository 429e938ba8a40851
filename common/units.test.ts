import { describe, expect, it } from 'vitest';
import { parseDuration, parseSize } from './units';

describe('units', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['500ms', 500],
  ])('duration %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each([
    ['20GiB', 20 * 1024 ** 3],
    ['500MB', 500e6],
    ['256KiB', 262_144],
    ['1048576', 1_048_576],
  ])('size %s', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it.each(['', 'soon', '7 days', '-1d'])('"%s" is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
  it.each(['', 'big', '20 gallons', '-5MB'])('"%s" is not a size', (text) => expect(parseSize(text)).toBeUndefined());
});
