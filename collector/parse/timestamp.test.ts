import { describe, expect, it } from 'vitest';
import { isRfc3339 } from './timestamp';

const CASES: Array<[string, boolean]> = [
  ['2026-01-02T03:04:05.123456789Z', true],
  ['2026-01-02T03:04:05Z', true],
  ['2026-01-02T03:04:05.Z', false],
  ['2026-01-02T03:04:05.1234567890Z', false],
  ['2026-01-02T03:04:05.12a4Z', false],
  ['2026-01-02T03:04:05.1+01:00', true],
  ['2026-01-02 03:04:05.1Z', true],
  ['2026-13-02T03:04:05Z', false],
  ['2026-01-02T03:04:05.123Zjunk', false],
  ['2026-01-02T24:04:05Z', false],
  ['2026-01-02T23:60:05Z', false],
  ['2026-00-02T03:04:05Z', false],
  ['2026-01-02T03:04:05.1z', true],
  ['2026-01-02T03:04:60Z', false],
];

describe('isRfc3339', () => {
  it('answers the same whether or not the line before shared its date', () => {
    // The first pass fills the same-date shortcut; the second pass goes through it.
    expect(CASES.map(([text]) => isRfc3339(text))).toEqual(CASES.map(([, ok]) => ok));
    expect(CASES.map(([text]) => isRfc3339(text))).toEqual(CASES.map(([, ok]) => ok));
    expect(['2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.5Y'].map(isRfc3339)).toEqual([true, false]);
  });
});
