import type { LogStorage } from '../store/log-storage';
import { ENGINES, openTestStorage } from '../testing/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, decoded, lines, sourceMeta } from '../testing/batches';
import { tempDir } from '../testing/temp-dir';
import { SAMPLE_SIZE } from './fields';
import { ReadApi } from './read-api';

// Source a: 5,400 plain lines in the first hour (sealed), more than one sample holds. Sources b
// and c: structured lines in the second hour (hot), so the newest SAMPLE_SIZE entries hold all of
// them and the newest 4,880 of a's.
const T0 = Date.parse('2026-11-25T10:00:00Z');
const HOUR = 3_600_000;
const A = sourceMeta('a', { pod: 'a-1', labels: { tier: 'web' } });
const B = sourceMeta('b', { pod: 'b-1', labels: { tier: 'api' } });
const C = sourceMeta('c', { namespace: 'billing', pod: 'c-1', labels: {} });
/** Long lines, counted by their start: a source of its own, so the other tests filter it out. */
const D = sourceMeta('d', { namespace: 'long', pod: 'd-1', labels: {} });
const TOTAL = 5_400 + 100 + 20 + 3;

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let api: ReadApi;
  let cleanup: () => Promise<void>;

  async function ingest(source: typeof A, file: string, count: number, startMs: number, spacingMs: number, message: (i: number) => string) {
    const entries = lines({ source: source.key, file, count, startMs: 0, message });
    entries.forEach((e, i) => (e.ts = new Date(startMs + i * spacingMs).toISOString()));
    await store.ingest(decoded(batch(entries, [source])));
  }

  const p = (query: Record<string, string>) => new URLSearchParams({ from: String(T0), to: String(T0 + 2 * HOUR), ...query });

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { now: () => T0 + 2 * HOUR });
    await ingest(A, '1:1', 5_400, T0, 600, (i) => `filler line ${i}`);
    await store.maintain();
    await ingest(B, '2:1', 100, T0 + HOUR, 30_000, (i) => JSON.stringify({ level: 'info', latency_ms: i, user: `u${i % 3}`, ok: i % 2 === 0, code: i < 50 ? i : 'n/a' }));
    await ingest(C, '3:1', 20, T0 + HOUR + 1, 60_000, () => 'level=warn latency_ms=1000 user=u9');
    await ingest(D, '4:1', 3, T0 + HOUR + 2, 60_000, (i) => `${'x'.repeat(2_000)}${i}`);
    api = new ReadApi(store);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  describe('field statistics', () => {
    it('counts built-in fields and labels exactly, without sampling', async () => {
      expect(await api.fieldStats(p({ field: 'pod' }))).toEqual({
        field: 'pod',
        type: 'keyword',
        total: TOTAL,
        count: TOTAL,
        distinct: 4,
        top: [{ value: 'a-1', count: 5_400 }, { value: 'b-1', count: 100 }, { value: 'c-1', count: 20 }, { value: 'd-1', count: 3 }],
      });
      expect(await api.fieldStats(p({ field: 'labels.tier' }))).toEqual({
        field: 'labels.tier',
        type: 'keyword',
        total: TOTAL,
        count: 5_500,
        distinct: 2,
        top: [{ value: 'web', count: 5_400 }, { value: 'api', count: 100 }],
      });
      expect((await api.fieldStats(p({ field: 'level' }))).top).toEqual([{ value: 'unknown', count: 5_403 }, { value: 'info', count: 100 }, { value: 'warn', count: 20 }]);
    });

    it('describes a numeric field: percentiles and round equal-width buckets', async () => {
      expect(await api.fieldStats(p({ field: 'latency_ms', q: 'pod:b-1' }))).toEqual({
        field: 'latency_ms',
        type: 'number',
        total: 100,
        count: 100,
        distinct: 100,
        top: ['0', '1', '10', '11', '12', '13', '14', '15', '16', '17'].map((value) => ({ value, count: 1 })),
        numeric: {
          min: 0,
          max: 99,
          avg: 49.5,
          p50: 49.5,
          p95: 94.05,
          buckets: Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: 10 })),
        },
        sampled: true,
        sampleSize: 100,
      });
    });

    it('counts extracted fields over the newest SAMPLE_SIZE matching entries, and says so', async () => {
      const stats = await api.fieldStats(p({ field: 'latency_ms' }));
      expect(stats).toMatchObject({ total: TOTAL, count: 120, distinct: 101, type: 'number', sampled: true, sampleSize: SAMPLE_SIZE });
      expect(stats.top.slice(0, 3)).toEqual([{ value: '1000', count: 20 }, { value: '0', count: 1 }, { value: '1', count: 1 }]);
      expect(stats.numeric).toEqual({
        min: 0,
        max: 1000,
        avg: (4_950 + 20_000) / 120,
        p50: 59.5,
        p95: 1000,
        buckets: Array.from({ length: 11 }, (_, i) => ({ from: i * 100, to: i * 100 + 100, count: i === 0 ? 100 : i === 10 ? 20 : 0 })),
      });
    });

    it('types booleans and mixed values, and gives numbers only for numeric fields', async () => {
      const ok = await api.fieldStats(p({ field: 'ok', q: 'pod:b-1' }));
      expect(ok).toMatchObject({ type: 'boolean', count: 100, distinct: 2, top: [{ value: 'false', count: 50 }, { value: 'true', count: 50 }] });
      expect(ok.numeric).toBeUndefined();
      const code = await api.fieldStats(p({ field: 'code', q: 'pod:b-1' }));
      expect(code).toMatchObject({ type: 'string', count: 100, distinct: 51 });
      expect(code.top[0]).toEqual({ value: 'n/a', count: 50 });
      expect(code.numeric).toBeUndefined();
    });

    it('counts message text over the sample', async () => {
      expect(await api.fieldStats(p({ field: 'message', q: 'pod:c-1' }))).toEqual({
        field: 'message',
        type: 'text',
        total: 20,
        count: 20,
        distinct: 1,
        top: [{ value: 'level=warn latency_ms=1000 user=u9', count: 20 }],
        sampled: true,
        sampleSize: 20,
      });
    });

    it('counts long messages by their first 1,024 characters', async () => {
      const stats = await api.fieldStats(p({ field: 'message', q: 'pod:d-1' }));
      expect(stats).toMatchObject({ count: 3, distinct: 1, top: [{ value: 'x'.repeat(1_024), count: 3 }] });
    });

    it('answers zero counts for a field no entry has, and for no matching entries', async () => {
      expect(await api.fieldStats(p({ field: 'nosuchfield' }))).toEqual({
        field: 'nosuchfield', type: 'string', total: TOTAL, count: 0, distinct: 0, top: [], sampled: true, sampleSize: SAMPLE_SIZE,
      });
      expect(await api.fieldStats(p({ field: 'user', q: 'nosuchword' }))).toEqual({
        field: 'user', type: 'string', total: 0, count: 0, distinct: 0, top: [], sampled: true, sampleSize: 0,
      });
      expect(await api.fieldStats(p({ field: 'namespace', q: 'nosuchword' }))).toEqual({
        field: 'namespace', type: 'keyword', total: 0, count: 0, distinct: 0, top: [],
      });
    });

    it('takes "is one of" filters as field:(a or b)', async () => {
      const pods = await api.fieldStats(p({ field: 'pod', q: 'pod:(a-1 or c-1)' }));
      expect(pods).toMatchObject({ total: 5_420, top: [{ value: 'a-1', count: 5_400 }, { value: 'c-1', count: 20 }] });
      const users = await api.fieldStats(p({ field: 'user', q: 'user:(u0 or u9)' }));
      expect(users).toMatchObject({ total: 54, count: 54, top: [{ value: 'u0', count: 34 }, { value: 'u9', count: 20 }] });
    });

    it('refuses a missing or malformed field and a bad query with a 400', async () => {
      await expect(api.fieldStats(p({}))).rejects.toMatchObject({ status: 400, code: 'invalid_parameter', message: 'field: required' });
      await expect(api.fieldStats(p({ field: 'a"b' }))).rejects.toMatchObject({
        status: 400,
        code: 'invalid_parameter',
        message: 'field: expected a field name (letters, digits, _ . / -), got "a"b"',
      });
      await expect(api.fieldStats(p({ field: 'pod', q: 'status:' }))).rejects.toMatchObject({ status: 400, position: 7 });
    });
  });
});
