// When lines happen: a day-like rhythm of traffic, short error bursts, and the placement of N
// lines over a span so that their density follows both. All pure functions of seed and time, so
// a restarted demo writer or a re-run corpus agrees with what an earlier run wrote.

import { hashSeed, mulberry32 } from './rng';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Busiest at 14:00 UTC, quietest at 02:00; 0.6 makes the trough a quarter of the peak. */
const RHYTHM_AMPLITUDE = 0.6;
const RHYTHM_PEAK_MS = 14 * HOUR_MS;

/** A burst multiplies its target's line rate by this, and most of those lines are errors. */
export const BURST_RATE_FACTOR = 8;
/** Chance that a given hour has a burst (per 30 candidate targets), so a day shows a handful. */
const BURST_CHANCE_PER_HOUR = 0.3;
const BURST_MIN_MS = 2 * MINUTE_MS;
const BURST_MAX_MS = 6 * MINUTE_MS;

export interface TimeWindow {
  from: number;
  to: number;
}

export interface Burst extends TimeWindow {
  /** The key (a container id) of the one stream that misbehaves. */
  target: string;
}

/** Relative traffic at epoch ms `t`; its mean over a UTC day is 1. */
export function dayRhythm(t: number): number {
  return 1 + RHYTHM_AMPLITUDE * Math.cos((2 * Math.PI * (t - RHYTHM_PEAK_MS)) / DAY_MS);
}

/** ∫ dayRhythm over [from, to], in ms: the expected line count there is proportional to it. */
export function rhythmMass(from: number, to: number): number {
  if (to <= from) return 0;
  const k = (2 * Math.PI) / DAY_MS;
  const sin = (t: number) => Math.sin(k * (t - RHYTHM_PEAK_MS));
  return to - from + (RHYTHM_AMPLITUDE / k) * (sin(to) - sin(from));
}

/**
 * The bursts overlapping [from, to] among `targets`. Each clock hour decides its own bursts from
 * (seed, hour), so the answer for a moment does not depend on the span asked about.
 */
export function burstWindows(seed: number, targets: readonly string[], from: number, to: number): Burst[] {
  if (targets.length === 0 || to < from) return [];
  const attempts = 1 + Math.floor(targets.length / 30);
  const bursts: Burst[] = [];
  // Start an hour early: a burst decided at 10:58 may still run at 11:03.
  for (let hour = Math.floor(from / HOUR_MS) - 1; hour <= Math.floor(to / HOUR_MS); hour++) {
    const rng = mulberry32(hashSeed(seed, 'burst', hour));
    for (let i = 0; i < attempts; i++) {
      const happens = rng() < BURST_CHANCE_PER_HOUR;
      const start = hour * HOUR_MS + Math.floor(rng() * HOUR_MS);
      const length = BURST_MIN_MS + Math.floor(rng() * (BURST_MAX_MS - BURST_MIN_MS));
      const target = targets[(rng() * targets.length) | 0];
      if (happens && start <= to && start + length >= from) bursts.push({ from: start, to: start + length, target });
    }
  }
  return bursts.sort((a, b) => a.from - b.from);
}

/** Splits `total` into integers proportional to `weights` that sum to `Math.round(total)`. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const target = Math.max(0, Math.round(total));
  if (sum <= 0 || target === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (target * w) / sum);
  const counts = exact.map(Math.floor);
  let left = target - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    counts[i]++;
  }
  return counts;
}

/** About 1 minute per bucket, at most this many: fine enough for a 2-minute burst over a day. */
const MAX_BUCKETS = 4096;

/**
 * Maps a fraction u ∈ [0, 1) of a span's traffic to the moment where that fraction has passed,
 * following the day rhythm and the stream's bursts. Calls must come with non-decreasing u: the
 * lookup walks forward, which keeps placing N lines O(N).
 */
export class TimePlacer {
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly cumulative: number[] = [0];
  private bucket = 0;

  constructor(
    readonly from: number,
    readonly to: number,
    bursts: readonly TimeWindow[] = [],
  ) {
    const span = Math.max(1, to - from);
    const n = Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(span / MINUTE_MS)));
    const length = span / n;
    for (let i = 0; i < n; i++) {
      const start = from + i * length;
      const end = i === n - 1 ? from + span : start + length;
      let overlap = 0;
      for (const b of bursts) overlap += Math.max(0, Math.min(end, b.to) - Math.max(start, b.from));
      const weight = rhythmMass(start, end) * (1 + ((BURST_RATE_FACTOR - 1) * Math.min(overlap, end - start)) / (end - start));
      this.starts.push(start);
      this.lengths.push(end - start);
      this.cumulative.push(this.cumulative[i] + weight);
    }
  }

  /** The epoch ms (fractional) at traffic fraction u. */
  at(u: number): number {
    const c = this.cumulative;
    const target = u * c[c.length - 1];
    while (this.bucket < this.starts.length - 1 && c[this.bucket + 1] <= target) this.bucket++;
    const i = this.bucket;
    const weight = c[i + 1] - c[i];
    const within = weight > 0 ? Math.min(1, Math.max(0, (target - c[i]) / weight)) : 0;
    return this.starts[i] + within * this.lengths[i];
  }
}
