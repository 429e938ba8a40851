import { describe, expect, it } from 'vitest';
import { clip, flattenJson, looksLikeJsonObject, MAX_FIELD_VALUE_CHARS, parseJsonObject, parseLogfmt } from './extract-fields';

describe('looksLikeJsonObject', () => {
  const rows: Array<[string, boolean]> = [
    ['{"a":1}', true], ['  { "a": 1 }  ', true], ['{}', true], ['{"a":', false],
    ['{main} x', false], ['[1]', false], ['x {"a":1}', false], ['{"a":1} trailing', false],
  ];
  for (const [message, expected] of rows) {
    it(`${message} → ${expected}`, () => {
      let start = 0;
      while (message.charCodeAt(start) <= 32) start++;
      expect(looksLikeJsonObject(message, start)).toBe(expected);
    });
  }
});

describe('parseJsonObject', () => {
  it('answers null for invalid JSON and non-objects instead of throwing', () => {
    expect(parseJsonObject('{"a":')).toBeNull();
    expect(parseJsonObject('{"a":1}}')).toBeNull();
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
  });
});

describe('flattenJson', () => {
  it('keeps types, stores arrays as JSON text and drops nulls', () => {
    expect(Object.entries(flattenJson({ s: 'x', n: 1.5, b: true, z: null, arr: [1, { a: 2 }], o: { p: { q: 'r' } } }) ?? {})).toEqual([
      ['s', 'x'], ['n', 1.5], ['b', true], ['arr', '[1,{"a":2}]'], ['o.p.q', 'r'],
    ]);
  });
  it('answers null when nothing is left', () => {
    expect(flattenJson({ a: null, b: {} })).toBeNull();
  });
});

describe('parseLogfmt', () => {
  const rows: Array<[string, Record<string, unknown> | null]> = [
    ['a=0 b=-0.5 c=1E-3 d=1. e=.5 f=0x1f g=1_000 h=9007199254740993 i=12ms', { a: 0, b: -0.5, c: 0.001, d: '1.', e: '.5', f: '0x1f', g: '1_000', h: '9007199254740993', i: '12ms' }],
    ['t=true f=false T=True q="true"', { t: true, f: false, T: 'True', q: 'true' }],
    ['a="tab\\there" b="back\\\\slash" c="odd\\q" d="\\u00zz"', { a: 'tab\there', b: 'back\\slash', c: 'oddq', d: 'u00zz' }],
    ['a=1 a=2', { a: 2 }],
    ['a=1 =2 "x"=3 b=c=d', { a: 1, b: 'c=d' }],
    ['k.8s/io-name=x other=y', { 'k.8s/io-name': 'x', other: 'y' }],
    ['only=one', null],
    ['1a=1 b=2', null],
    ['plain text line', null],
  ];
  for (const [message, expected] of rows) {
    it(message, () => {
      const fields = parseLogfmt(message);
      expect(fields === null ? null : Object.fromEntries(Object.entries(fields))).toEqual(expected);
    });
  }
});

describe('clip', () => {
  it('never splits a surrogate pair', () => {
    const value = 'a'.repeat(MAX_FIELD_VALUE_CHARS - 1) + '😀' + 'b';
    expect(clip(value)).toBe('a'.repeat(MAX_FIELD_VALUE_CHARS - 1));
    expect(clip('short')).toBe('short');
  });
});
