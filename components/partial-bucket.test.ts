import { describe, expect, it } from 'vitest';
import { partialNote, partialSpan } from './partial-bucket';

const MIN = 60_000;

describe('partialSpan', () => {
  it('is null for a bucket wholly inside the range, its edges included', () => {
    expect(partialSpan(10 * MIN, 11 * MIN, 10 * MIN, 11 * MIN)).toBeNull();
    expect(partialSpan(12 * MIN, 13 * MIN, 10 * MIN, 20 * MIN)).toBeNull();
  });

  it('names the side or sides the range cuts', () => {
    expect(partialSpan(10 * MIN, 11 * MIN, 10 * MIN + 5_000, 20 * MIN)).toEqual({ fromMs: 10 * MIN + 5_000, toMs: null });
    expect(partialSpan(19 * MIN, 20 * MIN, 10 * MIN, 19 * MIN + 5_000)).toEqual({ fromMs: null, toMs: 19 * MIN + 5_000 });
    expect(partialSpan(0, 60 * MIN, 10 * MIN, 20 * MIN)).toEqual({ fromMs: 10 * MIN, toMs: 20 * MIN });
  });
});

describe('partialNote', () => {
  const format = (ms: number) => `t${ms / 1000}`;
  it('says what part of the bar is counted', () => {
    expect(partialNote({ fromMs: 5_000, toMs: null }, format)).toBe('Partial bar: counted from t5 only');
    expect(partialNote({ fromMs: null, toMs: 7_000 }, format)).toBe('Partial bar: counted up to t7 only');
    expect(partialNote({ fromMs: 5_000, toMs: 7_000 }, format)).toBe('Partial bar: counted t5 – t7 only');
  });
});
