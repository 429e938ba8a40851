import { describe, expect, it, vi } from 'vitest';
import { ThreadBudget } from './thread-budget';

function budget(full: number) {
  const settings: number[] = [];
  return { settings, budget: new ThreadBudget(full, async (n) => void settings.push(n)) };
}

describe('ThreadBudget', () => {
  it('runs on one thread while any lease is held, and on all once the last is released', async () => {
    const { settings, budget: b } = budget(4);
    const seal = await b.narrow();
    const reads = await b.narrow();
    expect(settings).toEqual([1]);
    await seal();
    expect(b.threads).toBe(1);
    expect(settings).toEqual([1]);
    await reads();
    await reads(); // a second release of the same lease gives back nothing more
    expect(settings).toEqual([1, 4]);
    expect(b.threads).toBe(4);
  });

  it('applies settings one at a time, each to what the leases want by then', async () => {
    const settings: number[] = [];
    let finish: () => void = () => undefined;
    const b = new ThreadBudget(2, (n) => {
      settings.push(n);
      return new Promise((resolve) => (finish = resolve));
    });
    const first = b.narrow();
    await vi.waitFor(() => expect(settings).toEqual([1]));
    const second = b.narrow(); // waits for the first setting, and needs no other
    finish();
    const release = await first;
    await second;
    // Released and taken again before anything is applied: by then, nothing is to change.
    const released = release();
    await b.narrow();
    await released;
    expect(settings).toEqual([1]);
  });

  it('never sets anything on an instance with one thread', async () => {
    const { settings, budget: b } = budget(1);
    await (await b.narrow())();
    expect(settings).toEqual([]);
  });
});
