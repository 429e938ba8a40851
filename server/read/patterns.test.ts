import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, decoded, lines, sourceMeta } from '../testing/batches';
import { ENGINES, openTestStorage } from '../testing/storage';
import { tempDir } from '../testing/temp-dir';
import { parseQuery } from '../query/parse';
import type { LogStorage } from '../store/log-storage';
import { quoted } from '../../common/query-text';
import { patterns } from './patterns';
import { ReadApi } from './read-api';

// Two hours of one source: the first sealed into segments, the second still hot, so patterns
// and their counts cross both tiers. Seven shapes, one of them only in the last 20 minutes.
const T0 = Date.parse('2026-11-25T10:00:00Z');
const HOUR = 3_600_000;
const PER_HOUR = 600;
const SOURCE = sourceMeta('shop', { pod: 'shop-1', container: 'shop' });

function message(i: number): string {
  const ip = `10.0.${i % 9}.${(i * 7) % 250}`;
  switch (i % 6) {
    case 0:
      return `${ip} - - [25/Nov/2026:10:00:${String(i % 60).padStart(2, '0')} +0000] "GET /api/orders/${i} HTTP/1.1" 200 ${i * 3} "-" "curl/8.4.0" 0.0${i % 9}`;
    case 1:
      return JSON.stringify({ level: 'info', msg: `order ${i} placed`, user: i % 13 });
    case 2:
      return `level=warn msg="slow query" took=${i}ms table=orders`;
    case 3:
      return `java.lang.IllegalStateException: Product ${i} has no price\n\tat com.example.Pricing.price(Pricing.java:${i % 90})\n\tat com.example.Cart.total(Cart.java:12)`;
    case 4:
      return `session 3f2b8c1e-9d4a-4e6b-8f0a-${String(100000000000 + i).slice(0, 12)} expired`;
    default:
      return `ERROR payment ${i} declined by acquirer`;
  }
}

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let api: ReadApi;
  let cleanup: () => Promise<void>;
  const total = 2 * PER_HOUR + 30;

  async function ingest(hour: number, count: number, firstIndex: number, text: (i: number) => string, offsetBase: number, spacingMs: number) {
    const entries = lines({ source: SOURCE.key, file: '1:100', firstOffset: offsetBase, count, startMs: 0, message: (i) => text(firstIndex + i) });
    entries.forEach((e, i) => (e.ts = new Date(T0 + hour * HOUR + i * spacingMs).toISOString()));
    await store.ingest(decoded(batch(entries, [SOURCE])));
  }

  const params = (query: Record<string, string | number>) =>
    new URLSearchParams({ from: String(T0), to: String(T0 + 2 * HOUR), ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });
  const count = async (q: string) => (await api.histogram(params({ q }))).total;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { now: () => T0 + 2 * HOUR });
    await ingest(0, PER_HOUR, 0, message, 0, 6_000);
    await store.maintain(); // hour 0 → segments
    await ingest(1, PER_HOUR, PER_HOUR, message, PER_HOUR * 1000, 6_000);
    // New in the last fifth of the range: a shape seen nowhere before.
    await (async () => {
      const entries = lines({ source: SOURCE.key, file: '2:100', firstOffset: 0, count: 30, startMs: 0, message: (i) => `circuit breaker opened for upstream ledger-${i % 3}` });
      entries.forEach((e, i) => (e.ts = new Date(T0 + 2 * HOUR - 20 * 60_000 + i * 1_000).toISOString()));
      await store.ingest(decoded(batch(entries, [SOURCE])));
    })();
    api = new ReadApi(store);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('finds the shapes of the lines, each with its exact count, share, levels and buckets', async () => {
    const found = await api.patterns(params({}));
    expect(found.total).toBe(await count(''));
    expect(found.sampled).toBe(false);
    expect(found.patterns.map((p) => [p.template, p.count])).toEqual([
      // Most lines first, then by template.
      ['<_> - - [<_>/Nov/<_> <_>] "GET /api/orders/<_> HTTP/<_>" <_> <_> "-" "curl/<_>" <_>', 200],
      ['ERROR payment <_> declined by acquirer', 200],
      ['java.lang.IllegalStateException: Product <_> has no price', 200],
      ['order <_> placed', 200],
      ['session <_> expired', 200],
      ['slow query', 200],
      ['circuit breaker opened for upstream <_>', 30],
    ]);
    const slow = found.patterns.find((p) => p.template === 'slow query')!;
    expect(slow.levels).toEqual({ warn: 200 });
    expect(slow.share).toBeCloseTo(200 / found.total, 6);
    expect(found.intervalMs).toBe(2 * 60_000);
    expect(slow.buckets).toHaveLength(60);
    expect(slow.buckets.reduce((a, b) => a + b, 0)).toBe(200);
    expect(slow.examples).toEqual(['slow query']);
    expect(found.patterns[0].examples).toHaveLength(2);
    expect(found.patterns[0].examples[0]).toMatch(/^10\.0\.\d\.\d+ - - \[/);
  });

  it('counts each pattern as exactly the lines its filter finds, in and out, sampled or not', async () => {
    const everything = await count('');
    for (const sampleSize of [undefined, 50]) {
      const found = await store.read((view) => patterns(view, { query: parseQuery(''), range: { fromUs: BigInt(T0) * 1000n, toUs: BigInt(T0 + 2 * HOUR) * 1000n }, limit: 50, buckets: 60, sampleSize }));
      expect(found.sampled).toBe(sampleSize !== undefined);
      expect(found.patterns.length).toBeGreaterThan(0);
      for (const p of found.patterns) {
        expect(await count(`pattern:${quoted(p.template)}`), p.template).toBe(p.count);
        expect(await count(`not pattern:${quoted(p.template)}`), p.template).toBe(everything - p.count);
      }
    }
    // The sample holds the newest 50 lines only, yet a pattern seen in it is counted over the whole range.
    const sampled = await store.read((view) => patterns(view, { query: parseQuery(''), range: { fromUs: BigInt(T0) * 1000n, toUs: BigInt(T0 + 2 * HOUR) * 1000n }, limit: 50, buckets: 60, sampleSize: 50 }));
    expect(sampled.sampleSize).toBe(50);
    expect(sampled.patterns.find((p) => p.template === 'slow query')?.count).toBe(200);
  });

  it('combines with the query: patterns of the matching lines only', async () => {
    const found = await api.patterns(params({ q: 'level:error' }));
    expect(found.total).toBe(await count('level:error'));
    expect(found.patterns.map((p) => p.template)).toContain('ERROR payment <_> declined by acquirer');
    expect(found.patterns.map((p) => p.template)).not.toContain('slow query');
    const inOut = await api.patterns(params({ q: 'not pattern:"slow query" and not pattern:"order <_> placed"' }));
    expect(inOut.patterns.map((p) => p.template)).not.toContain('slow query');
    expect(inOut.total).toBe(total - 400);
  });

  it('filters exports and reads like any other query', async () => {
    const q = 'pattern:"ERROR payment <_> declined by acquirer"';
    const exported = await api.export(params({ q, format: 'ndjson' }));
    expect(exported).toMatchObject({ total: 200, lines: 200, capped: false });
    let text = '';
    for await (const chunk of exported.body) text += chunk;
    const rows = text.trim().split('\n').map((l) => JSON.parse(l) as { message: string });
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => /^ERROR payment \d+ declined by acquirer$/.test(r.message))).toBe(true);
    const page = await api.search(params({ q: 'pattern:"java.lang.IllegalStateException: Product <_> has no price"', limit: 3 }));
    expect(page.hits.map((h) => h.message.split('\n')[0])).toEqual(['java.lang.IllegalStateException: Product 1197 has no price', 'java.lang.IllegalStateException: Product 1191 has no price', 'java.lang.IllegalStateException: Product 1185 has no price']);
  });

  it('orders by change: the shape that is new in the last fifth of the range stands out', async () => {
    const found = await api.patterns(params({}));
    const byChange = [...found.patterns].sort((a, b) => b.change - a.change);
    expect(byChange[0].template).toBe('circuit breaker opened for upstream <_>');
    expect(byChange[0].change).toBeGreaterThan(10);
    const steady = found.patterns.find((p) => p.template === 'slow query')!;
    expect(steady.change).toBeGreaterThan(0.5);
    expect(steady.change).toBeLessThan(2);
  });

  it('gives a pattern the same id in every answer, and another pattern another id', async () => {
    const [a, b] = [await api.patterns(params({})), await api.patterns(params({ limit: 3, q: 'not level:error' }))];
    expect(b.patterns).toHaveLength(3);
    // Cut at the limit, the answer still says how many patterns there are.
    const all = await api.patterns(params({ limit: 200, q: 'not level:error' }));
    expect(all.found).toBe(all.patterns.length);
    expect(b.found).toBe(all.found);
    expect(all.found).toBeGreaterThan(3);
    for (const p of b.patterns) expect(p.id).toBe(a.patterns.find((q) => q.template === p.template)?.id);
    expect(new Set(a.patterns.map((p) => p.id)).size).toBe(a.patterns.length);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    await expect(api.patterns(params({ limit: 0 }))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('limit') });
    await expect(api.patterns(params({ q: 'pattern:GET' }))).rejects.toMatchObject({ status: 400, position: 8 });
    await expect(api.patterns(params({ buckets: 'x' }))).rejects.toMatchObject({ status: 400 });
  });
});
