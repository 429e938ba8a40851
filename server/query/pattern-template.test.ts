import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printQuery } from './ast';
import { parseQuery } from './parse';
import { patternRegex, patternWeight } from './pattern-template';
import { QuerySyntaxError } from './query-syntax-error';

const fits = (template: string, text: string) => new RegExp(patternRegex(template)).test(text);

describe('patternRegex', () => {
  it('fits the lines whose tokens are the literal parts with anything at each <_>', () => {
    const t = 'GET /api/orders/<_> HTTP/1.1 <_>';
    expect(fits(t, 'GET /api/orders/42 HTTP/1.1 200')).toBe(true);
    expect(fits(t, '  GET\t/api/orders/abc-9   HTTP/1.1 404 \r')).toBe(true);
    expect(fits(t, 'GET /api/orders/ HTTP/1.1 200 1532 bytes')).toBe(true); // the last <_> takes the rest of the line
    expect(fits(t, 'GET /api/orders/42 HTTP/1.1 200\n\tat the next line')).toBe(true); // the first line only
    expect(fits(t, 'xGET /api/orders/42 HTTP/1.1 200')).toBe(false);
    expect(fits(t, 'GET /api/users/42 HTTP/1.1 200')).toBe(false);
    expect(fits(t, 'GET /api/orders/42 HTTP/2 200')).toBe(false);
    expect(fits(t, 'GET /api/orders/42\nHTTP/1.1 200')).toBe(false); // <_> never crosses a line break
  });

  it('is anchored at both ends of the first line', () => {
    expect(fits('cache hit', 'cache hit')).toBe(true);
    expect(fits('cache hit', 'cache hit ratio')).toBe(false);
    expect(fits('cache hit', 'a cache hit')).toBe(false);
    expect(fits('', '')).toBe(true);
    expect(fits('', '   \nmore')).toBe(true);
    expect(fits('<_>', 'anything at all')).toBe(true);
  });

  it('reads every other character literally, regex syntax included', () => {
    const t = String.raw`$p1 (x) [y] .* a|b ^c\d {2} ?+`;
    expect(fits(t, t)).toBe(true);
    expect(fits(t, String.raw`$p1 (x) [y] xx a|b ^c\d {2} ?+`)).toBe(false);
    expect(fits('<_>.<_>', 'ab')).toBe(false);
    expect(fits('<_>.<_>', 'a.b')).toBe(true);
  });

  it('fits any line whose tokens are put back with any blanks (property)', () => {
    const token = fc.stringMatching(/^[!-~À-ÿ]{1,8}$/).filter((t) => !t.includes('<_>'));
    const blanks = fc.stringMatching(/^[ \t]{1,3}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(token, fc.boolean(), blanks), { minLength: 1, maxLength: 8 }), (parts) => {
        const line = parts.map(([t, , b]) => t + b).join('');
        const template = parts.map(([t, masked]) => (masked ? '<_>' : t)).join(' ');
        expect(fits(template, line)).toBe(true);
      }),
    );
  });
});

describe('pattern:"…" in the query language', () => {
  it('parses to a pattern node, escapes resolved', () => {
    expect(printQuery(parseQuery('pattern:"GET /api/<_> 200"'))).toBe('(pattern "GET /api/<_> 200")');
    expect(printQuery(parseQuery('not pattern:"say \\"hi\\" <_>" and level:error'))).toBe('(and (not (pattern "say \\"hi\\" <_>")) (match level "error"))');
    expect(parseQuery('pattern:"a <_>"')).toMatchObject({ type: 'pattern', field: 'pattern', fieldStart: 0, fieldEnd: 7, start: 0, end: 15 });
  });

  it('refuses a template that is not quoted, and a comparison, naming the position', () => {
    for (const [q, at] of [['pattern:GET', 8], ['level:error pattern:/a/', 20], ['pattern > 5', 8], ['pattern:*', 8]] as const) {
      let error: unknown;
      try {
        parseQuery(q);
      } catch (err) {
        error = err;
      }
      expect(error, q).toBeInstanceOf(QuerySyntaxError);
      expect((error as QuerySyntaxError).position, q).toBe(at);
    }
  });

  it('counts a template against the regex budget of the query', () => {
    expect(patternWeight('a <_> b')).toBeGreaterThan(patternWeight('a b'));
    const regexes = Array.from({ length: 110 }, () => String.raw`m:/\p{L}\p{L}\p{L}/`).join(' or ');
    expect(() => parseQuery(regexes)).not.toThrow();
    expect(() => parseQuery(`${regexes} or pattern:"${'<_> '.repeat(150)}"`)).toThrow(/too large together/);
  });
});
