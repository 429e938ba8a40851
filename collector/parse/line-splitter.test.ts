import { describe, expect, it } from 'vitest';
import { LineSplitter, TAIL_BYTES } from './line-splitter';

describe('LineSplitter', () => {
  it('returns complete lines with their offsets and keeps the partial one until its newline', () => {
    const splitter = new LineSplitter(100);
    const first = splitter.push(Buffer.from('ab\ncd'), 0);
    expect(first.map((l) => [l.offset, l.end, l.head.toString()])).toEqual([[0, 3, 'ab']]);
    expect(splitter.hasPartial).toBe(true);
    const second = splitter.push(Buffer.from('e\n\nf'), 5);
    expect(second.map((l) => [l.offset, l.end, l.head.toString()])).toEqual([
      [3, 7, 'cde'],
      [7, 8, ''],
    ]);
    expect(splitter.flush()).toMatchObject({ offset: 8, end: 9, cut: false });
  });

  it('keeps only a bounded head and the tail of a line far longer than the limit', () => {
    const keep = 2048;
    const splitter = new LineSplitter(keep);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let offset = 0;
    for (let i = 0; i < 64; i++) {
      expect(splitter.push(chunk, offset)).toEqual([]);
      offset += chunk.length;
    }
    const [line] = splitter.push(Buffer.from('y-the-end\n'), offset);
    expect(line.cut).toBe(true);
    expect(line.head.length).toBe(keep);
    expect(line.end).toBe(offset + 10);
    expect(line.tail!.length).toBe(TAIL_BYTES);
    expect(line.tail!.toString().endsWith('xy-the-end')).toBe(true);
  });

  it('refuses a chunk that does not follow the previous one', () => {
    const splitter = new LineSplitter(10);
    splitter.push(Buffer.from('abc'), 0);
    expect(() => splitter.push(Buffer.from('d'), 10)).toThrow(RangeError);
  });
});
