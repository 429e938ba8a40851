// The read limit against a real store: what runs, what waits, what is refused, and that ingest
// completes while reads keep every turn busy.
import { DuckDbStorage } from './duckdb-storage';
import { setMaxListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../http/error-response';
import { LogStore } from './log-store';
import { batch, decoded, lines } from '../../testing/batches';
import { tempDir } from '../../testing/temp-dir';
import { ReadApi } from '../../read/read-api';
import { ReadGate } from '../read-gate';
import { QueryCancelledError, QueryTimeoutError, Reader, type Snapshot } from './snapshot';
import { replayJournalRecord } from '../../ingest/journal-replay';

const T0 = Date.parse('2026-11-25T10:00:00Z');
/** A statement that runs until it is interrupted. */
const ENDLESS = `SELECT count(*) FROM range(10000000000000) r WHERE r.range % 7 = 3`;

let store: LogStore;
let cleanup: () => Promise<void>;
let nextOffset = 0;

async function ingest(count: number, marker: string) {
  const entries = lines({ source: 'checkout', firstOffset: nextOffset, count, startMs: T0, message: (i) => `${marker} ${i}` });
  nextOffset += count * 100;
  return store.ingest(decoded(batch(entries)));
}

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  store = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false, now: () => T0 });
  await ingest(100, 'seed');
});
afterAll(async () => {
  await store.close();
  await cleanup();
});

/** A read that counts the entries, then holds its turn until `open()` is called. */
function held() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  let entered = false;
  const read = async (snapshot: Snapshot) => {
    entered = true;
    const [row] = await snapshot.rows(`SELECT ((SELECT count(*) FROM hot.entries_hot_a) + (SELECT count(*) FROM hot.entries_hot_b))::INTEGER AS n`);
    await gate;
    return row.n;
  };
  return { read, open, entered: () => entered };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in 10 s');
    await new Promise((r) => setImmediate(r));
  }
}

describe('read limits', () => {
  it('runs at most `concurrency` reads and lets waiting ones in as turns end', async () => {
    const gate = new ReadGate(2, 10);
    const reader = new Reader(store, 10_000, 1_000, gate);
    const reads = Array.from({ length: 5 }, held);
    const results = reads.map((r) => reader.read(r.read));
    await until(() => reads.filter((r) => r.entered()).length === 2);
    expect(gate.counts()).toEqual({ running: 2, queued: 3, rejected: 0 });
    expect(reads.map((r) => r.entered())).toEqual([true, true, false, false, false]);
    reads[0].open();
    await until(() => reads[2].entered());
    expect(gate.counts()).toEqual({ running: 2, queued: 2, rejected: 0 });
    for (const r of reads) r.open();
    expect(await Promise.all(results)).toEqual([100, 100, 100, 100, 100]);
    await until(() => gate.counts().running === 0);
  });

  it('answers reads past the queue 503 overloaded with Retry-After, and counts them', async () => {
    const gate = new ReadGate(1, 1);
    const api = new ReadApi(new DuckDbStorage(store, new Reader(store, 10_000, 1_000, gate)));
    const running = held();
    const first = (api.storage as DuckDbStorage).reader.read(running.read);
    await until(running.entered);
    const queued = api.search(new URLSearchParams({ from: String(T0), to: String(T0 + 1_000), limit: '1' }));
    let refusal: unknown;
    await api.histogram(new URLSearchParams({ from: String(T0), to: String(T0 + 1_000) })).catch((err) => (refusal = err));
    const response = toErrorResponse(refusal);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({
      error: { code: 'overloaded', message: 'the server is answering as many reads as it takes (LOGPOND_READ_CONCURRENCY, LOGPOND_READ_QUEUE); retry in 1 s' },
    });
    expect(gate.counts()).toEqual({ running: 1, queued: 1, rejected: 1 });
    running.open();
    expect(await first).toBe(100);
    expect((await queued).hits.map((h) => h.message)).toEqual(['seed 99']);
  });

  it('takes a read whose client leaves while it waits out of the queue; it never runs', async () => {
    const gate = new ReadGate(1, 4);
    const reader = new Reader(store, 10_000, 1_000, gate);
    const running = held();
    const first = reader.read(running.read);
    await until(running.entered);
    const leaving = held();
    const client = new AbortController();
    const waiting = reader.read(leaving.read, { signal: client.signal });
    expect(gate.counts()).toEqual({ running: 1, queued: 1, rejected: 0 });
    client.abort();
    await expect(waiting).rejects.toBeInstanceOf(QueryCancelledError);
    expect(gate.counts()).toEqual({ running: 1, queued: 0, rejected: 0 });
    running.open();
    await first;
    await until(() => gate.counts().running === 0);
    expect(leaving.entered()).toBe(false);
    expect(reader.counts).toMatchObject({ cancelled: 1, timedOut: 0 });
  });

  it('times out a read that waits past the query timeout with 504; it never runs later', async () => {
    const gate = new ReadGate(1, 4);
    // The running read's timeout is later than the waiting one's: with the same timeout, the
    // running read could end a millisecond before the waiting one's timer and hand it its turn.
    const slow = new Reader(store, 400, 1_000, gate);
    const reader = new Reader(store, 100, 1_000, gate);
    const endless = slow.read((snapshot) => snapshot.rows(ENDLESS));
    const late = held();
    const waiting = reader.read(late.read);
    const [waited, ran] = await Promise.allSettled([waiting, endless]);
    expect(waited).toMatchObject({ status: 'rejected', reason: { status: 504, code: 'query_timeout' } });
    expect((waited as PromiseRejectedResult).reason).toBeInstanceOf(QueryTimeoutError);
    expect((ran as PromiseRejectedResult).reason).toBeInstanceOf(QueryTimeoutError);
    await until(() => gate.counts().running === 0);
    expect(late.entered()).toBe(false);
    expect(gate.counts()).toEqual({ running: 0, queued: 0, rejected: 0 });
    expect([reader.counts.timedOut, slow.counts.timedOut]).toEqual([1, 1]);
  });

  it('lets a read that continues a response (a tail poll, an export page) wait past a full queue', async () => {
    const gate = new ReadGate(1, 0);
    const reader = new Reader(store, 10_000, 1_000, gate);
    const running = held();
    const first = reader.read(running.read);
    await until(running.entered);
    await expect(reader.read(held().read)).rejects.toMatchObject({ status: 503, code: 'overloaded' });
    const page = held();
    const next = reader.read(page.read, { continuing: true });
    expect(gate.counts()).toEqual({ running: 1, queued: 1, rejected: 1 });
    running.open();
    page.open();
    expect([await first, await next]).toEqual([100, 100]);
  });

  it('completes an ingest batch while a burst of endless reads holds every turn and the queue', async () => {
    const gate = new ReadGate(2, 8);
    const reader = new Reader(store, 60_000, 1_000, gate);
    const client = new AbortController();
    setMaxListeners(24, client.signal); // one client for the whole burst
    let started = 0;
    const endless = (snapshot: Snapshot) => (started++, snapshot.rows(ENDLESS));
    const burst = Array.from({ length: 24 }, () => reader.read(endless, { signal: client.signal }).catch((err: Error) => err.name));
    await until(() => started === 2);
    expect(gate.counts()).toEqual({ running: 2, queued: 8, rejected: 14 });
    const result = await ingest(1_000, 'during-burst');
    expect(result).toMatchObject({ accepted: 1_000, duplicates: 0 });
    client.abort();
    const outcomes = await Promise.all(burst);
    expect(outcomes.filter((o) => o === 'QueryCancelledError')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'OverloadedError')).toHaveLength(14);
    await until(() => gate.counts().running === 0);
  });
});

describe('stopping a read', () => {
  /** What a fresh read of the store counts: it still answers after a read was stopped. */
  const entriesRead = () => new Reader(store, 10_000).read(async (snapshot) => Number((await snapshot.rows('SELECT count(*) AS n FROM entries_hot'))[0].n));

  it('interrupts a query past the timeout with 504 query_timeout', async () => {
    const slow = new Reader(store, 200);
    const started = Date.now();
    const endless = slow.read((snapshot) => snapshot.rows(ENDLESS));
    await expect(endless).rejects.toBeInstanceOf(QueryTimeoutError);
    await expect(endless).rejects.toMatchObject({ status: 504, code: 'query_timeout' });
    expect(Date.now() - started).toBeLessThan(5_000);
    // The store still answers afterwards.
    expect(await entriesRead()).toBeGreaterThan(0);
  });

  it('answers 504 even when the running statement does not notice the interrupt', async () => {
    // A statement busy inside one chunk of rows sees interrupt() only when the chunk ends.
    let finish: () => void = () => {};
    const deaf = new Promise<void>((resolve) => (finish = resolve));
    const reader = new Reader(store, 100, 200);
    await expect(reader.read(() => deaf)).rejects.toMatchObject({ status: 504, code: 'query_timeout' });
    const controller = new AbortController();
    const leaving = reader.read(() => deaf, { signal: controller.signal });
    controller.abort();
    await expect(leaving).rejects.toBeInstanceOf(QueryCancelledError);
    finish();
    expect(reader.counts).toMatchObject({ timedOut: 1, cancelled: 1 });
    expect(await entriesRead()).toBeGreaterThan(0);
  });

  it('interrupts a running query when the client goes away', async () => {
    const controller = new AbortController();
    const endless = new Reader(store, 10_000).read((snapshot) => snapshot.rows(ENDLESS), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(endless).rejects.toBeInstanceOf(QueryCancelledError);
  });
});
