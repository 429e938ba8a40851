// Generated read requests for the fuzz suites (read-api.fuzz.test.ts, the HTTP slice): queries
// valid and not — wildcards, regexes near RE2's limits, ranges past 64 bits, long terms, odd field
// names, queries past the size limits — and every read parameter, plausible and hostile.
import fc from 'fast-check';

const FIELDS = [
  'message', 'pod', 'namespace', 'container', 'node', 'stream', 'level', 'labels.app.kubernetes.io/name', 'labels.team',
  'labels.', 'labels', 'status', 'latency_ms', 'user.id', 'a/b', 'x-y', '.', '..', '-', '_', 'msg', 'nothing.here',
];
const WORDS = ['GET', 'get', 'orders', 'timeout', 'id', '200', '12ms', 'ERROR', 'error', 'refused', 'Grüße', 'x', '%', '_', "'", '\\', '$p1'];
const REGEX_PIECES = [
  'a', 'GET', 'id', '.', '.*', '.+', '\\d', '\\w', '\\W', '\\s', '\\p{L}', '\\p{Lu}', '\\p{Cn}', '\\p{LC}', '\\p{Greek}', '\\P{N}',
  '[a-z]', '[^a]', '[\\p{L}\\p{N}]', '(', ')', '(?:', '(?=', '(?<n>', '\\1', '{2}', '{2,5}', '{100}', '{300}', '{1000}', '{1001}',
  '{0,}', '+', '*', '?', '|', '^', '$', '\\b', '[[:alpha:]]', '\\u0041', '\\x41', '\\/', '[]', '[^]', '\\',
];
const NUMBERS = [
  '0', '1', '-1', '1.5', '.5', '500', '1e3', '1e18', '9223372036854774000', '9223372036854775807', '-9223372036854775808',
  '1e308', '-1e308', '1e400', '99999999999999999999999999', 'abc', '0x10', '', '1e', '-',
];

const oneOf = <T>(items: readonly T[]) => fc.constantFrom(...items);

const word = fc.oneof(
  { weight: 4, arbitrary: oneOf(WORDS) },
  { weight: 3, arbitrary: fc.array(fc.oneof(oneOf(WORDS), oneOf(['*', '?', '**'])), { minLength: 1, maxLength: 6 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.tuple(oneOf(['a', 'GET ', 'ab*', '?']), fc.integer({ min: 100, max: 4_000 })).map(([s, n]) => s.repeat(n).replace(/\s/g, '_')) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.replace(/[\s()":<>]/g, '') || 'x') },
);

const phrase = fc.string({ maxLength: 20 }).map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`);
const regex = fc.array(oneOf(REGEX_PIECES), { minLength: 1, maxLength: 8 }).map((a) => `/${a.join('').replace(/(^|[^\\])\//g, '$1\\/')}/`);
const field = fc.oneof({ weight: 5, arbitrary: oneOf(FIELDS) }, { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_./-]{1,24}$/) });
const value = fc.oneof(word, phrase, regex, fc.constant('*'));

/** Templates of the Patterns view (`pattern:"…"`): the fuzz store's own shapes, and made-up ones. */
const TEMPLATES = [
  'request failed', 'slow query', 'ERROR connection refused to <_>', 'INFO GET /api/orders?id=<_> <_> <_>', 'INFO GET <_> 200 <_>',
  'Grüße aus Köln <_> — ünïcödé ✓ 日本語', '<_>', '', 'weird <_> control % _ \\ \' " chars <_>', '<_> <_>', 'INFO', '$p1 <_> \\1',
];
const template = fc
  .oneof(oneOf(TEMPLATES), fc.array(fc.oneof(oneOf(WORDS), fc.constant('<_>')), { minLength: 1, maxLength: 5 }).map((a) => a.join(' ')))
  .map((t) => `pattern:"${t.replace(/["\\]/g, (c) => `\\${c}`)}"`);

const leaf = fc.oneof(
  { weight: 4, arbitrary: word },
  { weight: 2, arbitrary: phrase },
  { weight: 4, arbitrary: fc.tuple(field, value).map(([f, v]) => `${f}:${v}`) },
  { weight: 2, arbitrary: fc.tuple(field, oneOf(['<', '<=', '>', '>=']), oneOf(NUMBERS)).map(([f, op, n]) => `${f} ${op} ${n}`) },
  { weight: 1, arbitrary: fc.tuple(field, value, value).map(([f, a, b]) => `${f}:(${a} or ${b})`) },
  { weight: 1, arbitrary: template },
);

const term = fc.oneof(
  { weight: 6, arbitrary: leaf },
  { weight: 1, arbitrary: leaf.map((t) => `not ${t}`) },
  { weight: 1, arbitrary: leaf.map((t) => `-${t}`) },
  { weight: 1, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((a) => `(${a.join(' or ')})`) },
);

const joined = fc
  .array(fc.tuple(term, oneOf([' ', ' and ', ' or ', ' AND ', ' OR '])), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.map(([t, op], i) => (i === 0 ? t : op + t)).join(''));

/** Queries of the language's every form, mostly within its limits: what people and tools type. */
export const plausibleQueryArb: fc.Arbitrary<string> = joined;

/** Queries past or at the size limits of query/limits.ts. */
const huge = fc.oneof(
  fc.integer({ min: 250, max: 8_000 }).map((n) => 'a '.repeat(n)),
  fc.integer({ min: 250, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => `w${i}*x`).join(' or ')),
  fc.integer({ min: 90, max: 5_000 }).map((n) => '('.repeat(n) + 'a' + ')'.repeat(n)),
  fc.integer({ min: 90, max: 3_000 }).map((n) => 'not '.repeat(n) + 'a'),
  fc.integer({ min: 16_000, max: 17_000 }).map((n) => 'x'.repeat(n)),
);

export const queryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 10, arbitrary: joined },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: huge },
);

const RELATIVE = fc
  .tuple(oneOf(['-', '+']), fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 999_999_999 })), oneOf(['s', 'm', 'h', 'd', 'w']))
  .map(([sign, n, unit]) => `now${sign}${n}${unit}`);

export const timeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: oneOf(['now', 'now-15m', 'now-1h', 'now-3h', 'now-7d', 'now+1m', '0', '9999-12-31T23:59:59.999Z']) },
  { weight: 2, arbitrary: RELATIVE },
  {
    weight: 1,
    arbitrary: oneOf(['-1', '999999999999999', '1969-12-31', '2026-13-45', '10000-01-01', '', ' ', 'yesterday', 'now - 15m', "1' OR 1=1"]),
  },
  { weight: 1, arbitrary: fc.integer({ min: -1e15, max: 1e16 }).map(String) },
  { weight: 1, arbitrary: fc.date({ min: new Date(-1e14), max: new Date(1e14), noInvalidDate: true }).map((d) => d.toISOString()) },
);

export const intArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: oneOf(['', '0', '1', '5', '100', '1000', '1001', '-1', '1.5', '1e3', '99999999999999999999', 'abc', ' 5 ', '0x10']) },
  { weight: 3, arbitrary: fc.nat({ max: 1_000 }).map(String) },
);

/** A base-36 key shape: plausible, out of range, or junk; real ids are mixed in by the caller. */
export const keyArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.stringMatching(/^-?[0-9a-z]{1,13}$/), fc.stringMatching(/^[0-9a-z]{1,11}$/), fc.stringMatching(/^[0-9a-z]{1,13}$/)).map((p) => p.join('.')),
  oneOf(['-zzzzzzzzzzzzz.1.1', 'zzzzzzzzzzzzz.0.0', 'abc.1.zzzzzzzzzzzzz', '0.0.0', "'; DROP", '', 'a.b', '..']),
  fc.string({ maxLength: 30 }),
);

export type Route = 'search' | 'histogram' | 'fields' | 'values' | 'suggest' | 'context' | 'export' | 'patterns';

/** Parameters of one read route: `undefined` values are left out. */
export function paramsArb(ids: readonly string[]): fc.Arbitrary<{ route: Route; params: Record<string, string | undefined> }> {
  const id = ids.length > 0 ? fc.oneof(oneOf(ids), keyArb) : keyArb;
  const common = { q: fc.option(queryArb, { nil: undefined }), from: timeArb, to: timeArb };
  const order = fc.option(oneOf(['asc', 'desc', 'asc', 'desc', 'ASC', 'sideways', '']), { nil: undefined, freq: 2 });
  return fc.oneof(
    fc.record({ ...common, limit: intArb, order, cursor: fc.option(id, { nil: undefined }) }).map((params) => ({ route: 'search' as const, params })),
    fc.record({ ...common, buckets: intArb }).map((params) => ({ route: 'histogram' as const, params })),
    fc.record(common).map((params) => ({ route: 'fields' as const, params })),
    fc.record({ ...common, limit: intArb, buckets: intArb }).map((params) => ({ route: 'patterns' as const, params })),
    fc
      .record({ ...common, field: fc.option(fc.oneof(field, fc.string({ maxLength: 20 })), { nil: undefined }), prefix: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), limit: intArb })
      .map((params) => ({ route: 'values' as const, params })),
    fc.record({ ...common, pos: intArb }).map((params) => ({ route: 'suggest' as const, params })),
    fc
      .record({ id: fc.option(id, { nil: undefined }), before: intArb, after: intArb, seconds: intArb, scope: fc.option(oneOf(['container', 'pod', 'node', 'all', 'galaxy', '']), { nil: undefined }) })
      .map((params) => ({ route: 'context' as const, params })),
    fc
      .record({ ...common, format: fc.option(oneOf(['ndjson', 'csv', 'xml', '']), { nil: undefined }), order, limit: intArb })
      .map((params) => ({ route: 'export' as const, params })),
  );
}

export function searchParams(params: Record<string, string | undefined>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out.set(k, v);
  return out;
}
