import { describe, expect, it } from 'vitest';
import { SettleBudget } from './settle-budget';

const options = { saturatedShare: 0.5, maxDeferMs: 60_000 };

describe('SettleBudget', () => {
  it('settles one hour at a time while lines arrive at a rate the writer keeps up with', () => {
    const budget = new SettleBudget(2, options, 0);
    expect(budget.workers({ now: 0, busyMs: 0, idle: false, pending: 5 })).toBe(1);
    // Busy 1 s of the last 5 s: live traffic.
    expect(budget.workers({ now: 5_000, busyMs: 1_000, idle: false, pending: 5 })).toBe(1);
  });

  it('defers complete hours while the writer is busy most of the time, and settles them on every worker once lines stop', () => {
    const budget = new SettleBudget(2, options, 0);
    budget.workers({ now: 0, busyMs: 0, idle: false, pending: 0 });
    expect(budget.workers({ now: 5_000, busyMs: 4_000, idle: false, pending: 30 })).toBe(0);
    expect(budget.workers({ now: 8_000, busyMs: 6_900, idle: false, pending: 60 })).toBe(0);
    expect(budget.workers({ now: 12_000, busyMs: 6_900, idle: true, pending: 60 })).toBe(2);
  });

  it('settles one at a time however busy the writer is, once hours have waited the longest they may', () => {
    const budget = new SettleBudget(2, options, 0);
    const saturatedRound = (now: number) => budget.workers({ now, busyMs: now * 0.95, idle: false, pending: 10 });
    expect(saturatedRound(3_000)).toBe(0);
    expect(saturatedRound(32_000)).toBe(0);
    expect(saturatedRound(62_000)).toBe(0);
    expect(saturatedRound(63_001)).toBe(1);
    expect(saturatedRound(66_000)).toBe(1);
  });

  it('starts the wait again after the writer eased off', () => {
    const budget = new SettleBudget(2, options, 0);
    budget.workers({ now: 0, busyMs: 0, idle: false, pending: 10 });
    expect(budget.workers({ now: 50_000, busyMs: 45_000, idle: false, pending: 10 })).toBe(0);
    expect(budget.workers({ now: 60_000, busyMs: 46_000, idle: false, pending: 10 })).toBe(1);
    expect(budget.workers({ now: 70_000, busyMs: 55_000, idle: false, pending: 10 })).toBe(0);
    expect(budget.workers({ now: 100_000, busyMs: 80_000, idle: false, pending: 10 })).toBe(0);
  });

  it('measures the first round from the start, so a backfill from the first batch is not settled beside', () => {
    const budget = new SettleBudget(2, options, 1_000);
    expect(budget.workers({ now: 11_000, busyMs: 9_000, idle: false, pending: 3 })).toBe(0);
  });

  it('has nothing to hold back when every complete hour is settled', () => {
    const budget = new SettleBudget(2, options, 0);
    budget.workers({ now: 0, busyMs: 0, idle: false, pending: 0 });
    expect(budget.workers({ now: 5_000, busyMs: 5_000, idle: false, pending: 0 })).toBe(1);
  });
});
