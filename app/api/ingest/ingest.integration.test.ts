// POST /api/ingest against the real server, on every engine it can run, and on DuckDB's own files.
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestBatch } from '@/common/ingest-batch';
import { LogStore } from '@/server/store/duckdb/log-store';
import { batch, lines } from '@/server/testing/batches';
import { type ServerProcess, startServer } from '@/server/testing/server-process';
import { countByFile } from '@/server/store/duckdb/store-queries';
import { ENGINES, engineEnv } from '@/server/testing/storage';
import { tempDir } from '@/server/testing/temp-dir';
import { replayJournalRecord } from '@/server/ingest/journal-replay';

let dir: string;
let cleanup: () => Promise<void>;
let server: ServerProcess | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await cleanup();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${server!.url}/api/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers },
    body: gzipSync(raw),
  });
}

async function status() {
  return (await fetch(`${server!.url}/api/status`)).json();
}

const marker = () => `m${Math.random().toString(36).slice(2)}`;

describe.each(ENGINES)('POST /api/ingest (%s)', (engine) => {
  // One server for what needs no setting of its own: each test counts what it added.
  describe('with the defaults', () => {
    let shared: ServerProcess;
    let sharedCleanup: () => Promise<void>;
    beforeAll(async () => {
      let sharedDir: string;
      ({ dir: sharedDir, cleanup: sharedCleanup } = await tempDir());
      shared = await startServer({ ...engineEnv(engine, sharedDir), LOGPOND_DATA_DIR: sharedDir });
    });
    afterAll(async () => {
      await shared.stop();
      await sharedCleanup();
    });
    beforeEach(() => {
      server = shared;
    });
    afterEach(() => {
      server = undefined; // stopped once, after all
    });

    it('stores a resent gzip batch once', async () => {
      const before = await status();
      const seen = (s: Awaited<ReturnType<typeof status>>) => s.collectors.find((c: { id: string }) => c.id === 'test-collector') ?? { batches: 0, entries: 0 };
      const body = batch(lines({ source: `checkout-${marker()}`, count: 200, startMs: Date.now() - 1000 }));
      const first = await post(body);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ accepted: 200, duplicates: 0 });
      expect(await (await post(body)).json()).toEqual({ accepted: 0, duplicates: 200 });
      const s = await status();
      expect(s.engine).toEqual({ name: engine === 'clickhouse' ? 'chdb' : 'duckdb', version: expect.stringMatching(/^v?\d+\.\d+/) });
      expect(s.entries - before.entries).toBe(200);
      expect(s.sources - before.sources).toBe(1);
      expect(seen(s)).toMatchObject({ node: 'node-a', batches: seen(before).batches + 2, entries: seen(before).entries + 200 });
    });

    it('refuses a batch with one bad entry whole, naming the entry, and stores nothing of it', async () => {
      const before = (await status()).entries;
      const body = batch(lines({ source: `checkout-${marker()}`, count: 100, startMs: Date.now() }));
      body.entries[57].ts = 'not a time';
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: 'invalid_batch', message: 'entries[57].ts: expected an RFC 3339 timestamp, got "not a time"' },
      });
      const invalidJson = await post('{"entries": [');
      expect(invalidJson.status).toBe(400);
      expect((await invalidJson.json()).error.code).toBe('invalid_json');
      expect((await status()).entries).toBe(before);
    });

    it('stores lines stamped by a wrong clock at the time received, flagged, and they do not become the newest', async () => {
      const m = marker();
      // Taken first: the oldest line is stamped 5 s before it, and a millisecond between the two
      // clock reads made the bound below miss by one.
      const before = Date.now();
      const body = batch(lines({ source: `checkout-${m}`, count: 4, startMs: before - 5000, message: (i) => `${m} line ${i}` }));
      const wrong = ['9999-12-31T23:59:59.999999999Z', '0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z'];
      wrong.forEach((ts, i) => (body.entries[i + 1].ts = ts));
      expect(await (await post(body)).json()).toEqual({ accepted: 4, duplicates: 0 });
      const s = await status();
      expect(Date.parse(s.newest)).toBeLessThanOrEqual(Date.now());
      const found = await (await fetch(`${server!.url}/api/search?${new URLSearchParams({ q: `${m} and logpond.ts_original:*`, order: 'asc' })}`)).json();
      const hits = found.hits as Array<{ ts: string; message: string; fields: Record<string, string> }>;
      expect(hits.map((h) => [h.message, h.fields['logpond.ts_original']]).sort()).toEqual(wrong.map((ts, i) => [`${m} line ${i + 1}`, ts]).sort());
      for (const hit of hits) expect(Date.parse(hit.ts)).toBeGreaterThanOrEqual(before - 1);
    });
  });

  it('requires the bearer token when LOGPOND_INGEST_TOKEN is set', async () => {
    server = await startServer({ ...engineEnv(engine, dir), LOGPOND_DATA_DIR: dir, LOGPOND_INGEST_TOKEN: 's3cret-token' });
    const body = batch(lines({ source: 'api', count: 5, startMs: Date.now() }));
    const none = await post(body);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    expect((await post(body, { authorization: 'Bearer wrong' })).status).toBe(401);
    // A forged peer stamp does not stand in for the token.
    expect((await post(body, { 'x-logpond-peer': 'forged 127.0.0.1' })).status).toBe(401);
    const right = await post(body, { authorization: 'Bearer s3cret-token' });
    expect(right.status).toBe(200);
    expect((await status()).entries).toBe(5);
  });

  it('answers 413 to a body over LOGPOND_MAX_BATCH, compressed or not', async () => {
    server = await startServer({ ...engineEnv(engine, dir), LOGPOND_DATA_DIR: dir, LOGPOND_MAX_BATCH: '64KiB' });
    const big = batch(lines({ source: 'api', count: 2000, startMs: Date.now(), message: (i) => `line ${i} ${'x'.repeat(100)}` }));
    const response = await post(big); // small gzipped, large once inflated
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    const plain = await fetch(`${server.url}/api/ingest`, { method: 'POST', body: JSON.stringify(big) });
    expect(plain.status).toBe(413);
    expect((await status()).entries).toBe(0);
  });
});

// What only the embedded engine's files can show: a lock held on them, a kill during a write.
describe('POST /api/ingest on DuckDB files', () => {
  it('indexes a backfill of two days within seconds of its last line, saying how far it is in /api/status', async () => {
    server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_RETENTION: 'off' });
    const now = Date.now();
    // Two files read side by side, as a collector catching up: one line per file and minute.
    for (let h = 48; h >= 1; h--) {
      const entries = ['1:a', '1:b'].flatMap((file) =>
        Array.from({ length: 60 }, (_, m) => ({ ...lines({ source: 'api', file, count: 1, startMs: now - h * 3_600_000 + m * 60_000, firstOffset: (48 - h) * 6_000 + m * 100 })[0] })),
      );
      expect((await post(batch(entries))).status).toBe(200);
    }
    const started = Date.now();
    let s = await status();
    // Nothing arrives any more: the hot rows are sealed and every hour that is over is settled
    // (the hour in progress is not complete), without waiting for a quiet hour of wall clock.
    while (!(s.settling.hours >= 47 && s.settling.settled === s.settling.hours) && Date.now() - started < 60_000) {
      await new Promise((r) => setTimeout(r, 500));
      s = await status();
    }
    expect(s.settling.hours).toBeGreaterThanOrEqual(47);
    expect(s.settling.settled).toBe(s.settling.hours);
    expect(s.entries).toBe(48 * 120);
  }, 90_000);

  it('answers 503 while the store cannot be opened, and recovers when it can', async () => {
    const holder = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false });
    server = await startServer({ LOGPOND_DATA_DIR: dir }, { waitHealthy: false });
    const body = batch(lines({ source: 'api', count: 5, startMs: Date.now() }));
    const refused = await post(body);
    expect(refused.status, server.output()).toBe(503);
    expect((await refused.json()).error.code).toBe('storage_unavailable');
    await holder.close();
    expect((await post(body)).status).toBe(200);
  });

  it('keeps only whole batches when the server is killed with SIGKILL during ingest', async () => {
    server = await startServer({ LOGPOND_DATA_DIR: dir });
    const acknowledged: string[] = [];
    const sent: IngestBatch[] = [];
    const sending = (async () => {
      for (let k = 0; k < 400; k++) {
        const file = `gen-${k}`;
        const body = batch(lines({ source: 'api', file, count: 2000, startMs: Date.now(), message: (i) => `${file} ${i} ${marker()}` }));
        sent.push(body);
        const ok = await post(body).then((r) => r.ok, () => false);
        if (!ok) return;
        acknowledged.push(file);
      }
    })();
    while (acknowledged.length < 5) await new Promise((r) => setTimeout(r, 10));
    await server.kill();
    await sending;
    server = undefined;

    const store = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false });
    const counts = await countByFile(store);
    await store.close();
    for (const [file, n] of counts) expect({ file, n }).toEqual({ file, n: 2000 });
    for (const file of acknowledged) expect(counts.get(file)).toBe(2000);
    expect(sent.length).toBeGreaterThan(acknowledged.length - 1);
  });
});
