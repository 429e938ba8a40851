// Reads while maintenance rewrites and drops the files their snapshot names (issue 17): a merge,
// an index rewrite, a day token fold or retention retires a file right after its catalog change
// commits, and a read that took its snapshot just before must still find every file it names.
//
// The interleaving is forced, not hoped for: each read's connection stops before its first
// statement that opens files (its snapshot is taken by then), and a round of maintenance runs
// that retires the files of every hour the read counts, their token files and more (churn);
// then the read goes on. Before deferred deletion, every route failed so, each retry too.
import { DuckDbStorage } from './duckdb-storage';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { filterOf } from '../../read/read-params';
import { LogStore } from './log-store';
import { tokensOf } from './segments';
import { batch, decoded, lines, sourceMeta } from '../../testing/batches';
import { tempDir } from '../../testing/temp-dir';
import { ReadApi } from '../../read/read-api';
import { Reader } from './snapshot';
import { tail } from '../../read/tail';
import { replayJournalRecord } from '../../ingest/journal-replay';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-12-01T21:00:00Z');
/** Hours of the lines the reads count: across a day boundary, so two day token files fold. */
const HOURS = 6;
const PER_HOUR = 120;
const RETENTION_MS = 7 * DAY;
const COUNTED = sourceMeta('checkout', { pod: 'checkout-1', podUid: 'u-checkout', container: 'checkout' });
/** Lines no read below counts, written by each round of maintenance into the hours the reads span. */
const FILLER = sourceMeta('filler', { pod: 'filler-0', podUid: 'u-filler', container: 'filler' });

const ERRORS = HOURS * (PER_HOUR / 10);
const SLOW = HOURS * (PER_HOUR / 10);

function message(i: number): string {
  if (i % 10 === 3) return `ERROR connection refused to db-${i % 3} request_id=req-${i}`;
  if (i % 10 === 5) return JSON.stringify({ level: 'warn', msg: 'slow request', latency_ms: 400 + i });
  return `INFO handled request path=/api/orders status=200 took=${i}ms`;
}

let store: LogStore;
let api: ReadApi;
let dir: string;
let cleanup: () => Promise<void>;
let clock = T0 + 3 * DAY;
let fillerOffset = 0;
let rounds = 0;
/** Stop each read's connection before it first opens a file, and run a round of maintenance. */
let interleave = false;

async function ingest(source: typeof COUNTED, entries: { ts: number; message: string; offset: number }[]) {
  const wire = lines({ source: source.key, file: `${source.key}:1`, count: entries.length, startMs: 0 });
  wire.forEach((e, i) => Object.assign(e, { ts: new Date(entries[i].ts).toISOString(), message: entries[i].message, offset: entries[i].offset }));
  await store.ingest(decoded(batch(wire, [source])));
}

function filler(ts: number) {
  return { ts, message: `DEBUG cache sweep done n=${fillerOffset}`, offset: (fillerOffset += 100) };
}

/**
 * One round that retires files a read of the range names: the counted hours get a second file and
 * are merged (their own and day token files replaced), last round's lone hour is rewritten with
 * its index, and last round's hour past retention is dropped.
 */
async function churn() {
  rounds++;
  // A line for each counted hour, one for an hour past retention by the next round, and one for
  // an hour of its own far back.
  const next = clock + HOUR;
  await ingest(FILLER, [...Array.from({ length: HOURS }, (_, h) => filler(T0 + h * HOUR + 1_234 + rounds)), filler(next - RETENTION_MS + 30 * 60_000), filler(T0 - 2 * DAY - rounds * HOUR)]);
  clock = next; // no file is being read any more: every hour is complete
  await store.maintain(); // sealed, then merged, indexed and folded; last round's expired hour dropped
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  store = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: RETENTION_MS, maxDiskBytes: null, background: false, now: () => clock });
  // A file being read that is still before the counted hours holds them open (IngestFronts).
  await ingest(FILLER, [filler(T0 - HOUR + 1)]);
  // Every hour in two unsettled files, as a backfill leaves them (offsets only grow: a lower one
  // is a resent line).
  for (const half of [0, 1]) {
    const entries = [];
    for (let h = 0; h < HOURS; h++) {
      for (let i = half * (PER_HOUR / 2); i < (half + 1) * (PER_HOUR / 2); i++) {
        entries.push({ ts: T0 + h * HOUR + i * 30_000, message: message(i), offset: (half * HOURS * PER_HOUR + entries.length) * 100 });
      }
    }
    await ingest(COUNTED, entries);
    await store.maintain();
  }
  expect(store.segments.list().filter((s) => s.partitionStart >= BigInt(T0) * 1000n)).toHaveLength(2 * HOURS);
  const connect = store.connect.bind(store);
  vi.spyOn(store, 'connect').mockImplementation(async () => {
    const connection = await connect();
    const runAndReadAll = connection.runAndReadAll.bind(connection);
    let paused = false;
    connection.runAndReadAll = (async (sql, params) => {
      if (interleave && !paused && sql.includes('read_parquet')) {
        paused = true;
        await churn();
      }
      return runAndReadAll(sql, params);
    }) as DuckDBConnection['runAndReadAll'];
    return connection;
  });
  // A timeout no read reaches: each waits out a round of maintenance in the middle.
  api = new ReadApi(new DuckDbStorage(store, new Reader(store, 600_000)));
});
afterAll(async () => {
  await store.close();
  await cleanup();
});

const range = { from: String(T0 - 30 * DAY), to: String(T0 + 2 * DAY) };
const p = (query: Record<string, string | number>) => new URLSearchParams({ ...range, ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });

describe('reads while maintenance retires their files', () => {
  it('answers every route exactly while the files its snapshot names are merged, indexed, folded and dropped', async () => {
    const sample = (await api.search(p({ q: 'container:checkout', limit: 1 }))).hits[0];
    const around = await api.context(new URLSearchParams({ id: sample.id, before: '3', after: '3' }));
    const lastLine = T0 + (HOURS - 1) * HOUR + (PER_HOUR - 1) * 30_000;

    const reads: [string, () => Promise<unknown>, unknown][] = [
      ['search free text', async () => (await api.search(p({ q: '"connection refused"', limit: 1000 }))).hits.length, ERRORS],
      ['histogram error', async () => (await api.histogram(p({ q: 'error' }))).total, ERRORS],
      ['histogram free text', async () => (await api.histogram(p({ q: '"connection refused"' }))).total, ERRORS],
      ['fields', async () => (await api.fields(p({ q: 'container:checkout' }))).total, HOURS * PER_HOUR],
      ['field stats', async () => (await api.fieldStats(p({ field: 'latency_ms', q: 'container:checkout' }))).count, SLOW],
      ['values', async () => (await api.values(p({ field: 'pod', q: '"connection refused"' }))).values, [{ value: 'checkout-1', count: ERRORS }]],
      // A JSON field's values are read from the lines (a pod's are summed from the rollups, no file).
      ['suggest', async () => (await api.suggest(p({ q: 'msg:slo' }))).suggestions.map((s) => [s.text, s.count]), [['"slow request"', SLOW]]],
      ['context', () => api.context(new URLSearchParams({ id: sample.id, before: '3', after: '3' })), around],
      [
        'export',
        async () => {
          const plan = await api.export(p({ q: '"connection refused"', format: 'ndjson' }));
          let n = 0;
          for await (const chunk of plan.body) n += chunk.split('\n').length - 1;
          return [plan.total, n];
        },
        [ERRORS, ERRORS],
      ],
      [
        'tail',
        async () => {
          const stop = new AbortController();
          const events = tail(api.storage, filterOf(new URLSearchParams({ q: 'container:checkout' })), { signal: stop.signal, now: () => lastLine + 1_000, pollMs: 0 });
          const first = await events.next();
          stop.abort();
          await events.return(undefined);
          return first.done || !('hits' in first.value) ? [] : first.value.hits.map((h) => h.ts);
        },
        [new Date(lastLine).toISOString().replace('Z', '000Z')],
      ],
    ];

    interleave = true;
    const failures: string[] = [];
    for (const [route, read, expected] of reads) {
      const before = rounds;
      try {
        const answer = await read();
        if (JSON.stringify(answer) !== JSON.stringify(expected)) failures.push(`${route}: ${JSON.stringify(answer)}, expected ${JSON.stringify(expected)}`);
      } catch (err) {
        failures.push(`${route}: ${(err as Error).message}`);
      }
      // Each read met at least one round that retired the files it had named.
      if (rounds === before) failures.push(`${route}: opened no file`);
    }
    interleave = false;
    expect(failures).toEqual([]);
  });

  it('leaves on disk only the files the catalog names once the reads are over', async () => {
    const catalogued = new Set(store.segments.list().flatMap((s) => [s.path, ...(s.indexed ? [tokensOf(s)] : [])]));
    await store.close();
    const onDisk = (await fs.readdir(path.join(dir, 'segments'), { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(path.join(dir, 'segments'), path.join(e.parentPath, e.name)));
    expect(onDisk.sort()).toEqual([...catalogued].sort());
    store = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: RETENTION_MS, maxDiskBytes: null, background: false, now: () => clock });
  });
});
