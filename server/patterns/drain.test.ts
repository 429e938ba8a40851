import { describe, expect, it } from 'vitest';
import { corpusRecords } from '../../bench/corpus';
import { extract } from '../ingest/extract';
import { PATTERN_TEXT_FIELDS, patternRegex } from '../query/pattern-template';
import { type Cluster, Drain } from './drain';
import { patternTokens } from './tokens';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const ip = (i: number) => `10.${i % 7}.${(i * 3) % 250}.${(i * 11) % 250}`;
const uuid = (i: number) => `3f2b8c1e-9d4a-4e6b-8f0a-${String(100_000_000_000 + i * 7919).slice(0, 12)}`;
const clock = (i: number) => `10:00:${String(i % 60).padStart(2, '0')}`;

/** Forty-odd lines of each format, as the programs that write them do. */
const FORMATS: Record<string, string[]> = {
  nginx: range(40).map(
    (i) =>
      `${ip(i)} - - [06/Dec/2026:${clock(i)} +0000] "${i % 4 === 0 ? 'POST' : 'GET'} /api/orders/${1000 + i * 37} HTTP/1.1" ${i % 5 === 0 ? 500 : 200} ${400 + i * 13} "-" "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/${100 + (i % 20)}.0" 0.0${i % 10}${i % 7}`,
  ),
  istio: range(40).map(
    (i) =>
      `[2026-12-06T${clock(i)}.${100 + i}Z] "GET /api/cart/${i} HTTP/1.1" 200 - via_upstream - "-" 0 ${1500 + i} ${i % 30} ${i % 29} "-" "curl/8.4.0" "${uuid(i)}" "cart:8080" "${ip(i)}:8080" inbound|8080|| 127.0.0.6:${41000 + i} ${ip(i)}:8080 ${ip(i + 3)}:${50000 + i} - default`,
  ),
  java: range(40).map((i) => `2026-12-06 ${clock(i)}.${100 + i}  INFO 1 --- [nio-8080-exec-${i % 8}] c.e.shop.OrderController : Order ${5000 + i} placed for user ${i * 3}`),
  javaTrace: range(20).map((i) => `java.lang.IllegalStateException: Product ${i} has no price in currency EUR\n\tat com.example.shop.Pricing.price(Pricing.java:${40 + i})\n\tat com.example.shop.Cart.total(Cart.java:88)`),
  go: range(40).map((i) => `I1206 ${clock(i)}.${123456 + i}       1 controller.go:${120 + (i % 3)}] "Reconciled object" object="shop/cart-7d9f8b6c4-x${i}k9p" duration="${i}ms"`),
  python: range(40).map((i) => `[2026-12-06 ${clock(i)},${100 + i}: INFO/MainProcess] Task shop.tasks.send_email[${uuid(i)}] succeeded in 0.${i}s: None`),
  logfmt: range(40).map((i) => `ts=2026-12-06T${clock(i)}Z level=info caller=server.go:${80 + i} component=api method=GET path=/api/items/${i} status=200 took=${i}ms`),
};

function cluster(lines: string[], drain = new Drain()): Cluster[] {
  for (const line of lines) drain.add(patternTokens(line, false), line);
  return drain.clusters();
}
const templates = (clusters: Cluster[]) => clusters.map((c) => `${c.count} ${c.tokens.join(' ')}`);

/**
 * Whether `template` fits `text` as patternRegex says, in linear-ish time: V8's backtracking regex
 * engine takes exponential time on a template of many `<_>` (the engines run RE2). With blank runs
 * made one space on both sides, a template is a glob whose only wildcard is `<_>`.
 */
function fits(template: string, text: string): boolean {
  const line = text.split('\n')[0].replace(/[\t\v\f\r ]+/g, ' ').trim();
  const parts = template.split('<_>');
  if (!line.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (const [i, part] of parts.slice(1).entries()) {
    const last = i === parts.length - 2;
    if (last) return line.length - part.length >= at && line.endsWith(part);
    const found = line.indexOf(part, at);
    if (found === -1) return false;
    at = found + part.length;
  }
  return at === line.length;
}

describe('the linear template check of these tests', () => {
  it('agrees with patternRegex where the regex is quick', () => {
    const cases: [string, string][] = [
      ['GET <_> HTTP/<_> <_>', 'GET /a  HTTP/1.1 200'],
      ['GET <_> HTTP/<_> <_>', 'GET /a HTTP/1.1'],
      ['a <_>', 'a'],
      ['a <_>', 'a b\nc'],
      ['<_>x<_>', 'yxy'],
      ['<_>x<_>', 'yyy'],
      ['a b', 'a  b c'],
    ];
    for (const [template, text] of cases) expect(fits(template, text), `${template} | ${text}`).toBe(new RegExp(patternRegex(template)).test(text));
  });
});

describe('Drain on real log formats', () => {
  it.each([
    ['nginx', '40 <_> - - [<_>/Dec/<_> <_>] <_> /api/orders/<_> HTTP/<_>" <_> <_> "-" <_> <_>'],
    ['istio', '40 [<_>:<_>] "GET /api/cart/<_> HTTP/<_>" <_> - via_upstream - "-" <_> <_> <_> <_> "-" "curl/<_>" "<_>" "cart:<_>" "<_>:<_>" inbound|<_>|| <_>:<_> <_>:<_> <_>:<_> - default'],
    ['java', '40 <_> <_> INFO <_> --- [<_>] c.e.shop.OrderController : Order <_> placed for user <_>'],
    ['javaTrace', '20 java.lang.IllegalStateException: Product <_> has no price in currency EUR'],
    ['go', '40 I1206 <_> <_> controller.go:<_>] "Reconciled object" object="shop/<_>" duration="<_>"'],
    ['python', '40 [<_> <_>: INFO/MainProcess] Task shop.tasks.send_email[<_>] succeeded in <_>: None'],
    ['logfmt', '40 ts=<_>:<_> level=info caller=server.go:<_> component=api method=GET path=/api/items/<_> status=<_> took=<_>'],
  ])('%s lines make one pattern, its variable parts as <_>', (format, expected) => {
    expect(templates(cluster(FORMATS[format]))).toEqual([expected]);
  });

  it('puts a line with a UUID or an IP address with its siblings, and keeps different messages apart', () => {
    const lines = [
      ...range(10).map((i) => `session ${uuid(i)} expired after ${i * 5}s idle`),
      ...range(10).map((i) => `connection from ${ip(i)} accepted on port ${8000 + i}`),
      ...range(5).map((i) => `connection from ${ip(i)} refused: too many clients`),
      'cache warmed',
    ];
    expect(templates(cluster(lines))).toEqual([
      '10 session <_> expired after <_> idle',
      '10 connection from <_> accepted on port <_>',
      '5 connection from <_> refused: too many clients',
      '1 cache warmed',
    ]);
  });

  it('keeps the first two distinct lines of a pattern as its examples', () => {
    const [only] = cluster(['get user 1 ok', 'get user 1 ok', 'get user 2 failed', 'get user 3 ok']);
    expect(only).toEqual({ tokens: ['get', 'user', '<_>', '<_>'], count: 4, examples: ['get user 1 ok', 'get user 2 failed'] });
  });

  it('stops making clusters at its cap and counts the lines it turned away', () => {
    const drain = new Drain({ maxClusters: 3 });
    const clusters = cluster(['one', 'two words', 'three words here', 'four words in all', 'two words'], drain);
    expect(clusters.map((c) => c.count)).toEqual([2, 1, 1]);
    expect(drain.unclustered).toBe(1);
  });

  it('leaves every line of the bench corpus fitting the template of the pattern it joined', () => {
    const drain = new Drain();
    const joined: [string, Cluster][] = [];
    for (const entry of corpusRecords({ lines: 20_000, files: 40, seed: 9, from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) })) {
      const fields = extract(entry.message).fields;
      const key = PATTERN_TEXT_FIELDS.find((k) => fields !== null && Object.hasOwn(fields, k));
      const text = String(key === undefined ? entry.message : fields![key]);
      const found = drain.add(patternTokens(text, false), text);
      if (found) joined.push([text, found]);
    }
    expect(joined).toHaveLength(20_000);
    const misfits = joined.filter(([text, c]) => !fits(c.tokens.join(' '), text));
    expect(misfits.map(([text, c]) => `${text} ≠ ${c.tokens.join(' ')}`).slice(0, 5)).toEqual([]);
    // A few dozen shapes, not thousands.
    expect(drain.clusters().length).toBeGreaterThan(20);
    expect(drain.clusters().length).toBeLessThan(300);
  });
});
