import { escapeRegex } from '../../query/regex-text';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../query/parse';
import { QuerySyntaxError } from '../../query/query-syntax-error';
import { compileQuery } from './compile';

const SOURCES = '`logs`.sources';
const compile = (text: string) => compileQuery(parseQuery(text), SOURCES);

describe('compileQuery for ClickHouse', () => {
  it('matches free text as a lowered substring, with LIKE characters escaped', () => {
    expect(compile('Timeout')).toEqual({ sql: 'like(lower(e.message), {p1:String})', params: { p1: '%timeout%' } });
    expect(compile('"50%_off\\\\"').params).toEqual({ p1: '%50\\%\\_off\\\\%' });
    expect(compile('Grüße').sql).toBe('(position(lowerUTF8(e.message), {p1:String}) > 0)');
    expect(compile('get*id').params).toEqual({ p1: '(?is)get.*id' });
  });

  it('turns a pod field into the ids of the sources where it holds, so NOT and OR stay exact', () => {
    expect(compile('not namespace:shop')).toEqual({
      sql: '(NOT (e.source_id IN (SELECT id FROM `logs`.sources FINAL WHERE namespace = {p1:String})))',
      params: { p1: 'shop' },
    });
    expect(compile('labels.tier:web').sql).toBe('(e.source_id IN (SELECT id FROM `logs`.sources FINAL WHERE mapContains(labels, {p1:String}) AND labels[{p1:String}] = {p2:String}))');
  });

  it('compares level and stream as the enums they are stored as: a value they cannot hold matches nothing', () => {
    expect(compile('level:error')).toEqual({ sql: '(e.level = {p1:String})', params: { p1: 'error' } });
    expect(compile('not level:ERROR').sql).toBe('(NOT 0)');
    expect(compile('stream:std*').sql).toBe('(startsWith(toString(e.stream), {p1:String}))');
  });

  it('reads extracted fields as DuckDB does: text, numbers as numbers, a missing value matching nothing', () => {
    expect(compile('route:"/api"').sql).toBe("ifNull(JSONExtract(e.fields, {p1:String}, 'Nullable(String)') = {p2:String}, 0)");
    expect(compile('latency_ms >= 1e18')).toEqual({
      sql: "ifNull(toFloat64OrNull(JSONExtract(e.fields, {p1:String}, 'Nullable(String)')) >= {p2:Float64}, 0)",
      params: { p1: 'latency_ms', p2: '1000000000000000000' },
    });
  });
});

describe('compileQuery for ClickHouse: injection safety', () => {
  // Characters the compiler itself writes; anything else would have come from the query text.
  const ALLOWED = new Set([
    'AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'SELECT', 'id', 'FROM', 'FINAL', 'WHERE', 'logs', 'sources', 'e', 'message', 'fields', 'labels',
    'source_id', 'namespace', 'pod', 'container', 'node', 'stream', 'level', 'like', 'lower', 'lowerUTF8', 'position', 'match', 'startsWith',
    'endsWith', 'ifNull', 'toFloat64OrNull', 'JSONExtract', 'Nullable', 'String', 'Float64', 'mapContains', 'toString', 'coalesce',
  ]);
  const assertSafe = (sql: string, params: Record<string, unknown>) => {
    expect(sql).toMatch(/^[\sA-Za-z0-9_().,=<>{}:[\]`']*$/);
    // The only quoted text is the fixed type name of JSONExtract.
    expect(sql.replace(/'Nullable\(String\)'/g, '')).not.toContain("'");
    for (const w of sql.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) expect(ALLOWED.has(w) || /^p\d+$/.test(w), w).toBe(true);
    const placeholders = new Set([...sql.matchAll(/\{(p\d+):/g)].map((m) => m[1]));
    expect(new Set(Object.keys(params))).toEqual(placeholders);
  };

  it('hostile strings appear only in params', () => {
    for (const hostile of [`'; DROP TABLE x; --`, '%', '_', '\\', '"; --', '{p1:String}', `') OR 1 --`, '`sources`']) {
      const escaped = hostile.replace(/[\\"]/g, (c) => `\\${c}`);
      for (const q of [`"${escaped}"`, `pod:"${escaped}"`, `status:"${escaped}"`, `labels.a:"${escaped}"`, `message:"${escaped}"`, `pattern:"${escaped} <_>"`]) {
        const { sql, params } = compile(q);
        assertSafe(sql, params);
        // A pattern's regex holds each blank-separated word of the text, escaped.
        const inRegex = (v: string) => hostile.split(' ').every((word) => v.includes(escapeRegex(word)));
        expect(Object.values(params).some((v) => String(v).includes(hostile.toLowerCase()) || String(v).includes(hostile) || inRegex(String(v)))).toBe(true);
      }
    }
  });

  it('property: arbitrary queries compile to SQL made only of compiler-written text', () => {
    const piece = fc.constantFrom("'", '"', '\\', '%', '_', ';', '--', '{', '}', 'DROP', ' ', ':', 'pod', 'labels.x', 'status', '(', ')', '*', '?', '/', 'or', 'not', '>', '5', '`');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.array(piece, { maxLength: 20 }).map((a) => a.join(''))), (text) => {
        let node;
        try {
          node = parseQuery(text);
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
          return;
        }
        try {
          const { sql, params } = compileQuery(node, SOURCES);
          assertSafe(sql, params);
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
