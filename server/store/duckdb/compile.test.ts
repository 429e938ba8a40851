import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeRegex } from '../../query/regex-text';
import { compileQuery } from './compile';
import { parseQuery } from '../../query/parse';
import { QuerySyntaxError } from '../../query/query-syntax-error';
import { regexProblem } from '../../query/regex-check';

const compile = (q: string) => compileQuery(parseQuery(q));

describe('compileQuery: table', () => {
  const rows: { query: string; sql: string; params: Record<string, unknown> }[] = [
    { query: '', sql: 'TRUE', params: {} },
    { query: 'timeout', sql: `regexp_matches(e.message, $p1)`, params: { p1: '(?i)timeout' } },
    { query: 'time*', sql: `regexp_matches(e.message, $p1)`, params: { p1: '((?is)time)' } },
    { query: 'ti?e', sql: `regexp_matches(e.message, $p1)`, params: { p1: '((?is)ti.e)' } },
    { query: 'get*id*timeout', sql: `regexp_matches(e.message, $p1)`, params: { p1: '((?is)get.*id.*timeout)' } },
    { query: '*a.b*', sql: `regexp_matches(e.message, $p1)`, params: { p1: '((?is)a\\.b)' } },
    { query: 'Grüß*e', sql: `regexp_matches(lower(e.message), $p1)`, params: { p1: '((?s)grüß.*e)' } },
    { query: '"Connection refused"', sql: `regexp_matches(e.message, $p1)`, params: { p1: '(?i)Connection refused' } },
    { query: '"star*"', sql: `regexp_matches(e.message, $p1)`, params: { p1: '(?i)star\\*' } },
    { query: '100%', sql: `regexp_matches(e.message, $p1)`, params: { p1: '(?i)100\\%' } },
    { query: 'snake_case', sql: `regexp_matches(e.message, $p1)`, params: { p1: '(?i)snake\\_case' } },
    { query: '"c:\\\\tmp"', sql: `regexp_matches(e.message, $p1)`, params: { p1: '(?i)c\\:\\\\tmp' } },
    { query: `"'; DROP TABLE x; --"`, sql: `regexp_matches(e.message, $p1)`, params: { p1: `(?i)\\'\\; DROP TABLE x\\; \\-\\-` } },
    { query: 'pod:checkout-api', sql: '(s.pod = $p1)', params: { p1: 'checkout-api' } },
    { query: 'pod:checkout-*', sql: '(starts_with(s.pod, $p1))', params: { p1: 'checkout-' } },
    { query: 'pod:*-1', sql: '(ends_with(s.pod, $p1))', params: { p1: '-1' } },
    { query: 'pod:*work*', sql: '(contains(s.pod, $p1))', params: { p1: 'work' } },
    { query: 'pod:check*-*', sql: '(regexp_full_match(s.pod, $p1))', params: { p1: '((?s)check.*\\-.*)' } },
    { query: 'pod:a_b?', sql: `(regexp_full_match(s.pod, $p1))`, params: { p1: '((?s)a\\_b.)' } },
    { query: 'pod:"x*"', sql: '(s.pod = $p1)', params: { p1: 'x*' } },
    { query: 'namespace:prod', sql: '(s.namespace = $p1)', params: { p1: 'prod' } },
    { query: 'container:app', sql: '(s.container = $p1)', params: { p1: 'app' } },
    { query: 'node:n1', sql: '(s.node = $p1)', params: { p1: 'n1' } },
    { query: 'stream:stderr', sql: '(e.stream = $p1)', params: { p1: 'stderr' } },
    { query: 'level:ERROR', sql: '(e.level = $p1)', params: { p1: 'ERROR' } },
    { query: `level:"'; DROP TABLE x; --"`, sql: '(e.level = $p1)', params: { p1: `'; DROP TABLE x; --` } },
    { query: 'message:refused', sql: `regexp_matches(e.message, $p1)`, params: { p1: '(?i)refused' } },
    { query: 'message:ref*ed', sql: `regexp_matches(e.message, $p1)`, params: { p1: '((?is)ref.*ed)' } },
    { query: 'message:"a b"', sql: `regexp_matches(e.message, $p1)`, params: { p1: '(?i)a b' } },
    {
      query: 'labels.app.kubernetes.io/name:checkout',
      sql: 'coalesce(json_extract_string(s.labels, $p1) = $p2, FALSE)',
      params: { p1: '$."app.kubernetes.io/name"', p2: 'checkout' },
    },
    {
      query: 'labels.app:check*',
      sql: 'coalesce(starts_with(json_extract_string(s.labels, $p1), $p2), FALSE)',
      params: { p1: '$."app"', p2: 'check' },
    },
    { query: 'status:500', sql: 'coalesce(json_extract_string(e.fields, $p1) = $p2, FALSE)', params: { p1: '$."status"', p2: '500' } },
    { query: 'user.id:42', sql: 'coalesce(json_extract_string(e.fields, $p1) = $p2, FALSE)', params: { p1: '$."user.id"', p2: '42' } },
    { query: 'labels:x', sql: 'coalesce(json_extract_string(e.fields, $p1) = $p2, FALSE)', params: { p1: '$."labels"', p2: 'x' } },
    { query: 'labels.:x', sql: 'coalesce(json_extract_string(e.fields, $p1) = $p2, FALSE)', params: { p1: '$."labels."', p2: 'x' } },
    {
      query: `msg:"%_\\\\"`,
      sql: 'coalesce(json_extract_string(e.fields, $p1) = $p2, FALSE)',
      params: { p1: '$."msg"', p2: '%_\\' },
    },
    { query: 'pod:*', sql: 'TRUE', params: {} },
    { query: 'message:*', sql: 'TRUE', params: {} },
    { query: 'status:*', sql: '(json_extract_string(e.fields, $p1) IS NOT NULL)', params: { p1: '$."status"' } },
    { query: 'labels.team:*', sql: '(json_extract_string(s.labels, $p1) IS NOT NULL)', params: { p1: '$."team"' } },
    { query: 'latency_ms>500', sql: 'coalesce(TRY_CAST(json_extract_string(e.fields, $p1) AS DOUBLE) > $p2, FALSE)', params: { p1: '$."latency_ms"', p2: 500 } },
    { query: 'latency_ms >= 1.5e2', sql: 'coalesce(TRY_CAST(json_extract_string(e.fields, $p1) AS DOUBLE) >= $p2, FALSE)', params: { p1: '$."latency_ms"', p2: 150 } },
    { query: 'status<-1', sql: 'coalesce(TRY_CAST(json_extract_string(e.fields, $p1) AS DOUBLE) < $p2, FALSE)', params: { p1: '$."status"', p2: -1 } },
    { query: 'level<=3', sql: 'coalesce(TRY_CAST(e.level AS DOUBLE) <= $p1, FALSE)', params: { p1: 3 } },
    { query: 'message:/time(d)? ?out/', sql: '(regexp_matches(e.message, $p1))', params: { p1: '(time(d)? ?out)' } },
    { query: 'pod:/^api-\\d+$/', sql: '(regexp_matches(s.pod, $p1))', params: { p1: '(^api-\\d+$)' } },
    { query: 'path:/a\\/b/', sql: 'coalesce(regexp_matches(json_extract_string(e.fields, $p1), $p2), FALSE)', params: { p1: '$."path"', p2: '(a/b)' } },
    {
      query: 'a and b',
      sql: `(regexp_matches(e.message, $p1) AND regexp_matches(e.message, $p2))`,
      params: { p1: '(?i)a', p2: '(?i)b' },
    },
    {
      query: 'a or pod:b',
      sql: `(regexp_matches(e.message, $p1) OR (s.pod = $p2))`,
      params: { p1: '(?i)a', p2: 'b' },
    },
    {
      query: 'not status:500',
      sql: '(NOT coalesce(json_extract_string(e.fields, $p1) = $p2, FALSE))',
      params: { p1: '$."status"', p2: '500' },
    },
    {
      query: 'pod:(a or b) -c',
      sql: `(((s.pod = $p1) OR (s.pod = $p2)) AND (NOT regexp_matches(e.message, $p3)))`,
      params: { p1: 'a', p2: 'b', p3: '(?i)c' },
    },
  ];

  it('lists the free text every match must contain', () => {
    expect(compile('timeout pod:x "a b" -c (d or e) message:f time*').requiredText).toEqual(['timeout', 'a b', 'f']);
    expect(compile('a or b').requiredText).toBeUndefined();
  });

  it.each(rows)('$query', ({ query, sql, params }) => {
    const compiled = compile(query);
    expect(compiled.sql).toBe(sql);
    expect(compiled.params).toEqual(params);
  });
});

describe('compileQuery: regular expressions', () => {
  it.each([
    ['a(?=b)', 'lookaround and named groups are not supported'],
    ['a(?!b)', 'lookaround and named groups are not supported'],
    ['(?<=a)b', 'lookaround and named groups are not supported'],
    ['(?<!a)b', 'lookaround and named groups are not supported'],
    ['(a)\\1', 'backreferences are not supported'],
    ['(?<n>a)', 'lookaround and named groups are not supported'],
    ['\\u0041', '\\u is not supported'],
    ['\\cA', '\\c is not supported'],
    ['[\\b]', '\\b in a character class is not supported'],
    ['[]', 'empty character class'],
    ['[^]', 'empty character class'],
    ['\\p{Letter}', 'unsupported Unicode class \\p{Letter}'],
    ['\\p{Script=Greek}', 'unsupported Unicode class \\p{Script=Greek}'],
    ['\\p{Cn}', 'unsupported Unicode class \\p{Cn}'],
    ['[\\p{LC}]', 'unsupported Unicode class \\p{LC}'],
    ['[[:alpha:]', 'POSIX classes are not supported'],
    ['a{1001}', 'repetition count over 1000'],
    ['(a{1000}){1000}', 'nested repetition counts multiply past 1000'],
    ['(a{100}){100}', 'nested repetition counts multiply past 1000'],
    ['(.{1000}){10}', 'nested repetition counts multiply past 1000'],
    ['((a{30}){30}){30}', 'nested repetition counts multiply past 1000'],
    ['(?:a{2}){501}', 'nested repetition counts multiply past 1000'],
    ['\\p{L}{1000}', 'pattern too large'],
    ['[\\p{L}\\p{N}]{400}', 'pattern too large'],
    ['(', 'not a valid regular expression'],
    ['a**', 'not a valid regular expression'],
    ['[z-a]', 'not a valid regular expression'],
  ])('rejects %s: %s', (pattern, problem) => {
    expect(regexProblem(pattern)).toBe(problem);
    const query = `x message:/${pattern.replace(/\//g, '\\/')}/`;
    let error: unknown;
    try {
      compile(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QuerySyntaxError);
    expect((error as QuerySyntaxError).position).toBe(10);
    expect((error as QuerySyntaxError).message).toBe(`invalid regular expression at 10: ${problem}`);
  });

  it('refuses regexes too large together, at the one past the budget', () => {
    expect(() => compile('message:/\\p{L}{300}/ message:/\\p{L}{300}/')).toThrow(
      'invalid regular expression at 29: the regular expressions of the query are too large together',
    );
  });

  it.each(['time(d)? ?out', '^\\d{4}-\\d{2}$', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{12}', '\\p{L}+', '(?:a|b)*', '\\bword\\b', '\\x41', '', '\\p{L}{300}', '((a{10}){10}){10}'])(
    'accepts %s',
    (pattern) => {
      expect(regexProblem(pattern)).toBeNull();
    },
  );
});

describe('compileQuery: injection safety', () => {
  // Characters the compiler itself writes; anything else would have come from the query text.
  const SQL_CHARS = /^[\sA-Za-z0-9_$().,'=<>\\]*$/;
  const assertSafe = (sql: string) => {
    expect(sql).toMatch(SQL_CHARS);
    expect(sql).not.toContain("'");
    // Identifiers and keywords only, plus $pN placeholders.
    const words = sql.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
    const allowed = new Set([
      'TRUE', 'FALSE', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'TRY_CAST', 'AS', 'DOUBLE', 'coalesce',
      'json_extract_string', 'regexp_matches', 'regexp_full_match', 'contains', 'starts_with', 'ends_with', 'lower', 'e', 's', 'message', 'fields', 'labels', 'namespace', 'pod',
      'container', 'node', 'stream', 'level',
    ]);
    for (const w of words) expect(allowed.has(w) || /^p\d+$/.test(w)).toBe(true);
  };

  it('hostile strings appear only in params', () => {
    for (const hostile of [`'; DROP TABLE x; --`, '%', '_', '\\', '"; --', `$p1`, `') OR TRUE --`]) {
      const escaped = hostile.replace(/[\\"]/g, (c) => `\\${c}`);
      for (const q of [`"${escaped}"`, `pod:"${escaped}"`, `status:"${escaped}"`, `labels.a:"${escaped}"`, `message:"${escaped}"`, `pattern:"${escaped} <_>"`]) {
        const { sql, params } = compile(q);
        assertSafe(sql);
        // Free text is bound as an escaped RE2 literal; field values as typed.
        const bound = Object.values(params).map(String);
        // A pattern's regex holds each blank-separated word of the text, escaped.
        const inRegex = (v: string) => hostile.split(' ').every((word) => v.includes(escapeRegex(word)));
        expect(bound.some((v) => v.includes(hostile) || v === `(?i)${escapeRegex(hostile)}` || inRegex(v))).toBe(true);
      }
    }
  });

  it('property: arbitrary queries compile to SQL made only of compiler-written text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        let node;
        try {
          node = parseQuery(text);
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
          return;
        }
        try {
          const { sql, params } = compileQuery(node);
          assertSafe(sql);
          const count = (sql.match(/\$p\d+/g) ?? []).length;
          expect(Object.keys(params)).toHaveLength(count);
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: arbitrary queries built from hostile pieces', () => {
    const piece = fc.constantFrom("'", '"', '\\', '%', '_', ';', '--', 'DROP', ' ', ':', 'pod', 'status', '(', ')', '*', '?', '/', 'or', 'not', '>', '5');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }).map((a) => a.join('')), (text) => {
        let node;
        try {
          node = parseQuery(text);
        } catch {
          return;
        }
        try {
          assertSafe(compileQuery(node).sql);
        } catch (e) {
          if (!(e instanceof QuerySyntaxError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
