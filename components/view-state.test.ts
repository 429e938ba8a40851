import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, freeTextTerms, readView, resolveRange, spanUntilNow, withFilter, writeView } from './view-state';

describe('view state in the URL', () => {
  it('round-trips every part and leaves defaults out', () => {
    const view = {
      q: 'level:error "a b"',
      from: 'now-1h',
      to: 'now',
      refresh: '30s' as const,
      filters: [
        { field: 'pod', value: 'x"y', op: 'is not' as const, disabled: true },
        { field: 'node', value: '', op: 'is one of' as const, values: ['a', 'b'] },
        { field: 'route', value: '', op: 'does not exist' as const },
        { field: 'container', value: '', op: 'is not one of' as const, values: ['c'] },
      ],
      columns: ['route', 'labels.app'],
      widths: { route: 180, time: 120 },
      order: 'asc' as const,
      wrap: true,
      line: 'abc.1.2',
      split: 'labels.app',
      interval: '1h' as const,
      tab: 'patterns' as const,
      saved: 'f3a9',
    };
    expect(readView(new URLSearchParams(writeView(view)))).toEqual(view);
    expect(writeView(DEFAULT_VIEW)).toBe('');
  });

  it('opens a mangled link with defaults instead of failing', () => {
    expect(readView(new URLSearchParams('filters=%7Bnot-json&refresh=2h&cols=,,a&widths=a:5,b:x,:90,c:100&order=up&tab=graphs'))).toEqual({ ...DEFAULT_VIEW, columns: ['a'], widths: { c: 100 } });
    expect(readView(new URLSearchParams('filters=[{"field":1},{"field":"a","value":"b","op":"drop"}]')).filters).toEqual([]);
  });

  it('resolves relative bounds at one instant and explains bad ones', () => {
    expect(resolveRange({ from: 'now-15m', to: 'now' }, 1_000_000_000)).toEqual({ fromMs: 1_000_000_000 - 900_000, toMs: 1_000_000_000 });
    expect(resolveRange({ from: 'yesterday', to: 'now' }, 0)).toEqual({ error: expect.stringContaining('"yesterday" is not a time') });
    expect(resolveRange({ from: 'now', to: 'now-1h' }, 5e6)).toEqual({ error: expect.stringContaining('before its end') });
  });
});

describe('freeTextTerms', () => {
  it('keeps the words and phrases a message must contain, not field values or operators', () => {
    expect(freeTextTerms('timeout and "connection refused" or level:error -skip pod:"a b" latency_ms >= 5 time*')).toEqual(['timeout', 'connection refused']);
    expect(freeTextTerms('level:(error or warn) or checkout')).toEqual(['checkout']);
  });
});

describe('withFilter', () => {
  const pod = (op: 'is' | 'is not', extra = {}) => ({ field: 'pod', value: 'a', op, ...extra });
  const other = { field: 'node', value: 'n', op: 'is' as const };

  it('adds a filter on a new value at the end', () => {
    expect(withFilter([other], pod('is'))).toEqual([other, pod('is')]);
  });

  it('turns a value filtered for around in its place when it is filtered out, and back', () => {
    expect(withFilter([pod('is'), other], pod('is not'))).toEqual([pod('is not'), other]);
    expect(withFilter([pod('is not')], pod('is'))).toEqual([pod('is')]);
  });

  it('turns a disabled pill back on when the same filter is asked for, and keeps an enabled one as it is', () => {
    expect(withFilter([pod('is not', { disabled: true })], pod('is not'))).toEqual([pod('is not')]);
    const same = [pod('is')];
    expect(withFilter(same, pod('is'))).toBe(same);
  });

  it('keeps "exists" and "is one of" beside value filters on the same field', () => {
    const exists = { field: 'pod', value: '', op: 'exists' as const };
    const oneOf = { field: 'pod', value: '', op: 'is one of' as const, values: ['a', 'b'] };
    expect(withFilter([exists], pod('is'))).toEqual([exists, pod('is')]);
    expect(withFilter([oneOf], { ...oneOf, values: ['c'] })).toEqual([oneOf, { ...oneOf, values: ['c'] }]);
    expect(withFilter([{ ...exists, disabled: true }], exists)).toEqual([exists]);
  });

  it('turns an excluded "exists" or "is one of" around in its place, as a value', () => {
    const exists = { field: 'pod', value: '', op: 'exists' as const };
    const missing = { ...exists, op: 'does not exist' as const };
    const oneOf = { field: 'pod', value: '', op: 'is one of' as const, values: ['a', 'b'] };
    const noneOf = { ...oneOf, op: 'is not one of' as const };
    expect(withFilter([missing, other], exists)).toEqual([exists, other]);
    expect(withFilter([oneOf], noneOf)).toEqual([noneOf]);
  });
});

describe('spanUntilNow', () => {
  it('names the span in its largest whole unit, a minute at least', () => {
    expect(spanUntilNow(30 * 60_000)).toBe('now-30m');
    expect(spanUntilNow(2 * 3_600_000)).toBe('now-2h');
    expect(spanUntilNow(7 * 86_400_000)).toBe('now-7d');
    expect(spanUntilNow(90 * 60_000 + 20_000)).toBe('now-90m');
    expect(spanUntilNow(5_000)).toBe('now-1m');
  });
});
