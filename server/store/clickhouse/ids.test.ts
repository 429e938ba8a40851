import { describe, expect, it } from 'vitest';
import { fileIdOf, sourceIdOf } from './ids';

describe('ids derived from names', () => {
  it('are the same on every server, differ between names, and are exact JSON numbers', () => {
    expect(sourceIdOf('node-a/abc')).toBe(sourceIdOf('node-a/abc'));
    expect(fileIdOf('node-a/abc', '1:2')).not.toBe(fileIdOf('node-a/abc', '1:3'));
    // The key is not ambiguous where the parts meet.
    expect(fileIdOf('a', 'b\0c')).not.toBe(fileIdOf('a\0b', 'c'));
    const ids = Array.from({ length: 20_000 }, (_, i) => fileIdOf(`source-${i % 100}`, `${i}:1`));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true);
    expect(Math.max(...ids)).toBeGreaterThan(2 ** 40);
  });
});
