import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../server/query/parse';
import { composeQuery, quoteValue } from './query-text';

describe('composeQuery', () => {
  it('ands the typed query with every enabled filter', () => {
    expect(
      composeQuery('timeout or refused', [
        { field: 'namespace', value: 'shop', op: 'is' },
        { field: 'level', value: 'debug', op: 'is not' },
        { field: 'user.id', value: '', op: 'exists' },
        { field: 'pod', value: 'x', op: 'is', disabled: true },
      ]),
    ).toBe('(timeout or refused) and namespace:"shop" and not level:"debug" and user.id:*');
    expect(composeQuery('', [{ field: 'pod', value: 'a b', op: 'is' }])).toBe('pod:"a b"');
    expect(composeQuery(' x ', [])).toBe('x');
    expect(composeQuery('', [{ field: 'pod', value: '', op: 'is one of', values: ['a-1', 'b "2"'] }])).toBe('pod:("a-1" or "b \\"2\\"")');
    expect(composeQuery('x', [{ field: 'pod', value: '', op: 'is one of', values: [] }])).toBe('x');
  });

  it('writes an excluded "exists" or "is one of" as its not', () => {
    expect(
      composeQuery('', [
        { field: '@l', value: '', op: 'does not exist' },
        { field: 'pod', value: '', op: 'is not one of', values: ['a', 'b'] },
      ]),
    ).toBe('not @l:* and not pod:("a" or "b")');
  });

  it('property: an "is one of" filter reads back as an or of exactly its values on its field', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 2, maxLength: 4 }), (values) => {
        const node = parseQuery(composeQuery('', [{ field: 'pod', value: '', op: 'is one of', values }]));
        expect(node).toMatchObject({ type: 'or', children: values.map((value) => ({ type: 'match', field: 'pod', value })) });
      }),
      { numRuns: 200 },
    );
  });

  it('property: a filter on any value matches exactly that value when parsed back', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const node = parseQuery(composeQuery('', [{ field: 'labels.app.kubernetes.io/name', value, op: 'is' }]));
        expect(node).toMatchObject({ type: 'match', field: 'labels.app.kubernetes.io/name', value, wildcard: false });
      }),
      { numRuns: 300 },
    );
  });

  it('property: a suggested value reads back as itself', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (value) => {
        const node = parseQuery(`pod:${quoteValue(value)}`);
        expect(node).toMatchObject({ type: 'match', value });
      }),
      { numRuns: 300 },
    );
  });
});
