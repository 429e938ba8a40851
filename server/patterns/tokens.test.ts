import { describe, expect, it } from 'vitest';
import { patternRegex } from '../query/pattern-template';
import { maskVariables, patternTokens } from './tokens';

describe('maskVariables', () => {
  it.each([
    ['took 42 ms', 'took <_> ms'],
    ['took 12ms, then 1.5s and 1h2m3.5s', 'took <_>, then <_> and <_>'],
    ['size=3.4MiB ratio=99% n=-1.5e3', 'size=<_> ratio=<_> n=<_>'],
    ['GET /api/orders/12345?page=2', 'GET /api/orders/<_>?page=<_>'],
    ['client 10.1.2.3:8080 to [fe80::1ff:fe23:4567:890a]:443', 'client <_>:<_> to [<_>]:<_>'],
    ['peer 2001:db8::8a2e:370:7334 down', 'peer <_> down'],
    ['order 3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b placed', 'order <_> placed'],
    ['commit 9fceb02d0ae598e95dc970b74767f19372d61af8 and 0xdeadbeef', 'commit <_> and <_>'],
    ['at 2026-12-06T10:00:00.123Z and 2026-12-06 10:00:01,5', 'at <_>:<_> and <_> <_>'],
    ['request_id=req7Hk2mQ9pLx4Zt trace ab12', 'request_id=<_> trace ab12'],
    ['HTTP/1.1 v1 k8s sha256 ipv4', 'HTTP/<_> v1 k8s sha256 ipv4'],
    ['no digits here: deadbeef cafe', 'no digits here: deadbeef cafe'],
  ])('%s', (text, masked) => {
    expect(maskVariables(text)).toBe(masked);
  });
});

describe('patternTokens', () => {
  it('splits the first line at blanks', () => {
    expect(patternTokens('  ERROR\tcannot  connect \r\n\tat Pool.connect (pool.js:12)', false)).toEqual(['ERROR', 'cannot', 'connect']);
    expect(patternTokens('', false)).toEqual([]);
  });

  it('masks quoted free text, and keeps short quoted words such as a request line', () => {
    expect(patternTokens('1.2.3.4 - - "GET /api/orders/7 HTTP/1.1" 200 "Mozilla/5.0 (X11; Linux x86_64) Gecko"', false)).toEqual([
      '<_>', '-', '-', '"GET', '/api/orders/<_>', 'HTTP/<_>"', '<_>', '<_>',
    ]);
    expect(patternTokens(`msg='user signed in from the app' user=7`, false)).toEqual(['msg=<_>', 'user=<_>']);
    expect(patternTokens(`don't panic`, false)).toEqual([`don't`, 'panic']);
  });

  it('ends a text that may have been cut short in <_>', () => {
    expect(patternTokens('a very long line that was cu', true)).toEqual(['a', 'very', 'long', 'line', 'that', 'was', 'cu<_>']);
    expect(patternTokens('a line\nwith more', true)).toEqual(['a', 'line']); // its first line was whole
  });

  it('leaves every line fitting the template its tokens make', () => {
    const lines = [
      '10.0.0.7 - - [06/Dec/2026:10:00:00 +0000] "GET /api/orders/12 HTTP/2.0" 200 512 "-" "curl/8.4.0 (x86_64-pc-linux-gnu) libcurl/8.4.0" 0.012',
      'time="2026-12-06T10:00:00Z" level=info msg="user \\"bob\\" signed in" user=42',
      `{"broken json": 'x y z w v'}`,
      'a "quoted" and "unterminated',
    ];
    for (const line of lines) expect(new RegExp(patternRegex(patternTokens(line, false).join(' '))).test(line), line).toBe(true);
  });
});
