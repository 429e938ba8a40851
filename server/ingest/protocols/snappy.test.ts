import { randomBytes } from 'node:crypto';
import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { snappyDecompress } from './snappy';

describe('snappyDecompress', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['short text', Buffer.from('hello')],
    ['random bytes (long literals)', randomBytes(200_000)],
    ['repeats (overlapping copies)', Buffer.from('ab'.repeat(50_000) + 'a'.repeat(70_000))],
    ['log lines (all copy kinds)', Buffer.from(Array.from({ length: 5000 }, (_, i) => `2026-12-06T10:00:${i % 60}Z INFO request ${i} took ${i % 97} ms\n`).join(''))],
  ])('reads what the snappy library writes: %s', (_, input) => {
    expect(snappyDecompress(compressSync(input), 10 * 1024 * 1024).equals(input)).toBe(true);
  });

  it('refuses output past the limit before allocating it', () => {
    expect(() => snappyDecompress(compressSync(Buffer.alloc(100_000)), 1000)).toThrow(/larger than 1000 bytes/);
  });

  it('refuses input cut short, a copy reaching before the start, and a length that does not match', () => {
    const packed = compressSync(Buffer.from('hello hello hello hello hello'));
    expect(() => snappyDecompress(packed.subarray(0, packed.length - 2), 1e6)).toThrow(/not valid snappy/);
    expect(() => snappyDecompress(Buffer.from([5, 0x01 | (1 << 2), 9]), 1e6)).toThrow(/reaches 9 bytes back from byte 0/);
    expect(() => snappyDecompress(Buffer.from([9, 0x00 | (1 << 2), 0x61, 0x62]), 1e6)).toThrow(/the data is 2 bytes, its preamble says 9/);
    expect(() => snappyDecompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 1e6)).toThrow(/preamble/);
  });
});
