import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batch, decoded, lines } from '../../testing/batches';
import { tempDir } from '../../testing/temp-dir';
import { FileRetirement } from './file-retirement';
import { LogStore, type StoreOptions } from './log-store';
import { tokensOf } from './segments';
import { replayJournalRecord } from '../../ingest/journal-replay';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

async function files(...names: string[]): Promise<string[]> {
  const paths = names.map((name) => path.join(dir, name));
  for (const file of paths) await fs.writeFile(file, 'x'.repeat(10));
  return paths;
}

const exists = (file: string) => fs.access(file).then(() => true, () => false);

describe('FileRetirement', () => {
  it('removes a retired file at once when no read runs', async () => {
    const retirement = new FileRetirement();
    const [a] = await files('a');
    await retirement.retire([a]);
    expect(await exists(a)).toBe(false);
    expect(retirement.heldBytes).toBe(0);
  });

  it('keeps a file while a read that began before its retirement runs, and only such a read', async () => {
    const retirement = new FileRetirement();
    const [a, b] = await files('a', 'b');
    const first = retirement.hold();
    await retirement.retire([a]);
    const second = retirement.hold(); // began after `a` left: cannot name it
    await retirement.retire([b]);
    expect([await exists(a), await exists(b)]).toEqual([true, true]);
    expect(retirement.heldBytes).toBe(20);

    first();
    await retirement.settled();
    expect([await exists(a), await exists(b)]).toEqual([false, true]);
    expect(retirement.heldBytes).toBe(10);
    first(); // a second call changes nothing
    second();
    await retirement.settled();
    expect(await exists(b)).toBe(false);
    expect(retirement.heldBytes).toBe(0);
  });

});

const HOUR = 3_600_000;
/** Noon of a past day: the hours before it are of that day, so five of them fold into a day file. */
const NOON = Date.parse('2026-12-02T12:00:00Z');

function open(dataDir: string, options: Partial<StoreOptions> = {}) {
  return LogStore.open({ replay: replayJournalRecord, dataDir, retentionMs: null, maxDiskBytes: null, background: false, now: () => NOON, ...options });
}

/**
 * Hours before NOON, each sealed into one file of its own that no round has settled yet: each
 * from a file of its own, as a collector reads files side by side, so the oldest holds the rest
 * open (IngestFronts) until the store restarts.
 */
async function unsettledHours(dataDir: string, hours: number, perHour: number): Promise<void> {
  const store = await open(dataDir);
  for (let h = hours; h >= 1; h--) {
    const message = (i: number) => `request ${i} ${Math.random().toString(36).repeat(4)}`;
    await store.ingest(decoded(batch(lines({ source: 'api', file: `1:${h}`, count: perHour, startMs: NOON - h * HOUR, message }))));
  }
  await store.maintain();
  await store.close(); // the next start finds these hours quiet, so its first round rewrites them
}

/** Files under the segments directory, relative to it. */
async function segmentFiles(dataDir: string): Promise<string[]> {
  const root = path.join(dataDir, 'segments');
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

const catalogued = (store: LogStore) => [...new Set(store.segments.list().flatMap((s) => [s.path, ...(s.indexed ? [tokensOf(s)] : [])]))].sort();

describe('LogStore with files retired under a running read', () => {
  it('drops no partition for the bytes of files a running read holds', async () => {
    await unsettledHours(dir, 6, 10_000);
    // The same round on a copy, with no read running, says what the store takes once it is over.
    const { dir: twinDir, cleanup: removeTwin } = await tempDir();
    let settled: number;
    let unsettled: number;
    try {
      await fs.cp(dir, twinDir, { recursive: true });
      const twin = await open(twinDir);
      unsettled = twin.segments.bytes;
      expect((await twin.maintain()).settled).toBe(6);
      settled = await twin.diskBytes();
      await twin.close();
    } finally {
      await removeTwin();
    }
    // Room for the store once the rewritten files are gone, not while a read holds them.
    const limit = settled + Math.floor(unsettled / 2);
    const store = await open(dir, { maxDiskBytes: limit });
    try {
      const letGo = store.segments.retirement.hold();
      const report = await store.maintain();
      expect(report.settled).toBe(6);
      expect(report.droppedSegments).toBe(0);
      // The old files, and the token files the round wrote and then folded into a day file.
      expect(store.segments.retirement.heldBytes).toBeGreaterThan(unsettled);
      expect(await store.diskBytes()).toBeGreaterThan(limit);
      letGo();
      await store.segments.retirement.settled();
      expect(store.segments.retirement.heldBytes).toBe(0);
      expect(await store.diskBytes()).toBeLessThanOrEqual(limit);
      expect(await segmentFiles(dir)).toEqual(catalogued(store));
    } finally {
      await store.close();
    }
  });

  it('leaves no retired file behind when the process ends while a read holds it', async () => {
    await unsettledHours(dir, 5, 100);
    const store = await open(dir);
    const { dir: crashed, cleanup: removeCrashed } = await tempDir();
    try {
      const letGo = store.segments.retirement.hold();
      // Rewrites the five hours (their old files retired), then folds their five own token
      // files into a day file (those retired too).
      const report = await store.maintain();
      expect([report.settled, report.shared]).toEqual([5, 5]);
      // The disk as a crash at this instant leaves it.
      await fs.cp(dir, crashed, { recursive: true });
      letGo();
      const retired = (await segmentFiles(crashed)).filter((f) => !catalogued(store).includes(f));
      expect(retired.filter((f) => f.endsWith('.parquet'))).toHaveLength(5);
      expect(retired.filter((f) => f.endsWith('.tokens-v4'))).toHaveLength(5);

      const reopened = await open(crashed);
      try {
        expect(await segmentFiles(crashed)).toEqual(catalogued(reopened));
        expect((await reopened.stats()).entries).toBe(500);
      } finally {
        await reopened.close();
      }
    } finally {
      await store.close();
      await removeCrashed();
    }
  });
});
