import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract, type Fields, type Level } from './extract';
import { MAX_FIELD_VALUE_CHARS, MAX_FIELDS, MAX_JSON_CHARS, MAX_KEY_CHARS } from './extract-fields';

interface Row {
  message: string;
  level: Level;
  fields: Fields | null;
  /** Title for messages too long to be one. */
  title?: string;
}

const manyKeys = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]));
const firstKeys = Object.fromEntries(Array.from({ length: MAX_FIELDS }, (_, i) => [`k${i}`, i]));
const longValue = 'x'.repeat(5000);
const deep = JSON.stringify({ l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: { l9: { l10: 1 } } } } } } } } } });

const rows: Row[] = [
  // JSON
  { message: '{"level":"info","msg":"started","port":8080}', level: 'info', fields: { level: 'info', msg: 'started', port: 8080 } },
  { message: '  {"severity":"WARNING","message":"slow"}  ', level: 'warn', fields: { severity: 'WARNING', message: 'slow' } },
  { message: '{"lvl":"ERR","ok":false}', level: 'error', fields: { lvl: 'ERR', ok: false } },
  { message: '{"level":"CRITICAL"}', level: 'fatal', fields: { level: 'CRITICAL' } },
  { message: '{"level":"panic"}', level: 'fatal', fields: { level: 'panic' } },
  { message: '{"level":"dpanic"}', level: 'error', fields: { level: 'dpanic' } },
  { message: '{"level":"W"}', level: 'warn', fields: { level: 'W' } },
  { message: '{"log.level":"debug"}', level: 'debug', fields: { 'log.level': 'debug' } },
  { message: '{"log":{"level":"error"},"msg":"x"}', level: 'error', fields: { 'log.level': 'error', msg: 'x' } },
  { message: '{"level":"loud","severity":"error"}', level: 'error', fields: { level: 'loud', severity: 'error' } },
  { message: '{"msg":"no level here"}', level: 'unknown', fields: { msg: 'no level here' } },
  { message: '{"user":{"id":42,"name":"ann"},"tags":["a","b"],"gone":null}', level: 'unknown', fields: { 'user.id': 42, 'user.name': 'ann', tags: '["a","b"]' } },
  { message: '{"a.b":1,"a":{"b":2}}', level: 'unknown', fields: { 'a.b': 2 } },
  { message: '{"":1,"a":{"":2},"b":{}}', level: 'unknown', fields: null },
  { message: '{"namespace":"mine","pod":"p","level":"info"}', level: 'info', fields: { namespace: 'mine', pod: 'p', level: 'info' } },
  { message: '{"big":1e999,"id":12345678901234567890}', level: 'unknown', fields: { big: 'Infinity', id: 12345678901234567000 } },
  // numeric levels (pino/bunyan)
  { message: '{"level":10,"msg":"t"}', level: 'trace', fields: { level: 10, msg: 't' } },
  { message: '{"level":20}', level: 'debug', fields: { level: 20 } },
  { message: '{"level":30}', level: 'info', fields: { level: 30 } },
  { message: '{"level":40}', level: 'warn', fields: { level: 40 } },
  { message: '{"level":50}', level: 'error', fields: { level: 50 } },
  { message: '{"level":60}', level: 'fatal', fields: { level: 60 } },
  { message: '{"level":3}', level: 'unknown', fields: { level: 3 } },
  // malformed JSON falls back to plain text
  { message: '{"a":', level: 'unknown', fields: null },
  { message: '{"level":"error",}', level: 'error', fields: null },
  { message: '{main} ERROR boom', level: 'error', fields: null },
  { message: '[1,2,3]', level: 'unknown', fields: null },
  // logfmt
  { message: 'level=info msg=started port=8080', level: 'info', fields: { level: 'info', msg: 'started', port: 8080 } },
  {
    message: 'time="2026-11-25T12:00:00Z" level=warning msg="disk \\"sda\\" at 91%\\n" ratio=0.91 ok=true',
    level: 'warn',
    fields: { time: '2026-11-25T12:00:00Z', level: 'warning', msg: 'disk "sda" at 91%\n', ratio: 0.91, ok: true },
  },
  { message: 'lvl=eror id=007 n=-12 big=123456789012345678901 e=1e3 q="42"', level: 'error', fields: { lvl: 'eror', id: '007', n: -12, big: '123456789012345678901', e: 1000, q: '42' } },
  { message: 'severity=ERROR component=api empty= x', level: 'error', fields: { severity: 'ERROR', component: 'api', empty: '' } },
  { message: 'msg=hello world caller=main.go:42', level: 'unknown', fields: { msg: 'hello', caller: 'main.go:42' } },
  { message: 'a=1 b="unterminated quote', level: 'unknown', fields: { a: 1, b: 'unterminated quote' } },
  { message: 'a=\\u00e9 b="caf\\u00e9"', level: 'unknown', fields: { a: '\\u00e9', b: 'café' } },
  { message: 'status=ok and nothing else', level: 'unknown', fields: null },
  // plain prefixes
  { message: 'INFO server started', level: 'info', fields: null },
  { message: 'WARNING: low disk', level: 'warn', fields: null },
  { message: 'Error: ENOENT: no such file', level: 'error', fields: null },
  { message: 'DEBUG cache miss', level: 'debug', fields: null },
  { message: 'trace enter f()', level: 'trace', fields: null },
  { message: 'FATAL out of memory', level: 'fatal', fields: null },
  { message: 'panic: runtime error: index out of range', level: 'fatal', fields: null },
  { message: '2026-11-25T12:00:00Z INF listening addr=:8080', level: 'info', fields: null },
  // timestamps and brackets before the level
  { message: '2026-11-25 12:00:00.123 ERROR [main] c.e.App - boom', level: 'error', fields: null },
  { message: '12:00:00.123 [http-nio-8080-exec-1] WARN c.e.Repo - slow query', level: 'warn', fields: null },
  { message: '[ERROR] build failed', level: 'error', fields: null },
  { message: '[2026-11-25 12:00:00 +0000] [7] [INFO] Booting worker', level: 'info', fields: null },
  { message: '2026/11/25 12:00:00 [error] 29#29: *1 open() failed', level: 'error', fields: null },
  { message: '[Wed Nov 25 12:00:00.123 2026] [core:warn] [pid 1] AH00098', level: 'warn', fields: null },
  { message: '2026-11-25 12:00:00.123 UTC [1] FATAL:  password authentication failed', level: 'fatal', fields: null },
  { message: '2026-11-25T12:00:00Z level=error msg=x', level: 'error', fields: null },
  // klog
  { message: 'I1125 12:00:00.123456       1 main.go:42] Starting', level: 'info', fields: null },
  { message: 'W1125 12:00:00.123456       1 reflector.go:1] watch closed', level: 'warn', fields: null },
  { message: 'E1125 12:00:00.123456       1 controller.go:9] sync failed', level: 'error', fields: null },
  { message: 'F1125 12:00:00.123456       1 main.go:7] cannot start', level: 'fatal', fields: null },
  // tracebacks and exceptions
  { message: 'Traceback (most recent call last):', level: 'error', fields: null },
  { message: 'java.lang.IllegalStateException: not started', level: 'error', fields: null },
  { message: 'java.lang.OutOfMemoryError', level: 'error', fields: null },
  { message: 'Exception in thread "main" java.lang.NullPointerException', level: 'error', fields: null },
  { message: 'Caused by: java.io.IOException: closed', level: 'error', fields: null },
  { message: "KeyError: 'user'", level: 'error', fields: null },
  // unknown
  { message: '', level: 'unknown', fields: null },
  { message: '   ', level: 'unknown', fields: null },
  { message: 'GET /healthz 200 1ms', level: 'unknown', fields: null },
  { message: '2026/11/25 12:00:00 connection error', level: 'unknown', fields: null },
  { message: '10.0.0.1 - - [25/Nov/2026:12:00:00 +0000] "GET / HTTP/1.1" 500 12', level: 'unknown', fields: null },
  { message: 'Errors were found', level: 'unknown', fields: null },
  { title: 'a level word cut by the prefix bound', message: `${'0'.repeat(78)} ERRORS`, level: 'unknown', fields: null },
  { title: 'a level word past the prefix bound', message: `${'0 '.repeat(50)}ERROR`, level: 'unknown', fields: null },
  // caps
  { title: 'JSON with 200 keys keeps the first 64', message: JSON.stringify(manyKeys), level: 'unknown', fields: firstKeys },
  {
    title: 'logfmt with 200 pairs keeps the first 64',
    message: Object.entries(manyKeys).map(([k, v]) => `${k}=${v}`).join(' '),
    level: 'unknown',
    fields: firstKeys,
  },
  { title: 'JSON value of 5000 chars is cut', message: JSON.stringify({ level: 'info', v: longValue }), level: 'info', fields: { level: 'info', v: longValue.slice(0, MAX_FIELD_VALUE_CHARS) } },
  { title: 'logfmt quoted value of 5000 chars is cut', message: `a=1 v="${longValue}" b=2`, level: 'unknown', fields: { a: 1, v: longValue.slice(0, MAX_FIELD_VALUE_CHARS), b: 2 } },
  { title: 'key over the length cap is dropped', message: JSON.stringify({ ['k'.repeat(MAX_KEY_CHARS + 1)]: 1, ok: 1 }), level: 'unknown', fields: { ok: 1 } },
  {
    title: 'deep nesting stops at depth 8 with JSON text',
    message: deep,
    level: 'unknown',
    fields: { 'l1.l2.l3.l4.l5.l6.l7.l8': '{"l9":{"l10":1}}' },
  },
  {
    title: 'JSON over the parse cap: no fields, level sniffed from the head',
    message: JSON.stringify({ level: 'error', stack: 'x'.repeat(MAX_JSON_CHARS) }),
    level: 'error',
    fields: null,
  },
  // prototype pollution
  { message: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}', level: 'unknown', fields: { '__proto__.polluted': 1, 'constructor.prototype.polluted': 2 } },
  { message: '{"__proto__":"x","level":"info"}', level: 'info', fields: JSON.parse('{"__proto__":"x","level":"info"}') },
  { message: '__proto__=1 constructor=2 level=debug', level: 'debug', fields: JSON.parse('{"__proto__":1,"constructor":2,"level":"debug"}') },
];

describe('extract', () => {
  for (const row of rows) {
    it(row.title ?? row.message, () => {
      const result = extract(row.message);
      expect(result.level).toBe(row.level);
      // toEqual does not see own `__proto__` keys on the expected side reliably; compare entries.
      expect(result.fields === null ? null : Object.entries(result.fields)).toEqual(
        row.fields === null ? null : Object.entries(row.fields),
      );
    });
  }

  it('drops an array nested too deep to write back, keeping the rest', () => {
    // Parses (V8's JSON.parse is iterative) but may overflow JSON.stringify's stack, depending on its size.
    const message = '{"level":"warn","a":' + '['.repeat(30000) + ']'.repeat(30000) + '}';
    const { level, fields } = extract(message);
    expect(level).toBe('warn');
    expect(fields?.level).toBe('warn');
    expect(String(fields?.a ?? '').length).toBeLessThanOrEqual(MAX_FIELD_VALUE_CHARS);
  });

  it('leaves prototypes alone', () => {
    extract('{"__proto__":{"polluted":1}}');
    extract('__proto__=1 polluted=2');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('shares one result between plain lines of a level, so they allocate nothing', () => {
    expect(extract('INFO one')).toBe(extract('INFO two'));
    expect(Object.isFrozen(extract('plain'))).toBe(true);
  });

  it('never throws, and keeps every cap, on arbitrary input', () => {
    const jsonLine = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 12 })).map((o) => JSON.stringify(o));
    const logfmtLine = fc
      .array(fc.tuple(fc.stringMatching(/^[a-z_][\w.]{0,8}$/), fc.oneof(fc.string(), fc.integer(), fc.double())), { maxLength: 80 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`).join(' '));
    const anyLine = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), jsonLine, logfmtLine);
    fc.assert(
      fc.property(anyLine, (message) => {
        const { level, fields } = extract(message);
        expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown']).toContain(level);
        if (fields === null) return;
        const keys = Object.keys(fields);
        expect(keys.length).toBeGreaterThan(0);
        expect(keys.length).toBeLessThanOrEqual(MAX_FIELDS);
        for (const key of keys) {
          expect(key.length).toBeGreaterThan(0);
          expect(key.length).toBeLessThanOrEqual(MAX_KEY_CHARS);
          const value = fields[key];
          if (typeof value === 'string') expect(value.length).toBeLessThanOrEqual(MAX_FIELD_VALUE_CHARS);
          if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
