import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract, type Fields, type Level } from './extract';
import { MAX_FIELD_VALUE_CHARS, MAX_FIELDS, MAX_JSON_CHARS, MAX_KEY_CHARS } from './extract-fields';
import { ACCESS_REQUEST_PREFIX_CHARS, MAX_REQUEST_LINE_CHARS } from './extract-level';

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
  { message: 'retrying in 500 ms after 503 from upstream', level: 'unknown', fields: null },
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

interface AccessRow {
  /** The writer and format the line is an example of. */
  format: string;
  message: string;
  level: Level;
}

// Lines as the servers write them (formats from their documentation and defaults); the level
// comes from the HTTP status only where the line has no level of its own.
const accessRows: AccessRow[] = [
  // nginx / Apache: common and combined log format, and their variants
  { format: 'nginx combined, 502', message: '203.0.113.7 - - [05/Dec/2026:10:00:00 +0000] "GET /api/products/1042 HTTP/1.1" 502 157 "-" "curl/8.5.0"', level: 'error' },
  { format: 'Apache common, 200', message: '192.0.2.14 - frank [05/Dec/2026:10:00:00 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326', level: 'info' },
  { format: 'Apache combined, 404', message: '198.51.100.23 - - [05/Dec/2026:10:00:01 +0100] "GET /favicon.ico HTTP/1.1" 404 196 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"', level: 'warn' },
  { format: 'Apache vhost_combined, 303', message: 'shop.example.com:443 203.0.113.9 - - [05/Dec/2026:10:00:02 +0000] "POST /cart HTTP/1.1" 303 0 "-" "Mozilla/5.0"', level: 'info' },
  { format: 'nginx combined, IPv6 client, 401', message: '2001:db8:85a3::8a2e:370:7334 - - [05/Dec/2026:10:00:03 +0000] "DELETE /api/session HTTP/2.0" 401 0 "-" "okhttp/4.12.0"', level: 'warn' },
  { format: 'nginx combined, 101 upgrade', message: '10.244.1.5 - - [05/Dec/2026:10:00:04 +0000] "GET /ws HTTP/1.1" 101 0 "-" "Go-http-client/1.1"', level: 'info' },
  { format: 'nginx combined, query string of 4000 chars', message: `203.0.113.7 - - [05/Dec/2026:10:00:00 +0000] "GET /search?q=${'a'.repeat(4000)} HTTP/1.1" 414 0 "-" "curl/8.5.0"`, level: 'warn' },
  { format: 'Traefik common, 502', message: '192.0.2.10 - - [05/Dec/2026:10:00:00 +0000] "GET /whoami HTTP/1.1" 502 11 "-" "curl/8.5.0" 42 "whoami@docker" "http://172.18.0.3:80" 3ms', level: 'error' },
  // ingress-nginx: upstreaminfo, today's and the older one with [$the_real_ip]
  { format: 'ingress-nginx upstreaminfo, 503', message: '192.0.2.176 - - [05/Dec/2026:10:00:34 +0000] "POST /oauth/token HTTP/2.0" 503 190 "https://login.example.com/" "Go-http-client/2.0" 583 0.003 [auth-auth-api-8080] [] 10.244.2.17:8080 0 0.003 503 6f1c0e3a9b7d4c2e8a5f1b3c7d9e2f40', level: 'error' },
  { format: 'ingress-nginx upstreaminfo, 200', message: '203.0.113.159 - - [05/Dec/2026:10:00:18 +0000] "GET /api/ds/query HTTP/2.0" 200 14785 "https://grafana.example.com/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15" 512 0.041 [monitoring-grafana-3000] [] 10.244.4.9:3000 14785 0.041 200 0c2d9f4e1b6a4f8e9d3c5b7a1e2f4d6c', level: 'info' },
  { format: 'ingress-nginx upstreaminfo before 0.30, 429', message: '10.0.0.12 - [10.0.0.12] - - [05/Dec/2026:10:00:00 +0000] "GET /api/v1/items HTTP/1.1" 429 162 "-" "kube-probe/1.31" 112 0.001 [default-web-80] 10.244.1.5:80 162 0.001 429', level: 'warn' },
  // Envoy / Istio default text format
  { format: 'Envoy default, 503 UF', message: '[2026-12-05T10:00:00.000Z] "GET /x HTTP/1.1" 503 UF 0 91 1 - "-" "curl/8.5.0" "5b2f6c1e-1a2b-4c3d-9e8f-0a1b2c3d4e5f" "backend:8080" "10.244.1.9:8080"', level: 'error' },
  { format: 'Envoy default over HTTP/2, 504 UT', message: '[2026-12-05T10:00:00.000Z] "POST /v1/payments HTTP/2" 504 UT 310 24 15001 - "-" "okhttp/4.12.0" "a1b2c3d4-0000-4000-8000-000000000001" "payments:8080" "10.244.2.3:8080"', level: 'error' },
  { format: 'Istio default, 200', message: '[2026-12-05T10:00:00.123Z] "GET /api/v1/products/1305 HTTP/1.1" 200 - via_upstream - "-" 0 12526 7 6 "192.0.2.182" "Go-http-client/2.0" "d5331fc1-afe3-42bd-a1b2-c3d4e5f60718" "catalog.shop.svc.cluster.local:8080" "10.244.3.7:8080" inbound|8080|| 127.0.0.6:45231 10.244.3.7:8080 10.244.1.4:51234 outbound_.8080_._.catalog.shop.svc.cluster.local default', level: 'info' },
  { format: 'Istio default, 404 NR', message: '[2026-12-05T10:00:00.123Z] "GET /nope HTTP/1.1" 404 NR route_not_found - "-" 0 0 0 - "-" "curl/8.5.0" "e7d6c5b4-a3b2-4c1d-8e9f-102030405060" "shop.example.com" "-" - - 10.244.0.8:8080 10.244.0.1:40001 - -', level: 'warn' },
  // JSON and logfmt access logs: a status field and no level
  { format: 'Istio JSON, response_code 503', message: '{"start_time":"2026-12-05T10:00:00.000Z","method":"GET","path":"/x","protocol":"HTTP/1.1","response_code":503,"response_flags":"UF","response_code_details":"upstream_reset_before_response_started{connection_failure}","bytes_received":0,"bytes_sent":91,"duration":1,"upstream_host":"10.244.1.9:8080","authority":"backend:8080"}', level: 'error' },
  { format: 'nginx JSON log_format, status as a string', message: '{"time":"2026-12-05T10:00:00+00:00","remote_addr":"203.0.113.7","request_method":"GET","request_uri":"/x","status":"404","body_bytes_sent":153,"request_time":0.002,"http_user_agent":"curl/8.5.0"}', level: 'warn' },
  { format: 'Google Cloud httpRequest.status', message: '{"timestamp":"2026-12-05T10:00:00Z","httpRequest":{"requestMethod":"GET","requestUrl":"https://shop.example.com/x","status":503,"latency":"0.120s"}}', level: 'error' },
  { format: 'OpenTelemetry flat http.status_code', message: '{"name":"GET /x","http.method":"GET","http.status_code":404}', level: 'warn' },
  { format: 'Elastic ECS nested http.response.status_code', message: '{"@timestamp":"2026-12-05T10:00:00Z","http":{"request":{"method":"GET"},"response":{"status_code":500}},"url":{"path":"/x"}}', level: 'error' },
  { format: 'Traefik JSON without its level', message: '{"ClientHost":"203.0.113.7","DownstreamStatus":502,"OriginStatus":0,"RequestMethod":"GET","RequestPath":"/x","RouterName":"web@docker"}', level: 'error' },
  { format: 'logfmt, status=502', message: 'time=2026-12-05T10:00:00Z method=GET path=/x status=502 duration=3.1ms', level: 'error' },
  { format: 'logfmt, quoted status_code', message: 'method=POST path=/api/checkout status_code="409" took=12ms', level: 'warn' },
  { format: 'a level name that is no level, then a status', message: '{"level":"access","status":500}', level: 'error' },
  // an explicit level wins over the status
  { format: 'Caddy, its own level', message: '{"level":"error","ts":1764928800.123,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"203.0.113.7","proto":"HTTP/2.0","method":"GET","host":"shop.example.com","uri":"/x"},"bytes_read":0,"duration":0.0021,"size":0,"status":502}', level: 'error' },
  { format: 'Traefik JSON: logrus writes level info on every line', message: '{"ClientHost":"203.0.113.7","DownstreamStatus":502,"OriginStatus":0,"RequestMethod":"GET","RequestPath":"/x","RouterName":"web@docker","level":"info","msg":"","time":"2026-12-05T10:00:00Z"}', level: 'info' },
  { format: 'logfmt with a level', message: 'level=info method=GET path=/x status=500', level: 'info' },
  { format: 'uvicorn: its level word first', message: 'INFO:     10.244.0.1:51234 - "GET /healthz HTTP/1.1" 500 Internal Server Error', level: 'info' },
  { format: 'nginx error log quoting a request', message: '2026/12/05 10:00:00 [warn] 31#31: *5 an upstream response is buffered, client: 203.0.113.7, server: shop.example.com, request: "GET /x HTTP/1.1", upstream: "http://10.244.1.9:8080/x"', level: 'warn' },
  // no status where the rule looks: unknown
  { format: 'Envoy TCP connection', message: '[2026-12-05T10:00:00.000Z] "- - -" 0 - - - "-" 1024 2048 3001 - "-" "-" "-" "-" "10.244.2.8:5432" outbound|5432||postgres.db.svc.cluster.local 10.244.1.4:40112 10.96.7.3:5432 10.244.1.4:40110 - -', level: 'unknown' },
  { format: 'Envoy status 0, downstream gone', message: '[2026-12-05T10:00:00.000Z] "GET /stream HTTP/1.1" 0 DC downstream_remote_disconnect - "-" 0 0 5012 - "-" "curl/8.5.0" "0f0e0d0c-0b0a-4909-8807-060504030201" "events:8080" "10.244.1.9:8080"', level: 'unknown' },
  { format: 'nginx, no request line', message: '203.0.113.5 - - [05/Dec/2026:10:00:00 +0000] "-" 400 0 "-" "-"', level: 'unknown' },
  { format: 'a request quoted in a sentence', message: '203.0.113.5 sent "GET /x HTTP/1.1", 500 retries later', level: 'unknown' },
  { format: 'no protocol', message: '203.0.113.5 - - [05/Dec/2026:10:00:00 +0000] "GET /x" 500 0', level: 'unknown' },
  { format: 'lower-case method', message: '203.0.113.5 - - [05/Dec/2026:10:00:00 +0000] "get /x HTTP/1.1" 500 0', level: 'unknown' },
  { format: 'no space before the status', message: '203.0.113.5 - - [05/Dec/2026:10:00:00 +0000] "GET /x HTTP/1.1"500 0', level: 'unknown' },
  { format: 'four digits', message: '203.0.113.5 - - [05/Dec/2026:10:00:00 +0000] "GET /x HTTP/1.1" 5000 0', level: 'unknown' },
  { format: 'status out of range', message: '203.0.113.5 - - [05/Dec/2026:10:00:00 +0000] "GET /x HTTP/1.1" 600 0', level: 'unknown' },
  { format: 'digits glued to the status', message: '"GET /x HTTP/1.1" 500ms', level: 'unknown' },
  { format: 'a quote glued to a word', message: 'request:"GET /x HTTP/1.1" 500 0', level: 'unknown' },
  { format: 'a request line opening past the prefix', message: `${'x'.repeat(ACCESS_REQUEST_PREFIX_CHARS)} "GET /x HTTP/1.1" 500 0`, level: 'unknown' },
  { format: 'a long line, its request line opening past the prefix', message: `${'x'.repeat(ACCESS_REQUEST_PREFIX_CHARS)} "GET /x HTTP/1.1" 500 0 ${'y'.repeat(5000)}`, level: 'unknown' },
  { format: 'a request line opening at the end of the prefix', message: `${'x'.repeat(ACCESS_REQUEST_PREFIX_CHARS - 2)} "GET /x HTTP/1.1" 500 0`, level: 'error' },
  { format: 'a request line longer than nginx serves', message: `1.2.3.4 - - [05/Dec/2026:10:00:00 +0000] "GET /${'a'.repeat(MAX_REQUEST_LINE_CHARS)} HTTP/1.1" 500 0`, level: 'unknown' },
  { format: 'an unterminated request line', message: '1.2.3.4 - - [05/Dec/2026:10:00:00 +0000] "GET /x HTTP/1.1 500 0', level: 'unknown' },
  { format: 'JSON status that is no HTTP status', message: '{"msg":"job finished","status":"done","code":500}', level: 'unknown' },
  { format: 'JSON status out of range', message: '{"status":1200}', level: 'unknown' },
  { format: 'JSON status with a fraction', message: '{"status":200.5}', level: 'unknown' },
  { format: 'JSON status of four digits', message: '{"status":"5000"}', level: 'unknown' },
  { format: 'JSON status as an object', message: '{"status":{"code":500}}', level: 'unknown' },
  { format: 'JSON http that is a number', message: '{"http":500}', level: 'unknown' },
];

describe('level from an access log\'s HTTP status', () => {
  for (const row of accessRows) {
    it(`${row.format} → ${row.level}`, () => expect(extract(row.message).level).toBe(row.level));
  }
});

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
