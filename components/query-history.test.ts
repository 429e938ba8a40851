import { describe, expect, it } from 'vitest';
import { addToHistory, HISTORY_SIZE } from './query-history';

describe('query history', () => {
  it('keeps each query once, newest first, and at most the last 50', () => {
    expect(addToHistory(['b', 'a'], ' a ')).toEqual(['a', 'b']);
    expect(addToHistory(['a'], '   ')).toEqual(['a']);
    const full = Array.from({ length: HISTORY_SIZE }, (_, i) => `q${i}`);
    const next = addToHistory(full, 'new');
    expect(next).toHaveLength(HISTORY_SIZE);
    expect(next[0]).toBe('new');
    expect(next).not.toContain(`q${HISTORY_SIZE - 1}`);
  });
});
