// Which reads a scan plans from the token index: whole segments, exact line times, or block spans.
import { describe, expect, it } from 'vitest';
import { MAX_BLOCK_READS, MAX_PINNED_TIMES, MAX_WHOLE_ROWS_AT_ONCE, narrowEnoughForOneRead, planReads } from './scan';
import type { Segment } from './segments';
import type { BlockRange, Candidates } from './token-lookup';

const segment = (path: string, indexed = true, rows = 10_000): Segment => ({ path, partitionStart: 0n, minTs: 0n, maxTs: 1_000_000n, rows, bytes: 0, indexed, tokenFile: null });
const range = { fromUs: 0n, toUs: 1_000_000n };
const block = (lo: number, hi: number, hits: number[] | null): BlockRange => ({ lo: BigInt(lo), hi: BigInt(hi), hits: hits && hits.map(BigInt) });

describe('planReads', () => {
  it('reads every segment whole without candidates, and unindexed ones whole with them', () => {
    expect(planReads([segment('a'), segment('b')], null, range).whole).toEqual(['a', 'b']);
    const candidates: Candidates = new Map([['a', [block(1, 2, [1])]]]);
    const reads = planReads([segment('a'), segment('b', false)], candidates, range);
    expect(reads.whole).toEqual(['b']);
    expect(reads.pinned).toEqual({ paths: ['a'], times: [1n] });
  });

  it('skips indexed segments with no candidate block, and hit times outside the range', () => {
    const candidates: Candidates = new Map([['a', [block(10, 20, [10, 15]), block(2_000_000, 2_000_010, [2_000_000])]]]);
    const reads = planReads([segment('a'), segment('b')], candidates, { fromUs: 12n, toUs: 1_000_000n });
    expect(reads).toEqual({ whole: [], pinned: { paths: ['a'], times: [15n] }, spans: [] });
  });

  it('reads a segment by its block spans when one of its blocks has no hit times', () => {
    const candidates: Candidates = new Map([
      ['a', [block(1, 2, [1]), block(5, 9, null)]],
      ['b', [block(3, 4, [3, 4])]],
    ]);
    const reads = planReads([segment('a'), segment('b')], candidates, range);
    expect(reads.pinned).toEqual({ paths: ['b'], times: [3n, 4n] });
    expect(reads.spans).toEqual([
      { path: 'a', lo: 1n, hi: 2n },
      { path: 'a', lo: 5n, hi: 9n },
    ]);
  });

  it(`reads by block past ${MAX_PINNED_TIMES} hit times, and whole past ${MAX_BLOCK_READS} blocks`, () => {
    const times = Array.from({ length: MAX_PINNED_TIMES + 1 }, (_, i) => i);
    const few: Candidates = new Map([['a', [block(0, MAX_PINNED_TIMES, times)]]]);
    const byBlock = planReads([segment('a')], few, range);
    expect(byBlock.pinned.paths).toEqual([]);
    expect(byBlock.spans).toEqual([{ path: 'a', lo: 0n, hi: BigInt(MAX_PINNED_TIMES) }]);
    const many: Candidates = new Map([['a', Array.from({ length: MAX_BLOCK_READS + 1 }, (_, i) => block(i * 10, i * 10 + 5, null))]]);
    expect(planReads([segment('a')], many, range)).toEqual({ whole: ['a'], pinned: { paths: [], times: [] }, spans: [] });
  });
});

describe('narrowEnoughForOneRead', () => {
  const candidates: Candidates = new Map([['a', [block(1, 2, [1])]]]);

  it('reads a range at once when the index narrows every settled hour and the rest is a small unsettled tail', () => {
    expect(narrowEnoughForOneRead([segment('a'), segment('now', false, 14_000)], candidates, range)).toBe(true);
  });

  it('walks when the unindexed segments hold more than a tail', () => {
    const backlog = [segment('a'), segment('b', false, MAX_WHOLE_ROWS_AT_ONCE), segment('c', false, 1)];
    expect(narrowEnoughForOneRead(backlog, candidates, range)).toBe(false);
  });
});
