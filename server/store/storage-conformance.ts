// What every engine behind the storage interface (log-storage.ts) must answer alike, as one
// suite an engine's own test file runs with a way to open it: the same batches in, the same
// pages, counts, samples and values out. Written against the interface only, so it cannot lean on
// how any engine stores a line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../query/parse';
import { batch, decoded, lines, sourceMeta } from '../testing/batches';
import { tempDir } from '../testing/temp-dir';
import type { EntryKey, LogStorage, MicrosRange, StorageView, StoredEntry } from './log-storage';

/**
 * Opens an empty store in `dir` whose clock reads `now` and that maintains itself only when asked,
 * keeping everything unless `retentionMs` says otherwise.
 */
export type OpenStorage = (dir: string, now: () => number, retentionMs?: number) => Promise<LogStorage>;

const T0 = Date.parse('2026-11-25T10:00:00Z');
const HOUR = 3_600_000;
const PER_HOUR = 120;
const SOURCES = [
  sourceMeta('checkout', { pod: 'checkout-1', podUid: 'u-checkout', container: 'checkout', labels: { app: 'checkout', tier: 'web' } }),
  sourceMeta('checkout-proxy', { pod: 'checkout-1', podUid: 'u-checkout', container: 'proxy', labels: { app: 'checkout', tier: 'web' } }),
  sourceMeta('payments', { namespace: 'billing', node: 'node-b', pod: 'payments-0', podUid: 'u-pay', container: 'payments', labels: { app: 'payments' } }),
];
const TOTAL = SOURCES.length * PER_HOUR * 2;
const RANGE: MicrosRange = { fromUs: BigInt(T0) * 1000n, toUs: BigInt(T0 + 2 * HOUR) * 1000n };

/** Every 30th line an error with a request id, every 10th a JSON line, the rest access lines. */
function message(source: string, i: number): string {
  if (i % 30 === 7) return `ERROR connection refused request_id=req-${source}-${i}`;
  if (i % 10 === 3) return JSON.stringify({ level: 'warn', msg: 'slow request', latency_ms: 400 + i, route: `/api/${source}` });
  return `INFO handled request path=/api/${source} status=${i % 4 === 0 ? 500 : 200}`;
}

function hourBatches(hour: number) {
  return SOURCES.map((source, n) => {
    const entries = lines({ source: source.key, file: `${n + 1}:100`, firstOffset: hour * PER_HOUR * 100, count: PER_HOUR, startMs: 0, message: (i) => message(source.key, hour * PER_HOUR + i) });
    // 30 s apart, each source 1 ms after the one before: a total order without ties.
    entries.forEach((e, i) => (e.ts = new Date(T0 + hour * HOUR + i * 30_000 + n).toISOString()));
    return decoded(batch(entries, [source]));
  });
}

const q = (text: string) => parseQuery(text);
const keyText = (k: EntryKey) => `${k.ts}.${k.fileId}.${k.offset}`;

export function describeStorageConformance(engine: string, open: OpenStorage): void {
  describe(`${engine} behind the storage interface`, () => {
    let storage: LogStorage;
    let cleanup: () => Promise<void>;
    const read = <T>(fn: (view: StorageView) => Promise<T>) => storage.read(fn);

    beforeAll(async () => {
      let dir: string;
      ({ dir, cleanup } = await tempDir());
      storage = await open(dir, () => T0 + 2 * HOUR + 60_000);
      for (const b of hourBatches(0)) await storage.ingest(b);
      await storage.maintain(); // whatever the engine does with older lines, reads must not tell
      for (const b of hourBatches(1)) await storage.ingest(b);
    });
    afterAll(async () => {
      await storage.close();
      await cleanup();
    });

    it('stores a batch once: sent again, its lines are duplicates and nothing is counted twice', async () => {
      const again = await storage.ingest(hourBatches(1)[0]);
      expect(again).toMatchObject({ accepted: 0, duplicates: PER_HOUR });
      expect(await read((v) => v.total(q(''), RANGE))).toBe(TOTAL);
      expect(await storage.stats()).toMatchObject({ entries: TOTAL, sources: SOURCES.length, engine: { name: expect.any(String), version: expect.stringMatching(/\d+\.\d+/) } });
    });

    it('pages through every match in both orders by keyset, none twice, none left out', async () => {
      const query = q('connection refused');
      const expected = await read((v) => v.total(query, RANGE));
      expect(expected).toBe(SOURCES.length * 8);
      for (const order of ['desc', 'asc'] as const) {
        const seen: StoredEntry[] = [];
        let after: EntryKey | null = null;
        for (;;) {
          const page: StoredEntry[] = await read((v) => v.page({ query, range: RANGE, order, limit: 7, after }));
          if (page.length === 0) break;
          seen.push(...page);
          after = page[page.length - 1].key;
        }
        expect(new Set(seen.map((e) => keyText(e.key))).size).toBe(expected);
        const times = seen.map((e) => e.key.ts);
        expect(times).toEqual([...times].sort((a, b) => (order === 'asc' ? Number(a - b) : Number(b - a))));
        expect(seen.every((e) => e.message.includes('connection refused') && e.level === 'error')).toBe(true);
      }
    });

    it('filters by source fields, labels, extracted fields and numbers, and by a list of sources', async () => {
      const count = (text: string) => read((v) => v.total(q(text), RANGE));
      expect(await count('namespace:billing')).toBe(PER_HOUR * 2);
      expect(await count('labels.tier:web')).toBe(PER_HOUR * 4);
      expect(await count('route:"/api/payments"')).toBe(24);
      expect(await count('latency_ms >= 600')).toBe(SOURCES.length * 4);
      expect(await count('not level:info and not level:warn')).toBe(SOURCES.length * 8);
      const [first] = await read((v) => v.page({ query: q(''), range: RANGE, order: 'asc', limit: 1, after: null }));
      const own = await read((v) => v.page({ query: q(''), range: RANGE, order: 'asc', limit: 1000, after: null, sourceIds: [first.sourceId] }));
      expect(own).toHaveLength(PER_HOUR * 2);
      expect(new Set(own.map((e) => e.sourceId))).toEqual(new Set([first.sourceId]));
    });

    it('counts per bucket and level, and splits by a field into its top values, the rest and the missing', async () => {
      const intervalUs = 15n * 60_000_000n;
      const counts = await read((v) => v.counts({ query: q(''), range: RANGE, originUs: RANGE.fromUs, intervalUs, split: null }));
      expect(counts.reduce((n, c) => n + c.n, 0)).toBe(TOTAL);
      expect(new Set(counts.map((c) => c.bucket))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
      const errors = counts.filter((c) => c.level === 'error').reduce((n, c) => n + c.n, 0);
      expect(errors).toBe(SOURCES.length * 8);
      const split = await read((v) => v.counts({ query: q(''), range: RANGE, originUs: RANGE.fromUs, intervalUs, split: { field: 'route', limit: 1 } }));
      const byGroup = new Map<string, number>();
      for (const c of split) {
        const name = c.group?.kind === 'value' ? c.group.value : (c.group?.kind ?? 'none');
        byGroup.set(name, (byGroup.get(name) ?? 0) + c.n);
      }
      expect(byGroup).toEqual(new Map([['/api/checkout', 24], ['other', 48], ['missing', TOTAL - 72]]));
    });

    it('tallies matches per source, and per level and stream when asked', async () => {
      const bySource = await read((v) => v.tally({ query: q('namespace:shop'), range: RANGE, by: [] }));
      expect(bySource.map((t) => t.n)).toEqual([PER_HOUR * 2, PER_HOUR * 2]);
      expect(bySource.every((t) => t.level === undefined && t.stream === undefined)).toBe(true);
      const tally = await read((v) => v.tally({ query: q('status=500'), range: RANGE, by: ['level', 'stream'] }));
      expect(tally.reduce((n, t) => n + t.n, 0)).toBe(await read((v) => v.total(q('status=500'), RANGE)));
      expect(new Set(tally.map((t) => `${t.level}/${t.stream}`))).toEqual(new Set(['info/stdout']));
      expect(tally.map((t) => t.sourceId).sort()).toHaveLength(SOURCES.length);
    });

    it('samples the newest matching entries: their fields, or the start of their message', async () => {
      const fields = await read((v) => v.sample({ query: q('slow'), range: RANGE, size: 5, column: 'fields' }));
      expect(fields).toHaveLength(5);
      expect(fields.map((f) => JSON.parse(f ?? '{}').latency_ms)).toEqual([633, 633, 633, 623, 623]);
      const messages = await read((v) => v.sample({ query: q('refused'), range: RANGE, size: 2, column: 'message', messageChars: 12 }));
      expect(messages).toEqual(['ERROR connec', 'ERROR connec']);
    });

    it('lists the most frequent values of a column or an extracted field by a case-insensitive prefix', async () => {
      const levels = await read((v) => v.values({ query: q(''), range: RANGE, target: { kind: 'entry', column: 'level' }, prefix: 'e', limit: 10 }));
      expect(levels).toEqual([{ value: 'error', count: SOURCES.length * 8 }]);
      const routes = await read((v) => v.values({ query: q('namespace:shop'), range: RANGE, target: { kind: 'extracted', path: 'route' }, prefix: '/api/c', limit: 10 }));
      expect(routes).toEqual([
        { value: '/api/checkout', count: 24 },
        { value: '/api/checkout-proxy', count: 24 },
      ]);
    });

    it('finds one entry by its key, the sources beside it, and their metadata', async () => {
      const [newest] = await read((v) => v.page({ query: q('namespace:billing'), range: RANGE, order: 'desc', limit: 1, after: null }));
      const again = await read((v) => v.entry(newest.key));
      expect(again).toEqual(newest);
      expect(await read((v) => v.entry({ ...newest.key, offset: newest.key.offset + 1n }))).toBeNull();
      const [checkout] = await read((v) => v.page({ query: q('container:checkout'), range: RANGE, order: 'desc', limit: 1, after: null }));
      const samePod = await read((v) => v.neighbours(checkout.sourceId, 'pod'));
      const sameNode = await read((v) => v.neighbours(newest.sourceId, 'node'));
      expect(samePod).toHaveLength(2);
      expect(sameNode).toEqual([newest.sourceId]);
      const sources = await read((v) => v.sources([...samePod, newest.sourceId]));
      expect(Object.values(sources).map((s) => `${s.namespace}/${s.pod}/${s.container}`).sort()).toEqual(['billing/payments-0/payments', 'shop/checkout-1/checkout', 'shop/checkout-1/proxy']);
      expect(sources[String(newest.sourceId)].labels).toEqual({ app: 'payments' });
      expect((await read((v) => v.labelKeys())).sort()).toEqual(['app', 'tier']);
    });

    it('keeps saved searches per owner', async () => {
      const saved = await storage.savedSearches.save('ana', 'errors', { q: 'level:error' });
      await storage.savedSearches.save('bo', 'mine', { q: '' });
      expect(await storage.savedSearches.list('ana')).toEqual([saved]);
      await storage.savedSearches.remove('ana', saved.id);
      expect(await storage.savedSearches.list('ana')).toEqual([]);
    });

    it('renames a saved search in place, replacing the owner\'s other search of the new name', async () => {
      const kept = await storage.savedSearches.save('cy', 'errors', { q: 'level:error' });
      const other = await storage.savedSearches.save('cy', 'warnings', { q: 'level:warn' });
      const renamed = await storage.savedSearches.update('cy', kept.id, 'errors today', { q: 'level:error', from: 'now-1d' });
      expect(renamed).toMatchObject({ id: kept.id, name: 'errors today', view: { q: 'level:error', from: 'now-1d' }, createdAt: kept.createdAt });
      expect((await storage.savedSearches.list('cy')).map((s) => [s.id, s.name])).toEqual([[kept.id, 'errors today'], [other.id, 'warnings']]);
      await storage.savedSearches.update('cy', kept.id, 'warnings', { q: 'level:error' });
      expect((await storage.savedSearches.list('cy')).map((s) => [s.id, s.name])).toEqual([[kept.id, 'warnings']]);
      await expect(storage.savedSearches.update('dee', kept.id, 'mine now', {})).rejects.toMatchObject({ status: 404 });
      await expect(storage.savedSearches.update('cy', other.id, 'back', {})).rejects.toMatchObject({ status: 404 });
      expect((await storage.savedSearches.list('cy')).map((s) => s.name)).toEqual(['warnings']);
    });
  });

  describe(`${engine}: sources past retention`, () => {
    it('neither counts nor suggests a pod whose lines are all past retention, and knows it again when it logs', async () => {
      const { dir, cleanup } = await tempDir();
      let now = T0;
      const storage = await open(dir, () => now, 24 * HOUR);
      try {
        const job = sourceMeta('nightly', { labels: { 'batch.kubernetes.io/job-name': 'nightly' } });
        const send = (source: ReturnType<typeof sourceMeta>, file: string, firstOffset: number) =>
          storage.ingest(decoded(batch(lines({ source: source.key, file, firstOffset, count: 5, startMs: now - 60_000 }), [source])));
        await send(job, '1:job', 0);
        now += 3 * 24 * HOUR;
        await send(SOURCES[0], '2:web', 0);
        await storage.maintain();
        expect((await storage.stats()).sources).toBe(1);
        expect((await storage.read((v) => v.labelKeys())).sort()).toEqual(['app', 'tier']);
        await send(job, '1:job', 1_000);
        expect((await storage.stats()).sources).toBe(2);
        expect((await storage.read((v) => v.labelKeys())).sort()).toEqual(['app', 'batch.kubernetes.io/job-name', 'tier']);
      } finally {
        await storage.close();
        await cleanup();
      }
    });
  });
}
