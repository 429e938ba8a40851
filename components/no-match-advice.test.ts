import { describe, expect, it } from 'vitest';
import { noMatchAdvice } from './no-match-advice';

const HOUR = 3_600_000;

describe('noMatchAdvice', () => {
  it('offers every way the search could be widened', () => {
    expect(noMatchAdvice({ spanMs: HOUR, typed: true, filtersOn: 2 })).toBe('Try a wider time range, fewer terms or turning off a filter.');
    expect(noMatchAdvice({ spanMs: HOUR, typed: false, filtersOn: 1 })).toBe('Try a wider time range or turning off the filter.');
  });

  it('does not offer fewer terms or filters the search does not have', () => {
    expect(noMatchAdvice({ spanMs: HOUR, typed: false, filtersOn: 0 })).toBe('Try a wider time range.');
  });

  it('does not offer a wider range once it spans a month', () => {
    expect(noMatchAdvice({ spanMs: 30 * 24 * HOUR, typed: true, filtersOn: 0 })).toBe('Try fewer terms.');
    expect(noMatchAdvice({ spanMs: 90 * 24 * HOUR, typed: false, filtersOn: 0 })).toBe('');
  });
});
