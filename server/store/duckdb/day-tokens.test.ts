import { describe, expect, it } from 'vitest';
import { daysToShare, MAX_OWN_FILES_PER_DAY } from './day-tokens';
import type { Segment } from './segments';

const HOUR = 3_600_000_000n;
const DAY = 24n * HOUR;
const DAY0 = 20_000n * DAY; // a UTC midnight

function segment(hour: number, indexed: boolean, tokenFile: string | null = null): Segment {
  const partitionStart = DAY0 + BigInt(hour) * HOUR;
  return { path: `h${hour}.parquet`, partitionStart, minTs: partitionStart, maxTs: partitionStart + HOUR - 1n, rows: 1, bytes: 1, indexed, tokenFile };
}

describe('daysToShare', () => {
  it('folds a day that is over once all its segments are indexed', () => {
    const day = [segment(0, true), segment(1, true), segment(2, false)];
    expect(daysToShare(day, DAY0 + 2n * DAY)).toEqual([]);
    day[2].indexed = true;
    expect(daysToShare(day, DAY0 + 2n * DAY)).toEqual([day]);
  });

  it('leaves a day that is over alone once it is in one file', () => {
    expect(daysToShare([segment(0, true, 'tokens/d'), segment(1, true, 'tokens/d')], DAY0 + 2n * DAY)).toEqual([]);
  });

  it(`folds a day still filling once ${MAX_OWN_FILES_PER_DAY} of its segments have their own token file`, () => {
    const filling = [segment(0, true, 'tokens/d'), segment(1, true), segment(2, true), segment(3, true), segment(4, false)];
    expect(daysToShare(filling, DAY0)).toEqual([]);
    const more = [...filling, segment(5, true)];
    expect(daysToShare(more, DAY0)).toEqual([more.filter((s) => s.indexed)]);
  });
});
