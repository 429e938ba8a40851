// The token skip index must never lose a match: every free-text count with the index equals the
// count a plain scan of the same lines gives, while a rare word reads only a few blocks.
import { DuckDbStorage } from './duckdb-storage';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from './compile';
import { parseQuery } from '../../query/parse';
import { LogStore } from './log-store';
import { lookupKeys, TOKEN_FILE_SUFFIX, tokenKeys } from './token-index';
import { batch, decoded, lines, sourceMeta } from '../../testing/batches';
import { tempDir } from '../../testing/temp-dir';
import { ReadApi } from '../../read/read-api';
import { scanOf } from './scan';
import { Reader } from './snapshot';
import { replayJournalRecord } from '../../ingest/journal-replay';

describe('tokenKeys', () => {
  it.each([
    ['timeout', []],
    ['req-7F3A', [{ token: '7f3a', match: 'prefix' }]],
    ['a b c', [{ token: 'b', match: 'exact' }, { token: 'c', match: 'prefix' }]],
    ['x=1 ', [{ token: '1', match: 'exact' }]],
    [' leading', [{ token: 'leading', match: 'prefix' }]],
    ['--', []],
    ['café au lait', []],
    [`id ${'z'.repeat(70)}`, [{ token: 'z'.repeat(70), match: 'prefix' }]],
    [`id ${'z'.repeat(130)}`, [{ token: 'z'.repeat(128), match: 'exact' }]],
  ])('%s', (text, keys) => {
    expect(tokenKeys(text)).toEqual(keys);
  });

  it('looks up the longest tokens first', () => {
    expect(lookupKeys(['connection refused to db'])).toEqual([
      { token: 'refused', match: 'exact' },
      { token: 'to', match: 'exact' },
      { token: 'db', match: 'prefix' },
    ]);
    expect(lookupKeys(['abc'])).toEqual([]);
  });
});

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'req-7f3a9c', 'user=42', 'Timeout', 'x'.repeat(80), `k=${'y'.repeat(140)}`, 'ab12cd', 'id:9f', 'ΣΦ', 'a.b.c'];
let store: LogStore;
let api: ReadApi;
let cleanup: () => Promise<void>;
const messages: string[] = [];
const T0 = Date.parse('2026-11-20T00:00:00Z');
let clock = Date.now();

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  // The clock moves an hour per batch, so each sealed hour turns quiet and is merged and indexed.
  store = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false, now: () => clock });
  // 40,000 lines over 4 hours: several blocks per segment; one rare id in 3 lines; the last
  // batch stays hot (not indexed) and must still be found.
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let b = 0; b < 5; b++) {
    const count = 8_000;
    const entries = lines({
      source: 'app',
      file: 'app:1',
      firstOffset: b * count * 100,
      count,
      startMs: 0,
      message: (i) => {
        const n = b * count + i;
        const words = Array.from({ length: 3 + Math.floor(random() * 4) }, () => WORDS[Math.floor(random() * WORDS.length)]);
        if (n === 1234 || n === 20_000 || n === 39_999) words.push('request_id=req-RARE0001');
        return `${n} ${words.join(random() < 0.5 ? ' ' : ',')}`;
      },
    });
    entries.forEach((e, i) => (e.ts = new Date(T0 + (b * count + i) * 360).toISOString()));
    messages.push(...entries.map((e) => e.message));
    await store.ingest(decoded(batch(entries, [sourceMeta('app')])));
    if (b < 4) {
      await store.maintain(); // seals
      clock += 3_600_000;
      await store.maintain(); // the hour is quiet now: merged or indexed as it stands
    }
  }
  api = new ReadApi(new DuckDbStorage(store, new Reader(store, 60_000)));
});
afterAll(async () => {
  await store.close();
  await cleanup();
});

const range = { from: String(T0), to: String(T0 + 5 * 3_600_000) };
const expected = (text: string) => messages.filter((m) => m.toLowerCase().includes(text.toLowerCase())).length;
const quote = (text: string) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;

describe('free text with the token index', () => {
  it('counts exactly what a scan counts', async () => {
    for (const text of [`=${'y'.repeat(135)}`, `=${'y'.repeat(20)}`, 'req-rare0001', 'RARE0001', 'rare', 'id=req', '=req-rare0001', 'beta gamma', 'beta,gamma', 'user=4', '=42', 'x'.repeat(70), 'xx', 'a.b', '9f', 'ΣΦ', 'eout', 'req-7f3a9c ab12']) {
      const h = await api.histogram(new URLSearchParams({ ...range, q: quote(text) }));
      expect(h.total, text).toBe(expected(text));
    }
  });

  it('property: any substring of a stored line is found as often as a scan finds it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: messages.length - 1 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 20 }), async (line, start, length) => {
        const text = messages[line].slice(start, start + length);
        fc.pre(text.trim().length > 0);
        const h = await api.histogram(new URLSearchParams({ ...range, q: quote(text) }));
        expect(h.total, text).toBe(expected(text));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a day old enough in one shared token file, refolded as segments arrive', () => {
    const files = new Set(store.segments.list().map((s) => s.tokenFile));
    expect(files.size).toBe(1);
    expect([...files][0]).toMatch(/^tokens\/2026-11-20-/);
  });

  it('reads only the blocks a rare word can be in', async () => {
    const filter = compileQuery(parseQuery('"request_id=req-RARE0001"'));
    const scan = await (api.storage as DuckDbStorage).reader.read((snapshot) => scanOf(snapshot, { fromUs: BigInt(T0) * 1000n, toUs: BigInt(T0 + 5 * 3_600_000) * 1000n }, filter));
    expect(scan.params.paths).toBeUndefined(); // no segment read whole
    expect(Object.keys(scan.params).filter((k) => /^b\d+$/.test(k))).toEqual([]); // nor by block
    // Only the exact times of the two indexed matches (the third is hot) are read.
    const times = Object.keys(scan.params).filter((k) => /^t\d+$/.test(k));
    expect(times).toHaveLength(2);
    expect(scan.from).toContain('ts IN ($t0, $t1)');
    const page = await api.search(new URLSearchParams({ ...range, q: '"request_id=req-RARE0001"' }));
    expect(page.hits.map((h) => h.message.split(' ')[0])).toEqual(['39999', '20000', '1234']);
  });

  it('reads a word too frequent for its times by the blocks it is in', async () => {
    // "gamma" is in about a third of all lines: far more than the index lists times for.
    const filter = compileQuery(parseQuery('"gamma delta"'));
    const scan = await (api.storage as DuckDbStorage).reader.read((snapshot) => scanOf(snapshot, { fromUs: BigInt(T0) * 1000n, toUs: BigInt(T0 + 5 * 3_600_000) * 1000n }, filter));
    expect(Object.keys(scan.params).filter((k) => /^t\d+$/.test(k))).toEqual([]);
    expect(Object.keys(scan.params).filter((k) => /^b\d+$/.test(k)).length + (scan.params.paths ? 1 : 0)).toBeGreaterThan(0);
    expect((await api.histogram(new URLSearchParams({ ...range, q: '"gamma delta"' }))).total).toBe(expected('gamma delta'));
  });

  it('does not trust token files of an older index version, and indexes those segments again', async () => {
    const dir = store.segments.directory;
    const files = (await fs.readdir(dir, { recursive: true })).filter((f) => f.endsWith(TOKEN_FILE_SUFFIX));
    expect(files.length).toBeGreaterThan(0);
    await store.close();
    // What an older version left: the same files under its suffix, the catalog naming them.
    const old = (f: string) => f.replace(TOKEN_FILE_SUFFIX, '.tokens-v1');
    for (const f of files) await fs.rename(path.join(dir, f), path.join(dir, old(f)));
    const database = await DuckDBInstance.create(path.join(path.dirname(dir), 'logpond.duckdb'));
    const connection = await database.connect();
    await connection.run(`UPDATE segments SET token_file = replace(token_file, $now, '.tokens-v1')`, { now: TOKEN_FILE_SUFFIX });
    connection.closeSync();
    database.closeSync();

    store = await LogStore.open({ replay: replayJournalRecord, dataDir: path.dirname(dir), retentionMs: null, maxDiskBytes: null, background: false, now: () => clock });
    api = new ReadApi(new DuckDbStorage(store, new Reader(store, 60_000)));
    expect(store.segments.list().filter((s) => s.indexed)).toHaveLength(0);
    expect((await fs.readdir(dir, { recursive: true })).filter((f) => f.includes('.tokens-v1'))).toEqual([]); // removed
    const q = new URLSearchParams({ ...range, q: '"request_id=req-RARE0001"' });
    expect((await api.histogram(q)).total).toBe(3);
    clock += 3_600_000;
    await store.maintain();
    expect(store.segments.list().every((s) => s.indexed)).toBe(true);
    expect((await api.histogram(q)).total).toBe(3);
  });

  it('indexes segments whose token file is missing, and meanwhile reads them whole', async () => {
    const dir = store.segments.directory;
    const files = (await fs.readdir(dir, { recursive: true })).filter((f) => f.endsWith(TOKEN_FILE_SUFFIX));
    expect(files.length).toBeGreaterThan(0);
    await store.close();
    for (const f of files) await fs.rm(path.join(dir, f));
    store = await LogStore.open({ replay: replayJournalRecord, dataDir: path.dirname(dir), retentionMs: null, maxDiskBytes: null, background: false, now: () => clock });
    api = new ReadApi(new DuckDbStorage(store, new Reader(store, 60_000)));
    const unindexed = store.segments.list().filter((s) => !s.indexed).length;
    expect(unindexed).toBeGreaterThan(0);
    expect(store.segments.list().filter((s) => s.indexed)).toHaveLength(0);
    const q = new URLSearchParams({ ...range, q: '"request_id=req-RARE0001"' });
    expect((await api.histogram(q)).total).toBe(3);
    clock += 3_600_000;
    const report = await store.maintain();
    expect(report.settled).toBeGreaterThan(0);
    expect(store.segments.list().every((s) => s.indexed)).toBe(true);
    expect((await api.histogram(q)).total).toBe(3);
  });
});
