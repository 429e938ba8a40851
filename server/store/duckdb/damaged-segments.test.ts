// A damaged file in the store: a segment cut short or zeroed by a disk error or a bad restore, one
// deleted from under the server, a token file that no longer parses. One such file must cost the
// user its own lines and nothing else: every read over the other hours answers, the file is set
// aside where an operator can look at it, and the store says so.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamagedSegments } from './damaged-segments';
import { DuckDbStorage } from './duckdb-storage';
import { LogStore } from './log-store';
import { tokensOf } from './segments';
import { batch, decoded, lines, sourceMeta } from '../../testing/batches';
import { tempDir } from '../../testing/temp-dir';
import { ReadApi } from '../../read/read-api';
import { Reader } from './snapshot';
import { replayJournalRecord } from '../../ingest/journal-replay';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T06:00:00Z');
const HOURS = 3;
const PER_HOUR = 600;
/** Every tenth line of an hour has an error; one line an hour has its own request id. */
const ERRORS_PER_HOUR = PER_HOUR / 10;

let dir: string;
let cleanup: () => Promise<void>;
let store: LogStore;
let api: ReadApi;
let clock = T0;

function open(): Promise<LogStore> {
  return LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false, now: () => clock });
}

function useStore(opened: LogStore): void {
  store = opened;
  api = new ReadApi(new DuckDbStorage(store, new Reader(store, 60_000)));
}

/** PER_HOUR lines in each of `hours`, from the same file, offsets continuing hour after hour. */
async function ingestHours(hours: number[]): Promise<void> {
  for (const h of hours) {
    const entries = lines({
      source: 'api',
      file: 'api:1',
      firstOffset: h * PER_HOUR * 100,
      count: PER_HOUR,
      startMs: 0,
      message: (i) => (i % 10 === 3 ? `ERROR payment declined request_id=req-h${h}-${i}` : i === 7 ? `INFO handled request_id=req-only-${h}x` : `INFO handled request ${i}`),
    });
    entries.forEach((e, i) => (e.ts = new Date(T0 + h * HOUR + i * 1000).toISOString()));
    await store.ingest(decoded(batch(entries, [sourceMeta('api')])));
  }
}

const week = { from: String(T0 - HOUR), to: String(T0 + (HOURS + 1) * HOUR) };

/** The catalogued file of hour `h` (absolute). */
function fileOfHour(h: number): string {
  const start = BigInt(T0 + h * HOUR) * 1000n;
  const segment = store.segments.list().find((s) => s.partitionStart === start);
  if (!segment) throw new Error(`no segment for hour ${h}`);
  return path.join(store.segments.directory, segment.path);
}

async function filesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(root, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) found.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  }
  return found.sort();
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  clock = T0 + HOURS * HOUR;
  useStore(await open());
});
afterEach(async () => {
  await store.close();
  await cleanup();
});

/** All hours sealed, sorted and indexed. */
async function settleAll(): Promise<void> {
  await store.maintain();
  clock += 2 * HOUR;
  await store.maintain();
  expect(store.segments.list().every((s) => s.indexed)).toBe(true);
}

describe('a damaged segment', () => {
  it('costs its own lines only: every route answers from the other hours, and the file is set aside and reported', async () => {
    await ingestHours([0, 1, 2]);
    await settleAll();
    const damaged = fileOfHour(1);
    await fs.truncate(damaged, 100); // what a disk error or a copy cut short leaves

    const errors = await api.histogram(new URLSearchParams({ ...week, q: 'error' }));
    expect(errors.total).toBe(2 * ERRORS_PER_HOUR);
    const page = await api.search(new URLSearchParams({ ...week, q: 'declined', limit: '1000' }));
    expect(page.hits).toHaveLength(2 * ERRORS_PER_HOUR);
    // The counts from rollups leave the hour out too, so a histogram and its hits agree.
    expect((await api.histogram(new URLSearchParams(week))).total).toBe(2 * PER_HOUR);
    expect((await api.fields(new URLSearchParams(week))).total).toBe(2 * PER_HOUR);

    const stats = await store.stats();
    expect(stats.entries).toBe(2 * PER_HOUR);
    expect(stats.damaged).toMatchObject({ files: 1, entries: PER_HOUR, directory: path.join(dir, 'damaged') });
    // Kept for an operator, out of the store's way.
    expect(await filesUnder(path.join(dir, 'damaged'))).toEqual([path.relative(store.segments.directory, damaged)]);
    await expect(fs.stat(damaged)).rejects.toThrow(/ENOENT/);

    // Reported after a restart too, and still not read.
    await store.close();
    useStore(await open());
    expect((await store.stats()).damaged).toMatchObject({ files: 1, entries: PER_HOUR });
    expect((await api.histogram(new URLSearchParams({ ...week, q: 'error' }))).total).toBe(2 * ERRORS_PER_HOUR);
  });

  it('is found by a rare word read through the token index, and by a zeroed file', async () => {
    await ingestHours([0, 1, 2]);
    await settleAll();
    const damaged = fileOfHour(2);
    await fs.writeFile(damaged, Buffer.alloc((await fs.stat(damaged)).size));

    const hits = await api.search(new URLSearchParams({ ...week, q: '"req-only-"', limit: '10' }));
    expect(hits.hits.map((h) => h.message)).toEqual(['INFO handled request_id=req-only-1x', 'INFO handled request_id=req-only-0x']);
    expect((await store.stats()).damaged).toMatchObject({ files: 1, entries: PER_HOUR });
  });

  it('is found among the files a read named when its error names none, and a sound file is read whole once', async () => {
    await ingestHours([0, 1, 2]);
    await settleAll();
    await fs.truncate(fileOfHour(1), 100);
    const scope = { segments: store.segments.list(), tokenFiles: [] };
    // A check of its own, counting the files it reads whole.
    let filesRead = 0;
    const damage = new DamagedSegments(
      store.segments,
      async () => {
        const connection = await store.connect();
        const run = connection.runAndReadAll.bind(connection);
        connection.runAndReadAll = (sql, values) => {
          if (sql.includes('read_parquet($file)')) filesRead++;
          return run(sql, values);
        };
        return connection;
      },
      path.join(dir, 'damaged'),
    );
    // What DuckDB says of a footer that no longer parses: no file named.
    const unnamed = new Error("Invalid Error: don't know what type: ");
    expect(await damage.check(unnamed, scope)).toBe(true);
    expect(filesRead).toBe(3);
    expect(store.segments.list()).toHaveLength(2);
    expect((await store.stats()).damaged).toMatchObject({ files: 1, entries: PER_HOUR });
    // The two sound files are not read again for the next such error: nothing changes.
    expect(await damage.check(unnamed, { segments: store.segments.list(), tokenFiles: [] })).toBe(false);
    expect(filesRead).toBe(3);
  });

  it('is not condemned on an error alone: a sound file named by one stays, as does one the machine could not open', async () => {
    await ingestHours([0, 1, 2]);
    await settleAll();
    const file = fileOfHour(1);
    const scope = { segments: store.segments.list(), tokenFiles: [] };
    expect(await store.damage.check(new Error(`IO Error: Cannot open file "${file}": Too many open files`), scope)).toBe(false);
    expect(await store.damage.check(new Error(`Invalid Input Error: No magic bytes found at end of file '${file}'`), scope)).toBe(false);
    expect(await store.damage.check(new Error('Invalid Input Error: regex could not be compiled'), scope)).toBe(false);
    expect(store.segments.list()).toHaveLength(3);
    expect((await store.stats()).damaged).toBeUndefined();
    expect((await api.histogram(new URLSearchParams({ ...week, q: 'error' }))).total).toBe(3 * ERRORS_PER_HOUR);
  });

  it('gone from under the store is reported as missing, whether a read or a restart finds it', async () => {
    await ingestHours([0, 1, 2]);
    await settleAll();
    await fs.rm(fileOfHour(0));
    expect((await api.histogram(new URLSearchParams({ ...week, q: 'error' }))).total).toBe(2 * ERRORS_PER_HOUR);
    expect((await store.stats()).damaged).toMatchObject({ files: 1, entries: PER_HOUR });

    await fs.rm(fileOfHour(2));
    await store.close();
    useStore(await open());
    expect((await store.stats()).damaged).toMatchObject({ files: 2, entries: 2 * PER_HOUR });
    expect((await api.histogram(new URLSearchParams(week))).total).toBe(PER_HOUR);
  });

  it('does not stop maintenance: the other hours still settle', async () => {
    await ingestHours([0]);
    await store.maintain(); // sealed into a file of an hour not complete yet
    expect(store.segments.list().some((s) => s.indexed)).toBe(false);
    await fs.truncate(fileOfHour(0), 10);
    await ingestHours([1, 2]);
    await store.maintain(); // hour 0 is complete now, and cannot be read to be settled
    clock += 2 * HOUR;
    await store.maintain();
    expect(store.segments.list()).toHaveLength(2);
    expect(store.segments.list().every((s) => s.indexed)).toBe(true);
    expect((await store.stats()).damaged).toMatchObject({ files: 1, entries: PER_HOUR });
    expect((await api.histogram(new URLSearchParams({ ...week, q: 'error' }))).total).toBe(2 * ERRORS_PER_HOUR);
  });
});

describe('a damaged token file', () => {
  it('costs no line: the search reads the hour whole, and maintenance indexes it again', async () => {
    await ingestHours([0, 1, 2]);
    await settleAll();
    const segment = store.segments.list()[1];
    const tokens = path.join(store.segments.directory, tokensOf(segment));
    await fs.truncate(tokens, 50);

    const hits = await api.search(new URLSearchParams({ ...week, q: '"req-only-"', limit: '10' }));
    expect(hits.hits).toHaveLength(3);
    expect((await store.stats()).damaged).toBeUndefined(); // the lines are all there
    expect(store.segments.list().filter((s) => !s.indexed)).toHaveLength(1);

    await store.maintain();
    expect(store.segments.list().every((s) => s.indexed)).toBe(true);
    expect((await api.search(new URLSearchParams({ ...week, q: '"req-only-"', limit: '10' }))).hits).toHaveLength(3);
  });
});
