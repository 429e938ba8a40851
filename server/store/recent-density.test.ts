import { describe, expect, it } from 'vitest';
import { RecentDensity } from './recent-density';

const T0 = Date.UTC(2026, 11, 5, 12);
const stamped = (count: number, atMs: number) => new Float64Array(count).fill(atMs * 1000);

describe('RecentDensity', () => {
  it('counts entries of the present per second over the last minute', () => {
    const density = new RecentDensity();
    for (let s = 0; s < 60; s++) density.record(stamped(120, T0 + s * 1000), T0 + s * 1000);
    expect(density.rate(T0 + 59_000)).toBe(120);
  });

  it('leaves out a backfill of old lines, and forgets what is a minute old', () => {
    const density = new RecentDensity();
    density.record(stamped(50_000, T0 - 86_400_000), T0);
    expect(density.rate(T0)).toBe(0);
    density.record(stamped(600, T0), T0);
    expect(density.rate(T0 + 1_000)).toBe(10);
    expect(density.rate(T0 + 61_000)).toBe(0);
  });
});
