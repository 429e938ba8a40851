import type { LogStorage } from '../store/log-storage';
import { ENGINES, openTestStorage } from '../testing/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, decoded, lines, sourceMeta } from '../testing/batches';
import { tempDir } from '../testing/temp-dir';
import { ReadApi } from './read-api';

// Three sources at different rates over two hours, the first hour sealed (so rollups serve it),
// the second hot. Per source, line i is: i % 4 in {0, 1} info with route /a, 2 error with route
// /b, 3 a plain WARN line without fields.
const T0 = Date.parse('2026-11-25T10:00:00Z');
const HOUR = 3_600_000;
const SOURCES = [
  { meta: sourceMeta('a', { pod: 'a-1', labels: { tier: 'web' } }), perHour: 120 },
  { meta: sourceMeta('b', { pod: 'b-1', labels: { tier: 'api' } }), perHour: 60 },
  { meta: sourceMeta('c', { namespace: 'billing', pod: 'c-1', labels: {} }), perHour: 30 },
];
const TOTAL = 2 * (120 + 60 + 30);

function message(i: number): string {
  if (i % 4 === 3) return `WARN plain line ${i}`;
  return JSON.stringify(i % 4 === 2 ? { level: 'error', route: '/b' } : { level: 'info', route: '/a' });
}

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let api: ReadApi;
  let cleanup: () => Promise<void>;

  async function ingestHour(hour: number) {
    for (const [n, { meta, perHour }] of SOURCES.entries()) {
      const first = hour * perHour;
      const entries = lines({ source: meta.key, file: `${n + 1}:1`, firstOffset: first * 100, count: perHour, startMs: 0, message: (i) => message(first + i) });
      entries.forEach((e, i) => (e.ts = new Date(T0 + hour * HOUR + (i * HOUR) / perHour + n).toISOString()));
      await store.ingest(decoded(batch(entries, [meta])));
    }
  }

  const p = (query: Record<string, string | number>) =>
    new URLSearchParams({ from: String(T0), to: String(T0 + 2 * HOUR), ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });

  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { now: () => T0 + 2 * HOUR });
    await ingestHour(0);
    await store.maintain();
    await ingestHour(1);
    api = new ReadApi(store);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  describe('histogram split', () => {
    it('answers exactly the unsplit shape when split is absent', async () => {
      const h = await api.histogram(p({ buckets: 2 }));
      expect(h).toEqual({
        from: '2026-11-25T10:00:00.000000Z',
        to: '2026-11-25T12:00:00.000000Z',
        intervalMs: HOUR,
        total: TOTAL,
        buckets: [
          { ts: '2026-11-25T10:00:00.000000Z', count: 210, levels: { info: 106, error: 52, warn: 52 } },
          { ts: '2026-11-25T11:00:00.000000Z', count: 210, levels: { info: 104, error: 53, warn: 53 } },
        ],
      });
    });

    it('splits by a source field: groups over the whole range, and per bucket', async () => {
      const h = await api.histogram(p({ buckets: 2, split: 'pod' }));
      expect(h.split).toEqual({ field: 'pod', groups: [{ value: 'a-1', count: 240 }, { value: 'b-1', count: 120 }, { value: 'c-1', count: 60 }] });
      expect(h.buckets.map((b) => b.groups)).toEqual([
        { 'a-1': 120, 'b-1': 60, 'c-1': 30 },
        { 'a-1': 120, 'b-1': 60, 'c-1': 30 },
      ]);
      expect(h.buckets.map((b) => b.levels)).toEqual((await api.histogram(p({ buckets: 2 }))).buckets.map((b) => b.levels));
    });

    it('puts values past the limit in __other__, in rank order', async () => {
      const h = await api.histogram(p({ buckets: 2, split: 'pod', splitLimit: 2 }));
      expect(h.split!.groups).toEqual([{ value: 'a-1', count: 240 }, { value: 'b-1', count: 120 }, { value: '__other__', count: 60 }]);
      expect(h.buckets[1].groups).toEqual({ 'a-1': 120, 'b-1': 60, __other__: 30 });
      const ns = await api.histogram(p({ buckets: 2, split: 'namespace', splitLimit: 1 }));
      expect(ns.split!.groups).toEqual([{ value: 'shop', count: 360 }, { value: '__other__', count: 60 }]);
    });

    it('puts entries without the field in __missing__: a label, an extracted field', async () => {
      const tier = await api.histogram(p({ buckets: 2, split: 'labels.tier' }));
      expect(tier.split!.groups).toEqual([{ value: 'web', count: 240 }, { value: 'api', count: 120 }, { value: '__missing__', count: 60 }]);
      const route = await api.histogram(p({ buckets: 2, split: 'route', splitLimit: 1 }));
      expect(route.split!.groups).toEqual([{ value: '/a', count: 210 }, { value: '__other__', count: 105 }, { value: '__missing__', count: 105 }]);
      expect(route.buckets[0].groups).toEqual({ '/a': 106, __other__: 52, __missing__: 52 });
    });

    it('splits by level and stream, matching the levels of each bucket', async () => {
      const h = await api.histogram(p({ buckets: 24, split: 'level' }));
      expect(h.split!.groups).toEqual([{ value: 'info', count: 210 }, { value: 'error', count: 105 }, { value: 'warn', count: 105 }]);
      for (const b of h.buckets) expect(b.groups).toEqual({ info: 0, error: 0, warn: 0, ...b.levels });
      const stream = await api.histogram(p({ buckets: 24, split: 'stream' }));
      expect(stream.split!.groups).toEqual([{ value: 'stdout', count: TOTAL }]);
    });

    it('makes every group a part of the bucket count, with rollups and ragged edges too', async () => {
      const ragged = { from: String(T0 + 7 * 60_000 + 3_001), to: String(T0 + HOUR + 53 * 60_000 + 17) };
      for (const split of ['pod', 'labels.tier', 'route', 'level']) {
        for (const buckets of ['24', '7', '500']) {
          for (const range of [{}, ragged]) {
            const plain = await api.histogram(p({ buckets, ...range }));
            const h = await api.histogram(p({ buckets, split, splitLimit: 1, ...range }));
            const label = `${split} / ${buckets} / ${JSON.stringify(range)}`;
            expect(h.buckets.map((b) => b.count), label).toEqual(plain.buckets.map((b) => b.count));
            expect(h.buckets.map((b) => sum(b.groups!)), label).toEqual(plain.buckets.map((b) => b.count));
            expect(sum(Object.fromEntries(h.split!.groups.map((g) => [g.value, g.count]))), label).toBe(plain.total);
          }
        }
      }
    });

    it('counts a group as the query for its value does', async () => {
      const ragged = { from: String(T0 + 7 * 60_000 + 3_001), to: String(T0 + HOUR + 53 * 60_000 + 17), buckets: '12' };
      const h = await api.histogram(p({ ...ragged, split: 'pod' }));
      for (const { value, count } of h.split!.groups) expect(count, value).toBe((await api.histogram(p({ ...ragged, q: `pod:${value}` }))).total);
      const errors = await api.histogram(p({ q: 'level:error', buckets: 2, split: 'pod' }));
      expect(errors.split!.groups).toEqual([{ value: 'a-1', count: 60 }, { value: 'b-1', count: 30 }, { value: 'c-1', count: 15 }]);
      const text = await api.histogram(p({ q: 'plain', buckets: 2, split: 'route' }));
      expect(text.split!.groups).toEqual([{ value: '__missing__', count: 105 }]);
    });

    it('answers all __missing__ for a field no entry has, and no groups for no entries', async () => {
      const h = await api.histogram(p({ buckets: 2, split: 'nosuchfield' }));
      expect(h.split).toEqual({ field: 'nosuchfield', groups: [{ value: '__missing__', count: TOTAL }] });
      expect(h.buckets.map((b) => b.groups)).toEqual([{ __missing__: 210 }, { __missing__: 210 }]);
      const none = await api.histogram(p({ q: 'nosuchword', buckets: 2, split: 'pod' }));
      expect(none.split).toEqual({ field: 'pod', groups: [] });
      expect(none.buckets.map((b) => b.groups)).toEqual([{}, {}]);
    });

    it('refuses a bad splitLimit or a split that is not a field, with a 400', async () => {
      for (const splitLimit of ['0', '21', 'x', '2.5', '-1']) {
        await expect(api.histogram(p({ split: 'pod', splitLimit }))).rejects.toMatchObject({
          status: 400,
          code: 'invalid_parameter',
          message: `splitLimit: expected a whole number from 1 to 20, got "${splitLimit}"`,
        });
      }
      await expect(api.histogram(p({ split: 'message' }))).rejects.toMatchObject({
        status: 400,
        message: 'split: message is free text, not a field with values to count; split by another field',
      });
      for (const split of ['a b', 'x"y', "'; DROP TABLE sources; --"]) {
        await expect(api.histogram(p({ split }))).rejects.toMatchObject({
          status: 400,
          message: `split: expected a field name (letters, digits, _ . / -), got "${split.slice(0, 32)}"`,
        });
      }
    });
  });
});
