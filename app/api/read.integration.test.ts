// The read routes through the real server: shapes of DESIGN.md, errors a user can type, the live
// tail over Server-Sent Events, and export streaming.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, lines, sourceMeta } from '@/server/testing/batches';
import { type ServerProcess, startServer } from '@/server/testing/server-process';
import { tempDir } from '@/server/testing/temp-dir';

let server: ServerProcess;
let cleanup: () => Promise<void>;
const now = Date.now();

async function ingest(source: string, messages: string[], startMs: number, firstOffset = 0) {
  const body = batch(lines({ source, file: `${source}:1`, firstOffset, count: messages.length, startMs, message: (i) => messages[i] }), [sourceMeta(source)]);
  const response = await fetch(`${server.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

const get = (route: string, params: Record<string, string> = {}) => fetch(`${server.url}/api/${route}?${new URLSearchParams(params)}`);

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
  await ingest('checkout', Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? `ERROR payment failed order=${i}` : `INFO ok order=${i}`)), now - 60_000);
  await ingest('payments', ['{"level":"warn","msg":"slow","latency_ms":812}', 'plain <script>alert(1)</script>'], now - 30_000);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await cleanup();
});

describe('read routes', () => {
  it('GET /api/search answers hits, sources, a cursor and tookMs', async () => {
    const response = await get('search', { q: 'payment failed', limit: '10' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.hits).toHaveLength(10);
    expect(body.hits[0]).toEqual({
      id: expect.any(String),
      ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      source: expect.any(String),
      stream: 'stdout',
      level: 'error',
      message: 'ERROR payment failed order=290',
      fields: {}, // not logfmt: it does not start with key=value
    });
    expect(body.sources[body.hits[0].source]).toMatchObject({ namespace: 'shop', container: 'checkout', labels: { 'app.kubernetes.io/name': 'checkout' } });
    expect(body.nextCursor).toEqual(expect.any(String));
    expect(body.tookMs).toEqual(expect.any(Number));
    const next = await (await get('search', { q: 'payment failed', limit: '20', cursor: body.nextCursor })).json();
    expect(next.hits).toHaveLength(20);
    expect(next.hits.map((h: { message: string }) => h.message)).toContain('ERROR payment failed order=0');
    expect(next.nextCursor).toBeNull();
  });

  it('GET /api/metrics answers the read gauges, idle between tests, and the standard process metrics in the Prometheus text format', async () => {
    const response = await fetch(`${server.url}/api/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = (await response.text()).split('\n');
    for (const line of ['logpond_read_in_flight 0', 'logpond_read_queue_depth 0', 'logpond_read_rejected_total 0', 'logpond_ingest_batches_total 2']) {
      expect(lines).toContain(line);
    }
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(lines).toContain(`# TYPE ${name} gauge`);
    }
  });

  it('answers the other routes in their documented shapes', async () => {
    const histogram = await (await get('histogram', { from: 'now-5m' })).json();
    expect(histogram).toMatchObject({ intervalMs: 5_000, total: 302 });
    expect(histogram.buckets[0]).toEqual({ ts: expect.any(String), count: expect.any(Number), levels: expect.any(Object) });
    const fields = await (await get('fields', { from: 'now-5m' })).json();
    expect(fields.fields.find((f: { name: string }) => f.name === 'latency_ms')).toMatchObject({ type: 'number', count: 1, top: [{ value: '812', count: 1 }] });
    expect(await (await get('values', { field: 'container', from: 'now-5m' })).json()).toEqual({ values: [{ value: 'checkout', count: 300 }, { value: 'payments', count: 2 }] });
    const suggest = await (await get('suggest', { q: 'container:pay', pos: '13', from: 'now-5m' })).json();
    expect(suggest).toEqual({ suggestions: [{ kind: 'value', text: 'payments', from: 10, to: 13, count: 2 }] });
    const hit = (await (await get('search', { q: 'order=150' })).json()).hits[0];
    const context = await (await get('context', { id: hit.id, before: '2', after: '2' })).json();
    expect([...context.before, context.hit, ...context.after].map((h: { message: string }) => h.message)).toEqual(
      ['INFO ok order=148', 'INFO ok order=149', 'ERROR payment failed order=150', 'INFO ok order=151', 'INFO ok order=152'],
    );
  });

  it('GET /api/histogram splits by a field and GET /api/field-stats describes one, refusing bad parameters with 400', async () => {
    const histogram = await (await get('histogram', { from: 'now-5m', split: 'container', splitLimit: '1' })).json();
    expect(histogram.split).toEqual({ field: 'container', groups: [{ value: 'checkout', count: 300 }, { value: '__other__', count: 2 }] });
    for (const bucket of histogram.buckets) expect(bucket.groups.checkout + bucket.groups.__other__).toBe(bucket.count);
    const byLatency = await (await get('histogram', { from: 'now-5m', split: 'latency_ms' })).json();
    expect(byLatency.split.groups).toEqual([{ value: '812', count: 1 }, { value: '__missing__', count: 301 }]);
    expect(await (await get('field-stats', { field: 'latency_ms', from: 'now-5m' })).json()).toEqual({
      field: 'latency_ms',
      type: 'number',
      total: 302,
      count: 1,
      distinct: 1,
      top: [{ value: '812', count: 1 }],
      numeric: { min: 812, max: 812, avg: 812, p50: 812, p95: 812, buckets: [{ from: 812, to: 812, count: 1 }] },
      sampled: true,
      sampleSize: 302,
    });
    expect(await (await get('field-stats', { field: 'container', from: 'now-5m', q: 'container:(payments or nosuch)' })).json()).toEqual({
      field: 'container', type: 'keyword', total: 2, count: 2, distinct: 1, top: [{ value: 'payments', count: 2 }],
    });
    const bad = [
      get('histogram', { split: 'message' }),
      get('histogram', { split: 'pod', splitLimit: '99' }),
      get('histogram', { split: `x'; DROP TABLE sources; --` }),
      get('field-stats', {}),
      get('field-stats', { field: 'a"b' }),
      get('field-stats', { field: 'pod', q: '('.repeat(10_000) }),
    ];
    for (const response of await Promise.all(bad)) {
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toEqual(expect.any(String));
    }
  });

  it('keeps saved searches for the anonymous user when sign-in is off, and refuses writes from other sites', async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/saved-searches`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const saved = await (await post({ name: 'Errors', view: { q: 'level:error' } })).json();
    expect(await (await get('saved-searches')).json()).toEqual({ searches: [saved] });
    const crossSite = await post({ name: 'Evil', view: {} }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).error.code).toBe('cross_site');
    const deleted = await fetch(`${server.url}/api/saved-searches/${saved.id}`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ deleted: saved.id });
    expect(await (await get('saved-searches')).json()).toEqual({ searches: [] });
  });

  it('names nobody when sign-in is off (GET /api/auth/account), so the page offers no sign-out', async () => {
    expect(await (await get('auth/account')).json()).toEqual({ user: null, signIn: 'off' });
  });

  it('sends security headers with the page and every route: a CSP without eval or inline scripts, no sniffing, no framing', async () => {
    for (const response of [await fetch(`${server.url}/`), await get('search', { q: 'x' }), await get('histogram'), await fetch(`${server.url}/api/healthz`)]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src '(self|none)'/);
      expect(csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '').not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('returns log text as data, never as markup', async () => {
    const response = await get('search', { q: 'script' });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()).hits[0].message).toBe('plain <script>alert(1)</script>');
  });

  it('answers what a user can type with 400 and a position, never 500', async () => {
    const syntax = await get('search', { q: 'status:' });
    expect(syntax.status).toBe(400);
    expect(await syntax.json()).toEqual({ error: { code: 'query_syntax', message: expect.stringContaining('7'), position: 7 } });
    const hostile = [
      `'; DROP TABLE entries; --`,
      '%_\\',
      '"unbalanced',
      'pod:"open',
      '('.repeat(10_000),
      '('.repeat(10_000) + 'a' + ')'.repeat(10_000),
      'x'.repeat(1_000_000),
      'a '.repeat(500_000),
      'message:/(/',
      'latency_ms >= abc',
      'labels.:x',
      '\u0000\uffff\ud800',
    ];
    for (const q of hostile) {
      for (const route of ['search', 'histogram', 'fields', 'export']) {
        const response = await get(route, { q });
        expect([200, 400], `${route} ${q.slice(0, 40)}`).toContain(response.status);
        await response.arrayBuffer();
      }
    }
    expect((await get('search', { from: 'yesterday' })).status).toBe(400);
    expect((await get('search', { from: 'now', to: 'now-1h' })).status).toBe(400);
    expect((await get('search', { cursor: 'x' })).status).toBe(400);
    expect((await get('context', { id: 'zz.1.1' })).status).toBe(404);
    expect((await get('values', {})).status).toBe(400);
    expect((await get('suggest', { q: 'a', pos: '99' })).status).toBe(400);
  });

  it('answers the input issue 18 saw as 500s with a 400 naming the problem', async () => {
    const cases: [string, Record<string, string>, string, number?][] = [
      ['search', { q: 'message:/\\p{L}{1000}/' }, 'invalid regular expression at 8: pattern too large', 8],
      ['search', { q: 'message:/(.{1000}){10}/' }, 'invalid regular expression at 8: nested repetition counts multiply past 1000', 8],
      ['histogram', { q: 'message:/(a{100}){100}/' }, 'invalid regular expression at 8: nested repetition counts multiply past 1000', 8],
      ['fields', { q: 'message:/\\p{Cn}/' }, 'invalid regular expression at 8: unsupported Unicode class \\p{Cn}', 8],
      ['search', { q: 'latency_ms > 1e308' }, 'number out of range (beyond ±9223372036854775807) at 13', 13],
      ['export', { q: 'latency_ms >= 99999999999999999999999999' }, 'number out of range (beyond ±9223372036854775807) at 14', 14],
      ['histogram', { q: 'a '.repeat(8_000) }, 'more than 256 terms at 512', 512],
      ['context', { id: '-zzzzzzzzzzzzz.1.1' }, 'id: not a hit id this server issued'],
    ];
    for (const route of ['search', 'histogram', 'fields', 'values', 'suggest', 'export']) {
      cases.push([route, { field: 'pod', to: 'now+99999999w' }, 'to: "now+99999999w" is outside the supported times, 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z']);
      cases.push([route, { field: 'pod', from: 'now-999999999w' }, 'from: "now-999999999w" is outside the supported times, 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z']);
    }
    for (const [route, params, message, position] of cases) {
      const response = await get(route, params);
      expect(response.status, `${route} ${JSON.stringify(params).slice(0, 80)}`).toBe(400);
      expect((await response.json()).error).toMatchObject({ message, ...(position === undefined ? {} : { position }) });
    }
  });

  it('answers wildcards over a 256 KiB line while status and ingest keep answering', async () => {
    const unit = 'GET /api/orders?id=123 200 12ms ';
    await ingest('long', [unit.repeat(Math.ceil((256 * 1024) / unit.length)).slice(0, 256 * 1024)], now - 20_000);
    // Issue 18: four of these wedged search, status and ingest past 30 s.
    const started = Date.now();
    const reads = Array.from({ length: 4 }, () => get('histogram', { from: 'now-1h', q: 'get*id*timeout' }));
    const [status, , ...histograms] = await Promise.all([fetch(`${server.url}/api/status`), ingest('long', ['after the wildcards'], now - 10_000, 1_000_000), ...reads]);
    expect(status.status).toBe(200);
    for (const response of histograms) expect((await response.json()).total).toBe(0);
    // Generous: the default 10 s timeout plus the reader's grace; before, no answer at all.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('GET /api/export streams every matching line with the cap in the headers', async () => {
    const response = await get('export', { q: 'level:error', format: 'ndjson', from: 'now-5m' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    expect(response.headers.get('x-logpond-total')).toBe('30');
    expect(response.headers.get('x-logpond-capped')).toBe('false');
    const rows = (await response.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(30);
    const csv = await get('export', { format: 'csv', limit: '5', from: 'now-5m' });
    expect(csv.headers.get('x-logpond-capped')).toBe('true');
    // Named by the range it holds (UTC), so a second export does not overwrite the first.
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="logpond-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.csv"$/);
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(6);
    // The table's columns after the CSV's own, and its order.
    const columned = await get('export', { format: 'csv', limit: '3', from: 'now-5m', order: 'asc', columns: 'labels.app.kubernetes.io/name,level,nope' });
    const [header, ...csvRows] = (await columned.text()).trim().split('\r\n');
    expect(header).toBe('ts,namespace,pod,container,node,stream,level,message,fields,labels.app.kubernetes.io/name,nope');
    for (const row of csvRows) expect(row.split(',').slice(-2)[0]).toMatch(/^[a-z]+$/); // the source's label; `nope` is empty
    expect(csvRows).toHaveLength(3);
    const times = csvRows.map((r) => r.split(',')[0]);
    expect([...times].sort()).toEqual(times);
    expect((await get('export', { format: 'csv', columns: Array.from({ length: 51 }, (_, i) => `f${i}`).join(',') })).status).toBe(400);
    // `tz` says every time in the reader's zone, the same instants; a zone that is none is a 400.
    const utc = JSON.parse((await (await get('export', { format: 'ndjson', limit: '1', from: 'now-5m' })).text()).trim()).ts as string;
    const tokyo = JSON.parse((await (await get('export', { format: 'ndjson', limit: '1', from: 'now-5m', tz: 'Asia/Tokyo' })).text()).trim()).ts as string;
    expect(utc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(tokyo).toMatch(/\.\d{6}\+09:00$/);
    expect(Date.parse(tokyo)).toBe(Date.parse(utc));
    const refused = await get('export', { format: 'csv', tz: 'Mars/Olympus' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('tz: not a time zone');
  });

  it('GET /api/tail streams new matching lines as Server-Sent Events and ends when the client leaves', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/tail?q=${encodeURIComponent('level:error')}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const waitFor = async (needle: string) => {
      const deadline = Date.now() + 10_000;
      while (!text.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`no ${needle} in ${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
      }
    };
    await waitFor(': tailing');
    const metrics = async () => (await (await get('metrics')).text()).match(/^logpond_tail_streams (\d+)$/m)?.[1];
    expect(await metrics()).toBe('1');
    await ingest('tailed', ['INFO not this one', 'ERROR tailed line'], Date.now(), 0);
    await waitFor('ERROR tailed line');
    const event = text.split('\n\n').find((e) => e.includes('ERROR tailed line'))!;
    expect(event).toMatch(/^event: hits\ndata: /);
    const data = JSON.parse(event.split('\n')[1].slice('data: '.length));
    expect(data.hits.map((h: { message: string }) => h.message)).toEqual(['ERROR tailed line']);
    expect(data.sources[data.hits[0].source].container).toBe('tailed');
    controller.abort();
    // The server notices the disconnect and stops polling for that client.
    const deadline = Date.now() + 10_000;
    while ((await metrics()) !== '0') {
      if (Date.now() > deadline) throw new Error('the tail stream stayed open after the client left');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await get('tail', { q: 'status:' })).status).toBe(400);

    // Opened again as EventSource does after a drop, with the last event's id: the lines that came
    // meanwhile arrive, and nothing sent before.
    const lastId = /^id: (\S+)$/m.exec(event)?.[1];
    expect(lastId).toBe(data.hits[0].id);
    await ingest('tailed', ['ERROR came while the stream was down'], Date.now(), 10_000);
    const again = new AbortController();
    const resumed = await fetch(`${server.url}/api/tail?q=${encodeURIComponent('level:error')}`, { signal: again.signal, headers: { 'last-event-id': lastId! } });
    expect(resumed.status).toBe(200);
    const resumedReader = resumed.body!.getReader();
    let resumedText = '';
    const deadlineAgain = Date.now() + 10_000;
    while (!resumedText.includes('while the stream was down')) {
      if (Date.now() > deadlineAgain) throw new Error(`no resumed line in ${resumedText}`);
      const { value, done } = await resumedReader.read();
      if (done) throw new Error('stream ended');
      resumedText += decoder.decode(value);
    }
    again.abort();
    expect(resumedText).not.toContain('ERROR tailed line');
    const refused = await fetch(`${server.url}/api/tail?q=error`, { headers: { 'last-event-id': 'not-an-id' } });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('invalid_cursor');
  });
});
