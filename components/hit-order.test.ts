import { describe, expect, it } from 'vitest';
import type { Hit } from '@/common/read-api';
import { mergeNewestFirst, sortNewestFirst } from './hit-order';

const hit = (id: string, second: number): Hit => ({
  id,
  ts: `2026-12-05T10:00:${String(second).padStart(2, '0')}.000000Z`,
  source: 's',
  stream: 'stdout',
  level: 'info',
  message: id,
  fields: {},
});

describe('hit order', () => {
  it('sorts lines that arrived interleaved newest first', () => {
    expect(sortNewestFirst([hit('a', 1), hit('b', 5), hit('c', 3)]).map((h) => h.id)).toEqual(['b', 'c', 'a']);
  });

  it('merges live lines with a page, in time order, each id once, up to the limit', () => {
    const live = [hit('l2', 9), hit('l1', 4)];
    const page = [hit('p3', 8), hit('l1', 4), hit('p1', 2)];
    expect(mergeNewestFirst(live, page, 10).map((h) => h.id)).toEqual(['l2', 'p3', 'l1', 'p1']);
    expect(mergeNewestFirst(live, page, 2).map((h) => h.id)).toEqual(['l2', 'p3']);
  });
});
