import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batch, decoded, lines, sourceMeta } from '../../testing/batches';
import { queryEntries } from './store-queries';
import { bytesUnder, tempDir } from '../../testing/temp-dir';
import { ACTIVE_FILE_MS } from './ingest-fronts';
import { encodeRecord, listJournals } from './journal';
import { LogStore, type StoreOptions } from './log-store';
import { ENTRY_COLUMNS } from './schema';
import { replayJournalRecord } from '../../ingest/journal-replay';

const HOUR = 3_600_000;
let dir: string;
let cleanup: () => Promise<void>;
let store: LogStore | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await cleanup();
});

function open(options: Partial<StoreOptions> = {}) {
  return LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false, ...options });
}

/** Segment files on disk, relative to the segments directory, sorted (staging and token files left out). */
async function parquetFilesUnder(segmentsDir: string): Promise<string[]> {
  const files = await fs.readdir(segmentsDir, { recursive: true }).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith('.parquet') && !f.startsWith('.')).sort();
}

function catalogued(s: LogStore): string[] {
  return s.segments.list().map((seg) => seg.path).sort();
}

async function messages(s: LogStore): Promise<string[]> {
  const rows = await queryEntries(s, (entries) => `SELECT message FROM ${entries} ORDER BY ts`);
  return rows.map((r) => String(r.message));
}

describe('LogStore ingest', () => {
  it('stores a resent batch once', async () => {
    store = await open();
    const body = decoded(batch(lines({ source: 'checkout', count: 50, startMs: Date.now() })));
    expect(await store.ingest(body)).toEqual({ accepted: 50, duplicates: 0 });
    expect(await store.ingest(body)).toEqual({ accepted: 0, duplicates: 50 });
    expect((await store.stats()).entries).toBe(50);
  });

  it('counts every entry once in its stats while a seal moves them from the hot tables to segments', async () => {
    store = await open();
    const s = store;
    const start = Date.now() - 30 * HOUR;
    let ingested = 0;
    const seen = new Set<number>();
    for (let round = 0; round < 15; round++) {
      const body = decoded(batch(lines({ source: `svc-${round}`, file: `${round}:1`, count: 3_000, startMs: start + round * 2 * HOUR })));
      ingested += (await s.ingest(body)).accepted;
      // The stats a page polls every 2 s, taken over and over while maintenance seals and settles.
      let done = false;
      const polling = (async () => {
        while (!done) seen.add((await s.stats()).entries - ingested);
      })();
      await s.maintain();
      done = true;
      await polling;
    }
    expect([...seen]).toEqual([0]);
  });

  it('stores only the new part of an overlapping batch', async () => {
    store = await open();
    const start = Date.now();
    await store.ingest(decoded(batch(lines({ source: 'checkout', count: 10, startMs: start }))));
    const overlapping = lines({ source: 'checkout', count: 15, startMs: start, firstOffset: 500 });
    expect(await store.ingest(decoded(batch(overlapping)))).toEqual({ accepted: 10, duplicates: 5 });
    const stored = await messages(store);
    expect(stored).toHaveLength(20);
    expect(new Set(stored).size).toBe(20);
  });

  it('keeps a new file generation of the same source apart from the old one', async () => {
    store = await open();
    const start = Date.now();
    await store.ingest(decoded(batch(lines({ source: 'api', file: '1:1', count: 5, startMs: start }))));
    const rotated = lines({ source: 'api', file: '1:2', count: 5, startMs: start + 10 });
    expect(await store.ingest(decoded(batch(rotated)))).toEqual({ accepted: 5, duplicates: 0 });
  });

  it('remembers what it stored across a reopen', async () => {
    store = await open();
    const body = decoded(batch(lines({ source: 'checkout', count: 20, startMs: Date.now() })));
    await store.ingest(body);
    await store.close();
    store = await open();
    expect(await store.ingest(body)).toEqual({ accepted: 0, duplicates: 20 });
    expect((await store.stats()).entries).toBe(20);
  });

  it('still knows a sealed batch after a reopen', async () => {
    const now = Date.now();
    store = await open({ now: () => now });
    const body = decoded(batch(lines({ source: 'checkout', count: 30, startMs: now - 3 * HOUR })));
    await store.ingest(body);
    expect((await store.maintain()).sealed).toBe(30);
    await store.close();
    store = await open({ now: () => now });
    expect(await store.ingest(body)).toEqual({ accepted: 0, duplicates: 30 });
    expect((await store.stats()).entries).toBe(30);
  });

  it('keeps acknowledged batches that were still hot when the process died', async () => {
    store = await open();
    const start = Date.now();
    const first = decoded(batch(lines({ source: 'api', count: 30, startMs: start, message: (i) => `api ${i}` })));
    await store.ingest(first);
    await store.ingest(decoded(batch(lines({ source: 'web', count: 20, startMs: start + 100, message: (i) => `web ${i}` }))));
    // The disk as a crash at this instant leaves it: copied while the store runs. The crash also
    // cut a write short: half a record at the end of the journal, a batch never acknowledged.
    const { dir: crashed, cleanup: removeCrashed } = await tempDir();
    try {
      await fs.cp(dir, crashed, { recursive: true });
      const [journal] = await listJournals(path.join(crashed, 'journal'));
      const unacknowledged = Buffer.concat(encodeRecord(decoded(batch(lines({ source: 'api', count: 5, startMs: start, firstOffset: 1e6 }))).wire));
      await fs.appendFile(journal.file, unacknowledged.subarray(0, unacknowledged.length >> 1));

      const reopened = await LogStore.open({ replay: replayJournalRecord, dataDir: crashed, retentionMs: null, maxDiskBytes: null, background: false });
      try {
        expect((await reopened.stats()).entries).toBe(50);
        expect(new Set(await messages(reopened)).size).toBe(50);
        expect(await reopened.ingest(first)).toEqual({ accepted: 0, duplicates: 30 });
      } finally {
        await reopened.close();
      }
      expect(await listJournals(path.join(crashed, 'journal'))).toEqual([]);
    } finally {
      await removeCrashed();
    }
  });

  it('moves the hot rows of a file written before hot tables were kept in memory', async () => {
    const now = Date.now();
    store = await open({ now: () => now });
    const sealedBefore = decoded(batch(lines({ source: 'api', count: 10, startMs: now - 2 * HOUR })));
    await store.ingest(sealedBefore);
    await store.maintain();
    await store.close();
    store = undefined;
    // The older layout: hot tables in the file itself, holding rows sealed already (a crash came
    // between a seal and its cleanup) and rows that are not.
    const instance = await DuckDBInstance.create(path.join(dir, 'logpond.duckdb'));
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE entries_hot_a (${ENTRY_COLUMNS})`);
    await connection.run(`CREATE TABLE entries_hot_b (${ENTRY_COLUMNS})`);
    await connection.run(
      `INSERT INTO entries_hot_b SELECT now()::TIMESTAMP, f.source_id, f.id, o, 'stdout', 'info', 'old hot ' || o, NULL, false
       FROM files f, range(0, 2000, 100) r(o)`,
    );
    connection.closeSync();
    instance.closeSync();

    store = await open({ now: () => now });
    const stored = await messages(store);
    expect(stored.filter((m) => m.startsWith('old hot ')).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `old hot ${1000 + i * 100}`).sort(),
    );
    expect(stored).toHaveLength(20);
    const tables = await store.connect().then(async (c) => {
      const rows = await c.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()`);
      c.closeSync();
      return rows.getRowObjectsJS().map((r) => r.table_name);
    });
    expect(tables).not.toContain('entries_hot_a');
    expect(tables).not.toContain('entries_hot_b');
  });

  it('answers each of many concurrent batches for itself', async () => {
    store = await open();
    const start = Date.now();
    const bodies = Array.from({ length: 8 }, (_, k) => decoded(batch(lines({ source: `svc-${k % 3}`, file: `f${k}`, count: 100, startMs: start }))));
    const results = await Promise.all([...bodies, bodies[0], bodies[5]].map((b) => store!.ingest(b)));
    expect(results.slice(0, 8)).toEqual(Array(8).fill({ accepted: 100, duplicates: 0 }));
    expect(results.slice(8)).toEqual([{ accepted: 0, duplicates: 100 }, { accepted: 0, duplicates: 100 }]);
    expect((await store.stats()).entries).toBe(800);
  });

  it('records source metadata once and updates it when labels change', async () => {
    store = await open();
    const start = Date.now();
    await store.ingest(decoded(batch(lines({ source: 'web', count: 3, startMs: start }))));
    const relabelled = sourceMeta('web', { labels: { 'app.kubernetes.io/name': 'web', team: 'storefront' } });
    await store.ingest(
      decoded(batch(lines({ source: 'web', count: 3, startMs: start, firstOffset: 1000 }), [relabelled])),
    );
    const connection = await store.connect();
    const rows = (await connection.runAndReadAll(`SELECT labels FROM sources`)).getRowObjectsJS();
    connection.closeSync();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(String(rows[0].labels))).toEqual({ 'app.kubernetes.io/name': 'web', team: 'storefront' });
  });

  it('extracts level and fields at ingest', async () => {
    store = await open();
    const entries = lines({
      source: 'api',
      count: 2,
      startMs: Date.now(),
      message: (i) => (i === 0 ? '{"level":"error","user":{"id":42}}' : 'WARN disk almost full'),
    });
    await store.ingest(decoded(batch(entries)));
    const connection = await store.connect();
    const rows = (
      await connection.runAndReadAll(`SELECT level, fields FROM entries_hot ORDER BY ts`)
    ).getRowObjectsJS();
    connection.closeSync();
    expect(rows.map((r) => r.level)).toEqual(['error', 'warn']);
    expect(JSON.parse(String(rows[0].fields))).toMatchObject({ 'user.id': 42 });
    expect(rows[1].fields).toBeNull();
  });

  it('stores every column as sent, for groups of batches longer than one data chunk', async () => {
    store = await open();
    const start = Date.UTC(2026, 10, 25, 12);
    const message = (i: number) =>
      i % 3 === 0 ? `{"level":"warn","n":${i},"text":"é 🙂 \\"q\\""}` : i % 3 === 1 ? `plain ${i} ж\ttab` : `ERROR ${'x'.repeat(i % 50)}`;
    const first = lines({ source: 'api', count: 3000, startMs: start, firstOffset: 2 ** 33, message }).map((e, i) => ({
      ...e,
      stream: i % 2 === 0 ? ('stderr' as const) : ('stdout' as const),
      truncated: i % 7 === 0 ? true : undefined,
    }));
    const second = lines({ source: 'web', file: '2:200', count: 1500, startMs: start + 5000, message });
    const results = await Promise.all([store.ingest(decoded(batch(first))), store.ingest(decoded(batch(second)))]);
    expect(results).toEqual([{ accepted: 3000, duplicates: 0 }, { accepted: 1500, duplicates: 0 }]);
    const connection = await store.connect();
    const rows = (
      await connection.runAndReadAll(
        `SELECT epoch_ms(ts) AS ms, s.key, f.file_key, "offset"::DOUBLE AS "offset", stream, level, message, fields, truncated
         FROM entries_hot e JOIN sources s ON s.id = e.source_id JOIN files f ON f.id = e.file_id ORDER BY ts`,
      )
    ).getRowObjectsJS();
    connection.closeSync();
    const expected = [...first, ...second].map((e) => ({
      ms: Date.parse(e.ts),
      key: e.source,
      file_key: e.file,
      offset: e.offset,
      stream: e.stream,
      message: e.message,
      truncated: e.truncated === true,
    }));
    expect(rows.map(({ ms, key, file_key, offset, stream, message, truncated }) => ({ ms: Number(ms), key, file_key, offset, stream, message, truncated }))).toEqual(expected);
    expect(rows.map((r) => r.level)).toEqual([...first, ...second].map((e) => (e.message.startsWith('{') ? 'warn' : e.message.startsWith('ERROR') ? 'error' : 'unknown')));
    expect(rows.filter((r) => r.fields !== null).map((r) => JSON.parse(String(r.fields)).text)).toEqual(
      [...first, ...second].filter((e) => e.message.startsWith('{')).map(() => 'é 🙂 "q"'),
    );
  });
});

describe('LogStore memory', () => {
  it("reports what each DuckDB instance holds, the hot tables' rows in the store's", async () => {
    store = await open();
    const before = await store.memory();
    await store.ingest(decoded(batch(lines({ source: 'checkout', count: 20_000, startMs: Date.now() - 60_000 }))));
    const after = await store.memory();
    expect(after.store).toBeGreaterThan(before.store);
    expect(after.settle).toBeGreaterThanOrEqual(0);
  });
});

describe('LogStore sealing and retention', () => {
  it('moves old rows into segments without losing or doubling any', async () => {
    const now = Date.now();
    store = await open({ now: () => now });
    for (let h = 5; h >= 1; h--) {
      const entries = lines({ source: 'api', count: 1000, startMs: now - h * HOUR, firstOffset: (5 - h) * 1e6 });
      await store.ingest(decoded(batch(entries)));
    }
    const before = await messages(store);
    const report = await store.maintain();
    expect(report.sealed).toBe(5000);
    const stats = await store.stats();
    expect(stats.entries).toBe(5000);
    expect(stats.hotEntries).toBeLessThan(5000);
    expect(stats.segments).toBeGreaterThanOrEqual(5);
    expect(await messages(store)).toEqual(before);
  });

  it('seals a batch spanning a week into a file per hour, and clears what a seal staged when the process died', async () => {
    const now = Date.now();
    store = await open({ now: () => now });
    // A backfill's batch: files a week apart, read at once, so consecutive lines are days apart.
    const entries = lines({ source: 'api', count: 7 * 24 * 3, startMs: now });
    const first = Math.floor(now / HOUR) * HOUR - 7 * 24 * HOUR + 600_000; // ten minutes into an hour a week ago
    entries.forEach((e, i) => (e.ts = new Date(first + (i % (7 * 24)) * HOUR + Math.floor(i / (7 * 24)) * 1000).toISOString()));
    await store.ingest(decoded(batch(entries)));
    const before = await messages(store);
    expect((await store.maintain()).sealed).toBe(entries.length);
    expect((await store.stats()).segments).toBe(7 * 24);
    const segments = path.join(dir, 'segments');
    const hours = (await fs.readdir(segments)).filter((name) => /^\d{4}-/.test(name));
    expect(hours).toHaveLength(7 * 24);
    for (const hour of hours) expect((await fs.readdir(path.join(segments, hour))).filter((f) => f.endsWith('.parquet'))).toHaveLength(1);
    expect(await messages(store)).toEqual(before);

    await store.close();
    const staged = path.join(segments, '.sealing', 'crashed', 'hour=0');
    await fs.mkdir(staged, { recursive: true });
    await fs.writeFile(path.join(staged, 'data_0.parquet'), 'half a file');
    store = await open({ now: () => now });
    await expect(fs.stat(path.join(segments, '.sealing'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await messages(store)).toEqual(before);
  });

  /** DuckDB's thread count now, as a query sees it. */
  const threads = async () => {
    const connection = await store!.connect();
    try {
      return Number((await connection.runAndReadAll(`SELECT current_setting('threads') AS n`)).getRowObjectsJS()[0].n);
    } finally {
      connection.closeSync();
    }
  };

  it('gives queries all their threads back once maintenance is over', async () => {
    store = await open();
    const before = await threads();
    await store.ingest(decoded(batch(lines({ source: 'api', count: 100, startMs: Date.now() - 2 * HOUR }))));
    // The round itself runs on one thread (see LogStore.onOneThread).
    expect((await store.maintain()).sealed).toBe(100);
    expect(await threads()).toBe(before);
  });

  it('runs each statement on one thread while reads queue, and on all of them after', async () => {
    store = await open();
    const full = await threads();
    expect(full).toBeGreaterThan(1); // this machine has two cores or more
    store.setReadsCrowded(true);
    await expect.poll(threads).toBe(1);
    store.setReadsCrowded(false);
    await expect.poll(threads).toBe(full);
  });

  it('gives disk space back when the store is over LOGPOND_MAX_DISK', async () => {
    const now = Date.now();
    // A small hot tier, sealed after every hour of data as the maintenance timer would.
    store = await open({ now: () => now, hotMaxRows: 10_000 });
    const noisy = (i: number) => `request ${i} ${Math.random().toString(36).repeat(8)}`;
    for (let h = 12; h >= 1; h--) {
      const entries = lines({ source: 'api', count: 20_000, startMs: now - h * HOUR, firstOffset: (12 - h) * 1e7, message: noisy });
      await store.ingest(decoded(batch(entries)));
      await store.maintain();
    }
    const sealedBytes = store.segments.bytes;
    await store.close();
    const full = await bytesUnder(dir);
    expect(sealedBytes).toBeGreaterThan(full / 2); // most of the disk is in droppable segments

    const limit = Math.floor(full - sealedBytes / 2);
    store = await open({ now: () => now, maxDiskBytes: limit });
    const report = await store.maintain();
    await store.close();
    store = undefined;
    const after = await bytesUnder(dir);
    expect(report.droppedSegments).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(limit);

    store = await open({ now: () => now });
    const { entries, oldest } = await store.stats();
    expect(entries).toBeLessThan(240_000);
    expect(entries).toBeGreaterThan(0);
    expect(Date.parse(oldest!)).toBeGreaterThan(now - 12 * HOUR);
  });

  it('drops data older than LOGPOND_RETENTION', async () => {
    const now = Date.now();
    store = await open({ now: () => now, retentionMs: 3 * HOUR });
    for (let h = 6; h >= 1; h--) {
      await store.ingest(decoded(batch(lines({ source: 'api', count: 100, startMs: now - h * HOUR, firstOffset: (6 - h) * 1e6 }))));
    }
    await store.maintain();
    const { oldest, entries } = await store.stats();
    expect(Date.parse(oldest!)).toBeGreaterThanOrEqual(now - 4 * HOUR);
    expect(entries).toBeLessThanOrEqual(400);
    expect(entries).toBeGreaterThanOrEqual(200);
  });
});

describe('LogStore forgetting sources', () => {
  it('forgets a source once retention has dropped all its lines, and stores it anew when it logs again', async () => {
    const now = Date.now();
    store = await open({ now: () => now, retentionMs: 3 * HOUR });
    const job = sourceMeta('nightly-job', { labels: { 'batch.kubernetes.io/job-name': 'nightly' } });
    await store.ingest(decoded(batch(lines({ source: 'nightly-job', file: '1:job', count: 10, startMs: now - 6 * HOUR }), [job])));
    await store.ingest(decoded(batch(lines({ source: 'api', file: '2:api', count: 10, startMs: now - HOUR }))));
    expect((await store.stats()).sources).toBe(2);
    await store.maintain();
    // Nothing stored names the job's pod any more: not counted, and its label key not suggested.
    expect((await store.stats()).sources).toBe(1);
    expect(store.knownSources.labelKeys()).toEqual(['app.kubernetes.io/name']);
    // It runs again: its lines are stored with its metadata.
    await store.ingest(decoded(batch(lines({ source: 'nightly-job', file: '1:job', count: 5, startMs: now, firstOffset: 10_000 }), [job])));
    await store.maintain();
    const rows = await queryEntries(store, (entries) => `SELECT s.pod, count(*) AS n FROM ${entries} e LEFT JOIN sources s ON s.id = e.source_id GROUP BY ALL ORDER BY 1`);
    expect(rows).toEqual([
      { pod: 'api-7d9f8b6c5-x2k4p', n: 10n },
      { pod: 'nightly-job-7d9f8b6c5-x2k4p', n: 5n },
    ]);
    expect(store.knownSources.labelKeys()).toContain('batch.kubernetes.io/job-name');
  });
});

describe('LogStore settling a backfill', () => {
  /** One line at each of the given hours ago, from `file`, offsets growing with time. */
  function hourly(file: string, hoursAgo: number[], now: number) {
    return hoursAgo.map((h) => ({ ...lines({ source: 'api', file, count: 1, startMs: now - h * HOUR, firstOffset: (1000 - h) * 100 })[0] }));
  }
  /** `count` lines of one file, spread round-robin over the `hours` hours before `now`. */
  function interleavedHours(now: number, count: number, hours: number) {
    const entries = lines({ source: 'api', file: '1:a', count, startMs: 0 });
    entries.forEach((e, i) => (e.ts = new Date(now - (1 + (i % hours)) * HOUR + i).toISOString()));
    return entries;
  }
  const settledHours = (s: LogStore) => {
    const byHour = new Map<bigint, { files: number; indexed: boolean }>();
    for (const seg of s.segments.list()) {
      const hour = byHour.get(seg.partitionStart) ?? { files: 0, indexed: true };
      byHour.set(seg.partitionStart, { files: hour.files + 1, indexed: hour.indexed && seg.indexed });
    }
    return [...byHour.values()].filter((h) => h.files === 1 && h.indexed).length;
  };
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => to - i);

  it('settles each hour once every file being read has moved past it, not once the clock has', async () => {
    let now = Date.parse('2026-12-05T12:30:00Z');
    store = await open({ now: () => now });
    // Two files read at once: `a` has reached the last hour, `b` is a day behind.
    await store.ingest(decoded(batch([...hourly('1:a', range(1, 48), now), ...hourly('1:b', range(24, 48), now)])));
    const first = await store.maintain();
    // Hours before b's front are complete (b will send no more for them); later ones are not.
    expect(first.settled).toBe(24);
    expect(first.unsettled).toBe(0);
    expect(settledHours(store)).toBe(24);
    expect((await store.stats()).settling).toEqual({ hours: 24, settled: 24 });

    // b catches up: every hour but the one both fronts are in is complete.
    await store.ingest(decoded(batch(hourly('1:b', range(1, 23), now))));
    expect((await store.maintain()).settled).toBe(23);
    expect(settledHours(store)).toBe(47);
    expect((await store.stats()).settling).toEqual({ hours: 47, settled: 47 });

    // Both files go quiet: they no longer hold the last hour open.
    now += ACTIVE_FILE_MS + 1_000;
    expect((await store.maintain()).settled).toBe(1);
    expect((await store.stats()).settling).toEqual({ hours: 48, settled: 48 });
    expect((await store.stats()).entries).toBe(48 + 48);
  });

  /** A store whose last 24 hours are sealed but not settled (a file a day behind held them open). */
  async function withUnsettledHours(settleReadYield?: StoreOptions['settleReadYield']): Promise<{ s: LogStore; connections: () => number }> {
    const now = Date.parse('2026-12-05T12:30:00Z');
    const s = await open({ now: () => now, settleReadYield });
    await s.ingest(decoded(batch([...hourly('1:a', range(1, 48), now), ...hourly('1:b', range(24, 48), now)])));
    await s.maintain();
    expect(settledHours(s)).toBe(24);
    const used = new Set<unknown>();
    // Which of the settling connections each hour is merged on (merge's fourth argument).
    const segments = s.segments as unknown as { merge: (...args: unknown[]) => Promise<unknown> };
    const merge = segments.merge.bind(segments);
    segments.merge = (...args) => {
      used.add(args[3]);
      return merge(...args);
    };
    return { s, connections: () => used.size };
  }

  it('settles complete hours on every worker it is given while no read runs', async () => {
    const { s, connections } = await withUnsettledHours();
    store = s;
    expect(await s.segments.settle(2n ** 62n, 2n ** 62n, Infinity, 2)).toBe(24);
    expect(connections()).toBe(2);
  });

  it('starts no hour while a read runs or has just ended, so a burst of reads after a backfill has the cores, then settles on every worker', async () => {
    const { s, connections } = await withUnsettledHours({ graceMs: 300, limitMs: 60_000 });
    store = s;
    const letGo = s.segments.retirement.hold();
    const settling = s.segments.settle(2n ** 62n, 2n ** 62n, Infinity, 2, true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(settledHours(s)).toBe(24);
    letGo();
    const ended = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(settledHours(s)).toBe(24); // the grace after the last read
    expect(await settling).toBe(24);
    expect(Date.now() - ended).toBeGreaterThanOrEqual(300);
    expect(connections()).toBe(2);
    expect(settledHours(s)).toBe(48);
  });

  it('settles on its first worker only while reads never stop, one hour each time it has waited its limit', async () => {
    const { s, connections } = await withUnsettledHours({ graceMs: 300, limitMs: 10 });
    store = s;
    const letGo = s.segments.retirement.hold();
    try {
      expect(await s.segments.settle(2n ** 62n, 2n ** 62n, Infinity, 2, true)).toBe(24);
    } finally {
      letGo();
    }
    expect(connections()).toBe(1);
    expect(settledHours(s)).toBe(48);
  });

  it('holds ingest while a seal runs and the hot table is twice its size, so memory stays bounded', async () => {
    const now = Date.parse('2026-12-05T12:30:00Z');
    const max = 1_000;
    store = await open({ now: () => now, hotMaxRows: max });
    // Each batch spans two days, so each seal writes a file for every hour: slow beside ingest.
    let most = 0;
    for (let b = 0; b < 40; b++) {
      const entries = Array.from({ length: 500 }, (_, i) => ({ ...lines({ source: 'api', file: `1:${i % 10}`, count: 1, startMs: now - 48 * HOUR + ((i * 97) % 48) * HOUR + b * 1000 })[0], offset: (b * 500 + i) * 100 }));
      await store.ingest(decoded(batch(entries)));
      most = Math.max(most, (await store.stats()).hotEntries);
    }
    // The table being sealed, and the one filling, each at most twice a seal's size and a batch.
    expect(most).toBeLessThanOrEqual(2 * (2 * max + 500));
    await store.maintain();
    expect((await store.stats()).entries).toBe(40 * 500);
  });

  it('seals a hot table bigger than a partitioned write buffers into one file an hour', async () => {
    const now = Date.parse('2026-12-05T12:30:00Z');
    store = await open({ now: () => now });
    // Hours interleaved, as a backfill's batches hold them: every chunk DuckDB buffers has each hour.
    await store.ingest(decoded(batch(interleavedHours(now, 5_000, 12))));
    // A PARTITION_BY write flushes what it buffered every so many rows (524,288 by default: a
    // batch of 100,000 admitted beside a busy seal passes it), and keeps so many files open (100,
    // fewer than a week's hours): an hour whose file was closed gets another at the next flush.
    const connection = await store.connect();
    await connection.run('SET GLOBAL partitioned_write_flush_threshold = 1000');
    await connection.run('SET GLOBAL partitioned_write_max_open_files = 4');
    connection.closeSync();
    const report = await store.maintain();
    expect(report.sealed).toBe(5_000);
    expect(settledHours(store)).toBe(11); // the last hour is still being read
    expect((await messages(store)).length).toBe(5_000);
  });

  it('keeps every row when one hour of a seal cannot be placed, leaves no file the catalog does not name, and seals once it can', async () => {
    const now = Date.parse('2026-12-05T12:30:00Z');
    store = await open({ now: () => now });
    await store.ingest(decoded(batch(interleavedHours(now, 1_200, 40))));
    // A file where one hour's directory belongs: that hour's file cannot be moved into place.
    const segmentsDir = path.join(dir, 'segments');
    const blocked = path.join(segmentsDir, new Date(now - 20 * HOUR).toISOString().slice(0, 13));
    await fs.mkdir(segmentsDir, { recursive: true });
    await fs.writeFile(blocked, 'not a directory');
    await expect(store.maintain()).rejects.toThrow();
    expect((await messages(store)).length).toBe(1_200);
    expect(await parquetFilesUnder(segmentsDir)).toEqual(catalogued(store));

    // The rows wait in their table, with its journal, for its next seal: after the other table's.
    await fs.rm(blocked);
    await store.ingest(decoded(batch(lines({ source: 'api', file: '1:a', count: 1, startMs: now - HOUR, firstOffset: 1_000_000 }))));
    for (let i = 0; i < 3 && store.segments.rows < 1_201; i++) await store.maintain();
    expect(store.segments.rows).toBe(1_201);
    expect((await messages(store)).length).toBe(1_201);
    expect(await parquetFilesUnder(segmentsDir)).toEqual(catalogued(store));
  });

  it('settles an hour again when a late line lands in it, and loses nothing', async () => {
    const now = Date.parse('2026-12-05T12:30:00Z');
    store = await open({ now: () => now });
    await store.ingest(decoded(batch(hourly('1:a', range(1, 6), now))));
    await store.maintain();
    expect(settledHours(store)).toBe(5);
    // A file that was not being read turns up with a line of a settled hour (and one of the last).
    await store.ingest(decoded(batch(hourly('1:late', [4, 1], now))));
    const report = await store.maintain();
    expect(report.sealed).toBe(2);
    expect(report.settled).toBe(1);
    expect(settledHours(store)).toBe(5);
    expect((await messages(store)).length).toBe(8);
  });
});

describe('LogStore shutdown', () => {
  it('refuses batches once closing, with a status a collector retries', async () => {
    const s = await open();
    await s.close();
    await expect(s.ingest(decoded(batch(lines({ source: 'api', count: 1, startMs: Date.now() }))))).rejects.toMatchObject({
      status: 503,
    });
  });
});
