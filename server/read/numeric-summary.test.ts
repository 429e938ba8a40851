import { describe, expect, it } from 'vitest';
import { niceStep, numericSummary, quantile } from './numeric-summary';

describe('numeric summary', () => {
  it.each([
    { raw: 9.9, step: 10 },
    { raw: 10, step: 10 },
    { raw: 0.03, step: 0.05 },
    { raw: 1.2, step: 2 },
    { raw: 300, step: 500 },
    { raw: 0.1, step: 0.1 },
  ])('rounds a step of $raw up to $step', ({ raw, step }) => {
    expect(niceStep(raw)).toBe(step);
  });

  it('interpolates quantiles between the closest ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('answers one bar when every value is the same, and nothing for no values', () => {
    expect(numericSummary([5, 5, 5])).toEqual({ min: 5, max: 5, avg: 5, p50: 5, p95: 5, buckets: [{ from: 5, to: 5, count: 3 }] });
    expect(numericSummary([])).toBeUndefined();
  });

  it('puts fractions and negatives in round buckets, without binary noise on the edges', () => {
    const summary = numericSummary([-0.3, 0.1, 0.2, 0.25, 0.7]);
    expect(summary?.buckets).toEqual([
      { from: -0.3, to: -0.2, count: 1 },
      { from: -0.2, to: -0.1, count: 0 },
      { from: -0.1, to: 0, count: 0 },
      { from: 0, to: 0.1, count: 0 },
      { from: 0.1, to: 0.2, count: 1 },
      { from: 0.2, to: 0.3, count: 2 },
      { from: 0.3, to: 0.4, count: 0 },
      { from: 0.4, to: 0.5, count: 0 },
      { from: 0.5, to: 0.6, count: 0 },
      { from: 0.6, to: 0.7, count: 0 },
      { from: 0.7, to: 0.8, count: 1 },
    ]);
  });
});
