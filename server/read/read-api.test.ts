import type { LogStorage } from '../store/log-storage';
import { ENGINES, openTestStorage } from '../testing/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, decoded, lines, sourceMeta } from '../testing/batches';
import { tempDir } from '../testing/temp-dir';
import { QuerySyntaxError } from '../query/query-syntax-error';
import { ReadApi } from './read-api';
import { QueryCancelledError } from '../store/read-errors';

// One store for the file: 3 sources over two hours, the first hour sealed into segments, the
// second still hot, so every read crosses both tiers.
const T0 = Date.parse('2026-11-25T10:00:00Z');
const HOUR = 3_600_000;
const SOURCES = [
  sourceMeta('checkout', { pod: 'checkout-1', podUid: 'u-checkout', container: 'checkout', labels: { 'app.kubernetes.io/name': 'checkout', tier: 'web' } }),
  sourceMeta('checkout-proxy', { pod: 'checkout-1', podUid: 'u-checkout', container: 'proxy', labels: { 'app.kubernetes.io/name': 'checkout', tier: 'web' } }),
  sourceMeta('payments', { namespace: 'billing', node: 'node-b', pod: 'payments-0', podUid: 'u-pay', container: 'payments', labels: { 'app.kubernetes.io/name': 'payments' } }),
];
/** Lines per source per hour; one every 10 s-ish, spread deterministically. */
const PER_HOUR = 360;

function message(source: string, i: number): string {
  if (i % 60 === 7) return `ERROR connection refused to db-${Math.floor(i / 60) % 3} request_id=req-${source}-${i}`;
  if (i % 10 === 3) return JSON.stringify({ level: 'warn', msg: 'slow request', latency_ms: 400 + i, user: { id: i % 7 } });
  return `INFO handled request path=/api/${source} status=${i % 4 === 0 ? 500 : 200} took=${i}ms`;
}

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let api: ReadApi;
  let cleanup: () => Promise<void>;
  const total = SOURCES.length * PER_HOUR * 2;

  async function ingestHour(hour: number) {
    for (const [n, source] of SOURCES.entries()) {
      const entries = lines({ source: source.key, file: `${n + 1}:100`, firstOffset: hour * PER_HOUR * 100, count: PER_HOUR, startMs: 0, message: (i) => message(source.key, hour * PER_HOUR + i) });
      entries.forEach((e, i) => (e.ts = new Date(T0 + hour * HOUR + i * 10_000 + n).toISOString()));
      await store.ingest(decoded(batch(entries, [source])));
    }
  }

  const p = (query: Record<string, string | number>) =>
    new URLSearchParams({ from: String(T0), to: String(T0 + 2 * HOUR), ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { now: () => T0 + 2 * HOUR });
    await ingestHour(0);
    await store.maintain(); // hour 0 → segments
    await ingestHour(1);
    api = new ReadApi(store);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  describe('search', () => {
    it('returns the newest lines first with their sources once', async () => {
      const page = await api.search(p({ limit: 5 }));
      expect(page.hits).toHaveLength(5);
      const ts = page.hits.map((h) => h.ts);
      expect([...ts].sort().reverse()).toEqual(ts);
      expect(ts[0]).toBe(new Date(T0 + HOUR + (PER_HOUR - 1) * 10_000 + 2).toISOString().replace('Z', '000Z'));
      expect(Object.keys(page.sources).sort()).toEqual([...new Set(page.hits.map((h) => h.source))].sort());
      const source = page.sources[page.hits[0].source];
      expect(source).toMatchObject({ namespace: 'billing', pod: 'payments-0', container: 'payments', node: 'node-b' });
      expect(source.labels).toEqual({ 'app.kubernetes.io/name': 'payments' });
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('pages through everything exactly once, in both orders, across segments and hot tables', async () => {
      for (const order of ['desc', 'asc']) {
        const seen: string[] = [];
        const times: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<ReadApi['search']>> = await api.search(p({ limit: 97, order, ...(cursor ? { cursor } : {}) }));
          seen.push(...page.hits.map((h) => h.id));
          times.push(...page.hits.map((h) => h.ts));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toHaveLength(total);
        expect(new Set(seen).size).toBe(total);
        const sorted = [...times].sort();
        expect(times).toEqual(order === 'asc' ? sorted : sorted.reverse());
      }
    });

    it('filters by free text, fields, labels, extracted fields and ranges', async () => {
      const count = async (q: string) => {
        let n = 0;
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<ReadApi['search']>> = await api.search(p({ q, limit: 1000, ...(cursor ? { cursor } : {}) }));
          n += page.hits.length;
          cursor = page.nextCursor;
        } while (cursor);
        return n;
      };
      const errorsPerSource = (2 * PER_HOUR) / 60;
      expect(await count('Connection REFUSED')).toBe(3 * errorsPerSource);
      expect(await count('"connection refused" and namespace:billing')).toBe(errorsPerSource);
      expect(await count('level:error')).toBe(3 * errorsPerSource);
      expect(await count('level:warn and latency_ms >= 1000')).toBeGreaterThan(0);
      expect(await count('labels.tier:web')).toBe(2 * 2 * PER_HOUR);
      expect(await count('labels.app.kubernetes.io/name:pay*')).toBe(2 * PER_HOUR);
      const userThree = SOURCES.length * Array.from({ length: 2 * PER_HOUR }, (_, i) => i).filter((i) => i % 10 === 3 && i % 7 === 3).length;
      expect(await count('user.id:3')).toBe(userThree);
      expect(await count('pod:checkout-1 -container:proxy')).toBe(2 * PER_HOUR);
      expect(await count('message:/db-[12]/')).toBe((3 * errorsPerSource * 2) / 3);
      expect(await count('nosuchfield:1')).toBe(0);
      expect(await count(`"'; DROP TABLE entries; --"`)).toBe(0);
      expect(await count('%_\\')).toBe(0);
    });

    it('names a field that no entry in the range has, with the closest that exist', async () => {
      const page = await api.search(p({ q: 'level:error and LATENCY_MS > 3 and tier:web' }));
      expect(page.hits).toEqual([]);
      expect(page.warnings).toEqual([
        { code: 'unknown_field', field: 'LATENCY_MS', position: 16, message: 'No entry in this time range has a field "LATENCY_MS"; did you mean latency_ms?', closest: ['latency_ms'] },
        { code: 'unknown_field', field: 'tier', position: 35, message: 'No entry in this time range has a field "tier"; did you mean labels.tier?', closest: ['labels.tier'] },
      ]);
      const none = await api.search(p({ q: 'nosuchfield:abc' }));
      expect(none.warnings?.map((w) => w.message)).toEqual(['No entry in this time range has a field "nosuchfield".']);
    });

    it('names a value of a Kubernetes field or level that no entry in the range has, with the closest that exist', async () => {
      const page = await api.search(p({ q: 'level:err and namespace : "bill"' }));
      expect(page.hits).toEqual([]);
      expect(page.warnings).toEqual([
        { code: 'unknown_value', field: 'level', value: 'err', typed: 'err', position: 6, message: 'No entry in this time range has level "err"; did you mean error?', closest: ['error'] },
        { code: 'unknown_value', field: 'namespace', value: 'bill', typed: '"bill"', position: 26, message: 'No entry in this time range has namespace "bill"; did you mean billing?', closest: ['billing'] },
      ]);
      // Under a `not`, or with a wildcard, a value that is nowhere is no reason for nothing found.
      expect((await api.search(p({ q: 'level:zz* and nosuchword' }))).warnings).toBeUndefined();
      expect((await api.search(p({ q: 'not level:zz and nosuchword' }))).warnings).toBeUndefined();
    });

    it('gives no warning when the fields exist and only a value of a line\'s own or label field misses, nor when lines were found', async () => {
      expect((await api.search(p({ q: 'latency_ms > 99999999' }))).warnings).toBeUndefined();
      expect((await api.search(p({ q: 'labels.tier:nope' }))).warnings).toBeUndefined();
      expect((await api.search(p({ q: 'level:error or nosuchfield:1' }))).warnings).toBeUndefined();
    });

    it('answers a syntax error with its position and a bad cursor with a 400', async () => {
      await expect(api.search(p({ q: 'status:' }))).rejects.toMatchObject({ status: 400, code: 'query_syntax', position: 7 });
      await expect(api.search(p({ q: '"unbalanced' }))).rejects.toBeInstanceOf(QuerySyntaxError);
      await expect(api.search(p({ q: '('.repeat(10_000) + 'a' + ')'.repeat(10_000) }))).rejects.toMatchObject({ status: 400 });
      await expect(api.search(p({ q: 'a '.repeat(500_000) }))).rejects.toMatchObject({ status: 400, code: 'query_syntax' });
      await expect(api.search(p({ cursor: 'garbage!' }))).rejects.toMatchObject({ status: 400, code: 'invalid_cursor' });
      await expect(api.search(p({ limit: 5000 }))).rejects.toMatchObject({ status: 400, code: 'invalid_parameter' });
      await expect(api.search(p({ order: 'sideways' }))).rejects.toMatchObject({ status: 400 });
      await expect(api.search(new URLSearchParams({ from: 'now', to: 'now-1h' }))).rejects.toMatchObject({ status: 400, code: 'invalid_time_range' });
    });
  });

  describe('histogram', () => {
    it('splits the range into round buckets by level, empty ones included', async () => {
      const h = await api.histogram(p({ to: T0 + 3 * HOUR, buckets: 30 }));
      expect(h.intervalMs).toBe(10 * 60_000);
      expect(h.buckets).toHaveLength(18);
      expect(h.total).toBe(total);
      expect(h.buckets.slice(12).every((b) => b.count === 0)).toBe(true);
      expect(h.buckets[0].ts).toBe('2026-11-25T10:00:00.000000Z');
      expect(h.buckets.reduce((n, b) => n + b.count, 0)).toBe(total);
      const errors = h.buckets.reduce((n, b) => n + (b.levels.error ?? 0), 0);
      expect(errors).toBe((3 * 2 * PER_HOUR) / 60);
      for (const b of h.buckets) expect(Object.values(b.levels).reduce((a, c) => a + c, 0)).toBe(b.count);
    });

    it('takes the interval asked for, scaled up where it would make more than 1,000 bars', async () => {
      const hourly = await api.histogram(p({ to: T0 + 3 * HOUR, interval: HOUR }));
      expect(hourly.intervalMs).toBe(HOUR);
      expect(hourly.buckets.map((b) => b.count)).toEqual([total / 2, total / 2, 0]);
      // A second over 3 hours would be 10,800 bars: the finest round interval within 1,000 instead.
      expect((await api.histogram(p({ to: T0 + 3 * HOUR, interval: 1_000 }))).intervalMs).toBe(15_000);
      await expect(api.histogram(p({ interval: 0 }))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('interval') });
      await expect(api.histogram(p({ interval: '1h' }))).rejects.toMatchObject({ status: 400 });
    });

    it("aligns bars to the reader's zone (tz): an hour's at its whole hours, a day's at its midnight", async () => {
      const india = await api.histogram(p({ interval: HOUR, tz: 'Asia/Kolkata' }));
      expect(india.buckets.map((b) => b.ts)).toEqual(['2026-11-25T09:30:00.000000Z', '2026-11-25T10:30:00.000000Z', '2026-11-25T11:30:00.000000Z']);
      expect(india.buckets.map((b) => b.count)).toEqual([total / 4, total / 2, total / 4]);
      const newYork = await api.histogram(p({ interval: 24 * HOUR, tz: 'America/New_York' }));
      expect(newYork.buckets.map((b) => [b.ts, b.count])).toEqual([['2026-11-25T05:00:00.000000Z', total]]);
      expect((await api.histogram(p({ interval: HOUR, tz: 'UTC' }))).buckets[0].ts).toBe('2026-11-25T10:00:00.000000Z');
      await expect(api.histogram(p({ tz: 'Mars/Olympus' }))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('tz: not a time zone') });
      await expect(api.patterns(p({ tz: 'x'.repeat(100) }))).rejects.toMatchObject({ status: 400 });
    });

    it('counts the same from rollups as from the entries, ragged range edges included', async () => {
      const ragged = { from: String(T0 + 7 * 60_000 + 3_001), to: String(T0 + HOUR + 53 * 60_000 + 17) };
      for (const q of ['', 'level:error', 'namespace:billing', 'labels.tier:web and not level:info', 'stream:stdout', 'pod:checkout-*']) {
        for (const buckets of ['12', '7', '500']) {
          const h = await api.histogram(new URLSearchParams({ ...ragged, q, buckets }));
          const raw = await api.export(new URLSearchParams({ ...ragged, q, format: 'ndjson' }));
          await raw.body.return(undefined);
          expect(h.total, `${q} / ${buckets}`).toBe(raw.total);
          expect(h.buckets.reduce((n, b) => n + b.count, 0)).toBe(raw.total);
        }
      }
    });

    it('counts values and the field list the same from rollups as from the entries, ragged range edges included', async () => {
      const ragged = { from: String(T0 + 7 * 60_000 + 3_001), to: String(T0 + HOUR + 53 * 60_000 + 17) };
      for (const q of ['', 'level:error', 'namespace:billing', 'labels.tier:web and not level:info', 'stream:stdout']) {
        const raw = await api.export(new URLSearchParams({ ...ragged, q, format: 'ndjson' }));
        await raw.body.return(undefined);
        const namespaces = await api.values(new URLSearchParams({ ...ragged, q, field: 'namespace' }));
        expect(namespaces.values.reduce((n, v) => n + v.count, 0), q).toBe(raw.total);
        const { total: listed, fields } = await api.fields(new URLSearchParams({ ...ragged, q }));
        expect(listed, q).toBe(raw.total);
        for (const name of ['level', 'stream', 'pod']) {
          const field = fields.find((f) => f.name === name);
          expect((field?.top ?? []).reduce((n, v) => n + v.count, 0), `${q} / ${name}`).toBe(raw.total);
        }
      }
    });

    it('honours the query', async () => {
      const h = await api.histogram(p({ q: 'namespace:billing' }));
      expect(h.total).toBe(2 * PER_HOUR);
    });
  });

  describe('fields and values', () => {
    it('lists built-in, label and extracted fields with counts and top values, within the range', async () => {
      const { total: n, fields, sampleSize } = await api.fields(p({}));
      expect(n).toBe(total);
      const byName = new Map(fields.map((f) => [f.name, f]));
      expect(byName.get('namespace')).toMatchObject({ type: 'keyword', count: total, top: [{ value: 'shop', count: 2 * 2 * PER_HOUR }, { value: 'billing', count: 2 * PER_HOUR }] });
      expect(byName.get('labels.tier')).toMatchObject({ count: 2 * 2 * PER_HOUR, top: [{ value: 'web', count: 4 * PER_HOUR }] });
      expect(byName.get('latency_ms')).toMatchObject({ type: 'number', sampled: true });
      expect(byName.get('user.id')?.top).toHaveLength(5);
      expect(sampleSize).toBe(Math.min(total, 5000));
      expect(byName.has('nosuchfield')).toBe(false);
      // An hour later nothing matches, so no field is listed.
      const later = await api.fields(p({ from: T0 + 5 * HOUR, to: T0 + 6 * HOUR }));
      expect(later).toEqual({ total: 0, sampleSize: 0, fields: [] });
    });

    it('lists values of a field by prefix with counts', async () => {
      expect((await api.values(p({ field: 'namespace' }))).values).toEqual([{ value: 'shop', count: 4 * PER_HOUR }, { value: 'billing', count: 2 * PER_HOUR }]);
      expect((await api.values(p({ field: 'pod', prefix: 'PAY' }))).values).toEqual([{ value: 'payments-0', count: 2 * PER_HOUR }]);
      expect((await api.values(p({ field: 'level' }))).values.map((v) => v.value)).toEqual(['info', 'warn', 'error']);
      expect((await api.values(p({ field: 'user.id', q: 'namespace:billing', limit: 2 }))).values).toHaveLength(2);
      expect((await api.values(p({ field: 'labels.tier' }))).values).toEqual([{ value: 'web', count: 4 * PER_HOUR }]);
      expect((await api.values(p({ field: 'nosuchfield' }))).values).toEqual([]);
      await expect(api.values(p({}))).rejects.toMatchObject({ status: 400 });
    });
  });

  describe('suggest', () => {
    it('suggests fields, values with counts and operators with the range they replace', async () => {
      const fields = (await api.suggest(p({ q: 'nam', pos: 3 }))).suggestions;
      expect(fields).toContainEqual({ kind: 'field', text: 'namespace:', from: 0, to: 3 });
      const values = (await api.suggest(p({ q: 'namespace:bi', pos: 12 }))).suggestions;
      expect(values).toEqual([{ kind: 'value', text: 'billing', from: 10, to: 12, count: 2 * PER_HOUR }]);
      const ops = (await api.suggest(p({ q: 'timeout ', pos: 8 }))).suggestions.filter((s) => s.kind === 'operator');
      expect(ops.map((s) => s.text)).toEqual(['and', 'or', 'not']);
      const labels = (await api.suggest(p({ q: 'labels.t', pos: 8 }))).suggestions;
      expect(labels).toContainEqual({ kind: 'field', text: 'labels.tier:', from: 0, to: 8 });
      const extracted = (await api.suggest(p({ q: 'lat', pos: 3 }))).suggestions;
      expect(extracted).toContainEqual({ kind: 'field', text: 'latency_ms:', from: 0, to: 3 });
      // An unfinished query still gets suggestions.
      expect((await api.suggest(p({ q: '(pod:"check', pos: 11 }))).suggestions).toContainEqual({ kind: 'value', text: 'checkout-1', from: 5, to: 11, count: 4 * PER_HOUR });
    });

    it('inside field:( … ) offers values of that field, and after a whole value the operators, never field names', async () => {
      const kinds = (q: string) => api.suggest(p({ q, pos: q.length })).then((r) => r.suggestions);
      expect(await kinds('namespace:(bi')).toEqual([{ kind: 'value', text: 'billing', from: 11, to: 13, count: 2 * PER_HOUR }]);
      const afterOr = await kinds('namespace:(billing or ');
      expect(afterOr.map((s) => s.kind)).toEqual(afterOr.map(() => 'value'));
      expect(afterOr.map((s) => s.text)).toContain('billing');
      expect((await kinds('namespace:(billing ')).map((s) => s.text)).toEqual(['and', 'or', 'not']);
      expect((await kinds('namespace:(billing o')).filter((s) => s.kind !== 'value').map((s) => s.text)).toEqual(['or']);
      // Closed, the group is a term like any other: fields again.
      expect((await kinds('namespace:(billing) nam')).map((s) => s.text)).toContain('namespace:');
    });

    it('after a whole numeric field name offers its comparisons, and not where a term starts', async () => {
      const suggest = (q: string) => api.suggest(p({ q, pos: q.length })).then((r) => r.suggestions);
      const latency = await suggest('latency_ms');
      expect(latency[0]).toEqual({ kind: 'field', text: 'latency_ms:', from: 0, to: 10 });
      expect(latency.filter((s) => s.kind === 'operator')).toEqual(
        ['<', '<=', '>', '>='].map((op) => ({ kind: 'operator', text: `latency_ms${op}`, from: 0, to: 10 })),
      );
      // A field of text, or a name not typed whole, has none.
      expect((await suggest('namespace')).filter((s) => s.kind === 'operator')).toEqual([]);
      expect((await suggest('latency')).filter((s) => s.kind === 'operator')).toEqual([]);
      // `not` where a term starts, once a letter of it is typed; never after a `-`, which negates already.
      expect(await suggest('no')).toContainEqual({ kind: 'operator', text: 'not', from: 0, to: 2 });
      expect(await suggest('timeout and n')).toContainEqual({ kind: 'operator', text: 'not', from: 12, to: 13 });
      expect((await suggest('')).map((s) => s.text)).not.toContain('not');
      expect((await suggest('-n')).map((s) => s.text)).not.toContain('not');
    });

    it('offers field names holding what is typed anywhere, those starting with it first', async () => {
      const names = (await api.suggest(p({ q: 'tency', pos: 5 }))).suggestions.map((s) => s.text);
      expect(names).toContain('latency_ms:');
      const space = (await api.suggest(p({ q: 'space', pos: 5 }))).suggestions.map((s) => s.text);
      expect(space[0]).toBe('namespace:');
    });

    it('offers the values of the lines the rest of the query selects, counted among them', async () => {
      // Six error lines an hour in each source; billing has one source, over two hours.
      const errors = (await api.suggest(p({ q: 'level:error and namespace:bi', pos: 28 }))).suggestions;
      expect(errors).toEqual([{ kind: 'value', text: 'billing', from: 26, to: 28, count: 12 }]);
      const pods = (await api.suggest(p({ q: 'namespace:billing pod:', pos: 22 }))).suggestions;
      expect(pods.map((s) => s.text)).toEqual(['payments-0']);
      // Typed before the rest, too.
      expect((await api.suggest(p({ q: 'pod: and namespace:billing', pos: 4 }))).suggestions.map((s) => s.text)).toEqual(['payments-0']);
      // Where the rest does not narrow what may go there (an or, a not), every value is offered.
      expect((await api.suggest(p({ q: 'namespace:billing or pod:', pos: 25 }))).suggestions.map((s) => s.text)).toEqual(['checkout-1', 'payments-0']);
      // Free text in the rest would make each keystroke a scan of the range: not applied.
      expect((await api.suggest(p({ q: 'refused and namespace:', pos: 22 }))).suggestions.map((s) => s.count)).toEqual([4 * PER_HOUR, 2 * PER_HOUR]);
    });

    it('suggests the shapes of the lines in the range after pattern:, each finding its lines when picked', async () => {
      const typed = 'timeout or pattern:';
      const shapes = (await api.suggest(p({ q: typed, pos: typed.length }))).suggestions;
      expect(shapes.length).toBeGreaterThan(0);
      for (const shape of shapes) {
        expect(shape).toMatchObject({ kind: 'value', from: typed.length, to: typed.length });
        const picked = `${typed.slice(0, shape.from)}${shape.text}`;
        expect((await api.histogram(p({ q: picked }))).total, picked).toBeGreaterThan(0);
      }
      // After the rest of a query: shapes of the lines it selects, each finding lines with it.
      const scoped = 'namespace:billing and pattern:';
      const billing = (await api.suggest(p({ q: scoped, pos: scoped.length }))).suggestions;
      expect(billing.length).toBeGreaterThan(0);
      for (const shape of billing) expect((await api.histogram(p({ q: `${scoped}${shape.text}` }))).total, shape.text).toBeGreaterThan(0);
      // Typed on: only the shapes holding what was typed, in any case.
      const refused = 'pattern:REFUSED';
      const narrowed = (await api.suggest(p({ q: refused, pos: refused.length }))).suggestions;
      expect(narrowed.length).toBeGreaterThan(0);
      expect(narrowed.every((s) => s.text.toLowerCase().includes('refused'))).toBe(true);
    });
  });

  describe('context', () => {
    async function hitAt(q: string) {
      return (await api.search(p({ q, limit: 1, order: 'asc' }))).hits[0];
    }

    it('shows neighbours in the same container by default, the chosen line in the middle', async () => {
      const hit = await hitAt('request_id=req-checkout-427');
      const ctx = await api.context(new URLSearchParams({ id: hit.id, before: '3', after: '2' }));
      expect(ctx.hit).toEqual(hit);
      expect(ctx.before).toHaveLength(3);
      expect(ctx.after).toHaveLength(2);
      const all = [...ctx.before, ctx.hit, ...ctx.after];
      expect(all.every((h) => h.source === hit.source)).toBe(true);
      expect(all.map((h) => h.ts)).toEqual(all.map((h) => h.ts).sort());
      expect(ctx.sources[hit.source].container).toBe('checkout');
    });

    it('widens to the pod, the node, or everything within ±N seconds', async () => {
      const hit = await hitAt('request_id=req-checkout-427');
      const sourcesIn = async (scope: string, extra: Record<string, string> = {}) => {
        const ctx = await api.context(new URLSearchParams({ id: hit.id, before: '10', after: '10', scope, ...extra }));
        return new Set([...ctx.before, ...ctx.after].map((h) => ctx.sources[h.source].container));
      };
      expect(await sourcesIn('pod')).toEqual(new Set(['checkout', 'proxy']));
      expect(await sourcesIn('node')).toEqual(new Set(['checkout', 'proxy']));
      expect(await sourcesIn('all')).toEqual(new Set(['checkout', 'proxy', 'payments']));
      const narrow = await api.context(new URLSearchParams({ id: hit.id, scope: 'all', seconds: '1' }));
      expect(narrow.before.length + narrow.after.length).toBeLessThanOrEqual(4);
    });

    it('answers an unknown id with 404 and a malformed one with 400', async () => {
      await expect(api.context(new URLSearchParams({ id: 'abc.1.2' }))).rejects.toMatchObject({ status: 404 });
      await expect(api.context(new URLSearchParams({ id: "'; DROP" }))).rejects.toMatchObject({ status: 400, code: 'invalid_id' });
      await expect(api.context(new URLSearchParams({ id: 'abc.1.2', scope: 'galaxy' }))).rejects.toMatchObject({ status: 400 });
    });

    it.each([
      ['id', '-zzzzzzzzzzzzz.1.1'],
      ['id', 'zzzzzzzzzzzzz.1.1'],
      ['id', 'abc.1.zzzzzzzzzzzzz'],
      ['cursor', 'zzzzzzzzzzzzz.0.0'],
    ])('refuses %s=%s, a key past the times and offsets the store holds, with 400', async (parameter, value) => {
      const read = parameter === 'id' ? api.context(new URLSearchParams({ id: value })) : api.search(p({ cursor: value }));
      await expect(read).rejects.toMatchObject({
        status: 400,
        code: `invalid_${parameter}`,
        message: `${parameter}: not a ${parameter === 'id' ? 'hit id' : 'cursor'} this server issued`,
      });
    });
  });

  describe('export', () => {
    async function text(body: AsyncGenerator<string>) {
      let out = '';
      for await (const chunk of body) out += chunk;
      return out;
    }

    it('streams every matching line as NDJSON, and says when the cap was hit', async () => {
      const all = await api.export(p({ q: 'level:error', format: 'ndjson' }));
      expect(all).toMatchObject({ total: 36, lines: 36, capped: false });
      const rows = (await text(all.body)).trim().split('\n').map((l) => JSON.parse(l));
      expect(rows).toHaveLength(36);
      expect(rows[0]).toMatchObject({ namespace: expect.any(String), pod: expect.any(String), level: 'error', message: expect.stringContaining('connection refused') });
      const capped = await api.export(p({ format: 'ndjson', limit: 10 }));
      expect(capped).toMatchObject({ total, lines: 10, capped: true });
      expect((await text(capped.body)).trim().split('\n')).toHaveLength(10);
    });

    it('writes CSV with a header and quoted cells', async () => {
      const csv = await api.export(p({ q: 'level:warn', format: 'csv', limit: 3 }));
      const out = (await text(csv.body)).split('\r\n');
      expect(out[0]).toBe('ts,namespace,pod,container,node,stream,level,message,fields');
      expect(out[1]).toMatch(/^2026-11-25T11:\S+,\w+,[\w-]+,\w+,node-\w,stdout,warn,"{""level"":""warn""/);
    });
  });

  describe('limits', () => {
    it.each(['search', 'histogram', 'fields', 'values', 'suggest', 'export'] as const)('answers 400 on %s for a bound past int64 microseconds', async (route) => {
      for (const [parameter, value] of [['to', 'now+99999999w'], ['from', 'now-999999999w']]) {
        const params = new URLSearchParams({ field: 'pod', [parameter]: value });
        await expect(api[route](params)).rejects.toMatchObject({
          status: 400,
          code: 'invalid_time',
          message: `${parameter}: "${value}" is outside the supported times, 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z`,
        });
      }
    });

    it('cancels a query whose client went away', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(api.histogram(p({}), controller.signal)).rejects.toBeInstanceOf(QueryCancelledError);
    });
  });
});
