import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../query/parse';
import { batch, decoded, lines, sourceMeta } from '../../testing/batches';
import { chdbDir, openTestStorage } from '../../testing/storage';
import { tempDir } from '../../testing/temp-dir';
import { describeStorageConformance } from '../storage-conformance';
import { type ClickHouseHttp, serveClickHouse } from './chdb-http-server';
import { ClickHouseStorage } from './clickhouse-storage';

describeStorageConformance('ClickHouse (chDB in process)', (dir, now, retentionMs) => openTestStorage('clickhouse', dir, { now, retentionMs }));

// The production path: @clickhouse/client over HTTP to a ClickHouse server on loopback.
let server: ClickHouseHttp;
beforeAll(async () => {
  server = await serveClickHouse(chdbDir());
});
afterAll(() => server.close());

let overHttp = 0;
describeStorageConformance('ClickHouse over HTTP', (_dir, now, retentionMs) =>
  ClickHouseStorage.open({
    clickhouse: { url: server.url, database: `over_http_${++overHttp}`, username: 'default', password: undefined, cluster: undefined },
    retentionMs: retentionMs ?? null,
    queryTimeoutMs: 10_000,
    now,
  }),
);

describe('two storages on one database (two server replicas)', () => {
  it('store a batch and its retry taken by both at once only once', async () => {
    const open = () =>
      ClickHouseStorage.open({
        clickhouse: { url: `chdb:${chdbDir()}`, database: 'two_writers', username: undefined, password: undefined, cluster: undefined },
        retentionMs: null,
        queryTimeoutMs: 10_000,
      });
    const [a, b] = [await open(), await open()];
    try {
      const source = sourceMeta('raced');
      for (let round = 0; round < 5; round++) {
        const body = batch(lines({ source: 'raced', file: '1:1', firstOffset: round * 100_000, count: 50, startMs: Date.now() - 60_000 }), [source]);
        // Both read the file's mark before either stores a line: only the insert's token tells them apart.
        await Promise.all([a.ingest(decoded(body)), b.ingest(decoded(body))]);
      }
      const range = { fromUs: BigInt(Date.now() - 3_600_000) * 1000n, toUs: BigInt(Date.now() + 60_000) * 1000n };
      expect(await a.read((view) => view.total(parseQuery(''), range))).toBe(250);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('a chDB database whose name needs quoting', () => {
  // chDB's own insert takes plain names only; such a database goes through the client's insert.
  it('stores a batch once, and its retry not again', async () => {
    const storage = await ClickHouseStorage.open({
      clickhouse: { url: `chdb:${chdbDir()}`, database: 'logs-eu.1', username: undefined, password: undefined, cluster: undefined },
      retentionMs: null,
      queryTimeoutMs: 10_000,
    });
    try {
      const body = batch(lines({ source: 'quoted', file: '1:1', firstOffset: 0, count: 30, startMs: Date.now() - 60_000 }), [sourceMeta('quoted')]);
      expect(await storage.ingest(decoded(body))).toEqual({ accepted: 30, duplicates: 0 });
      expect(await storage.ingest(decoded(body))).toEqual({ accepted: 0, duplicates: 30 });
      const range = { fromUs: BigInt(Date.now() - 3_600_000) * 1000n, toUs: BigInt(Date.now() + 60_000) * 1000n };
      expect(await storage.read((view) => view.total(parseQuery(''), range))).toBe(30);
    } finally {
      await storage.close();
    }
  });
});

describe('retention on ClickHouse', () => {
  it('drops every day wholly past LOGPOND_RETENTION, giving its parts back, and keeps the rest', async () => {
    const { dir, cleanup } = await tempDir();
    const DAY = 86_400_000;
    // ClickHouse's own TTL drops what is past retention on the real clock as it is inserted: the
    // old lines are within it now, and past it once the store's clock has moved on two days.
    let clock = Date.now();
    const storage = await openTestStorage('clickhouse', dir, { now: () => clock, retentionMs: 3 * DAY });
    try {
      const source = sourceMeta('kept');
      const old = lines({ source: 'kept', file: '1:1', count: 100, startMs: clock - 2.5 * DAY });
      await storage.ingest(decoded(batch(old, [source])));
      await storage.ingest(decoded(batch(lines({ source: 'kept', file: '1:2', count: 100, startMs: clock - 60_000 }), [source])));
      const before = await storage.stats();
      expect(before.entries).toBe(200);
      clock += 2 * DAY;
      const report = (await storage.maintain()) as { dropped: string[] };
      const oldDays = [...new Set(old.map((e) => e.ts.slice(0, 10).replaceAll('-', '')))].sort();
      expect(report.dropped.sort()).toEqual(oldDays);
      const after = await storage.stats();
      expect(after.entries).toBe(100);
      expect(after.diskBytes).toBeLessThan(before.diskBytes);
    } finally {
      await storage.close();
      await cleanup();
    }
  });
});

describe('sources on ClickHouse', () => {
  it('are deleted once every line of theirs is past retention, so a pod a minute does not grow the table forever', async () => {
    const { dir, cleanup } = await tempDir();
    const DAY = 86_400_000;
    let clock = Date.now();
    const storage = (await openTestStorage('clickhouse', dir, { now: () => clock, retentionMs: DAY })) as ClickHouseStorage;
    const rows = async () => (await storage.db.rows<{ key: string }>(`SELECT key FROM ${storage.db.tables.sources} FINAL ORDER BY key`)).map((r) => r.key);
    try {
      const send = (key: string) => storage.ingest(decoded(batch(lines({ source: key, file: `1:${key}`, count: 5, startMs: clock - 60_000 }), [sourceMeta(key)])));
      await send('job-1');
      clock += 3 * DAY;
      await send('web');
      // Hidden from reads by now, but a line stamped a day ahead in a day not yet dropped could be left.
      expect((await storage.stats()).sources).toBe(1);
      expect(((await storage.maintain()) as { forgottenSources: number }).forgottenSources).toBe(0);
      clock += 2 * DAY;
      await send('web');
      expect(await rows()).toEqual(['job-1', 'web']);
      const report = (await storage.maintain()) as { forgottenSources: number };
      expect(report.forgottenSources).toBe(1);
      expect(await rows()).toEqual(['web']);
      // The job runs again: stored anew, with its metadata.
      await send('job-1');
      expect(await rows()).toEqual(['job-1', 'web']);
      expect((await storage.stats()).sources).toBe(2);
    } finally {
      await storage.close();
      await cleanup();
    }
  });
});

// Last in the file: once a server says Hyperscan is off, this process counts one by one from then on.
describe('pattern counts on ClickHouse', () => {
  it('are the same through Hyperscan and, where the server has it off, one RE2 match a template', async () => {
    const { dir, cleanup } = await tempDir();
    const storage = (await openTestStorage('clickhouse', dir)) as ClickHouseStorage;
    try {
      const source = sourceMeta('shapes');
      const shapes = (i: number) =>
        [`GET /api/orders/${i} HTTP/1.1 200`, `{"level":"warn","msg":"slow query ${i}ms"}`, `ERROR payment ${i} declined\n\tat Pay.run(Pay.java:${i})`, '', `Grüße ${i} ✓`][i % 5];
      await storage.ingest(decoded(batch(lines({ source: 'shapes', file: '1:1', firstOffset: 0, count: 200, startMs: Date.now() - 60_000, message: shapes }), [source])));
      const templates = ['GET /api/orders/<_> HTTP/1.1 <_>', 'slow query <_>', 'ERROR payment <_> declined', '', '<_>', 'Grüße <_> ✓', 'GET <_>'];
      const range = { fromUs: BigInt(Date.now() - 3_600_000) * 1000n, toUs: BigInt(Date.now() + 60_000) * 1000n };
      const count = () =>
        storage.read(async (view) => {
          const rows = await view.patternCounts({ query: parseQuery(''), range, originUs: range.fromUs, intervalUs: 3_600_000_000n, templates });
          const filtered = await Promise.all(templates.map((t) => view.total(parseQuery(`pattern:"${t}"`), range)));
          return { fits: templates.map((_, i) => rows.reduce((n, r) => n + r.fits[i], 0)), filtered };
        });
      const withHyperscan = await count();
      expect(withHyperscan.fits).toEqual([40, 40, 40, 40, 200, 40, 40]);
      expect(withHyperscan.fits).toEqual(withHyperscan.filtered);
      await storage.db.command('SET allow_hyperscan = 0');
      await expect(storage.db.rows(`SELECT multiMatchAllIndices('a', ['a']) AS i`)).rejects.toThrow();
      expect(await count()).toEqual(withHyperscan);
      await storage.db.command('SET allow_hyperscan = 1');
    } finally {
      await storage.close();
      await cleanup();
    }
  });
});
