// Queries over one very long line (issue 18): a wildcard must not backtrack inside the row, where
// the query timeout cannot interrupt it. Timings here are generous bounds on "it answered at all",
// not measurements: a regression hangs for minutes.
import type { LogStorage } from '../store/log-storage';
import { ENGINES, openTestStorage } from '../testing/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, decoded, lines } from '../testing/batches';
import { tempDir } from '../testing/temp-dir';
import { ReadApi } from './read-api';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const TIMEOUT_MS = 3_000;
/** Beyond the timeout: time for the interrupt to land and the snapshot to close on a busy machine. */
const MARGIN_MS = 5_000;
const UNIT = 'GET /api/orders?id=123 200 12ms ';
const LONG_LINE = UNIT.repeat(Math.ceil((256 * 1024) / UNIT.length)).slice(0, 256 * 1024);

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let api: ReadApi;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { now: () => T0 + 60_000, queryTimeoutMs: TIMEOUT_MS });
    const messages = [LONG_LINE, 'GET /api/orders?id=7 timeout after 30s', 'short line'];
    await store.ingest(decoded(batch(lines({ source: 'web', count: messages.length, startMs: T0, message: (i) => messages[i] }))));
    api = new ReadApi(store);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  const params = (q: string) => new URLSearchParams({ q, from: String(T0), to: String(T0 + 60_000) });

  /** The read's outcome, or 'no answer' when it took past the timeout and the margin. */
  async function answered<T>(read: Promise<T>): Promise<T | Error | 'no answer'> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'no answer'>((resolve) => (timer = setTimeout(() => resolve('no answer'), TIMEOUT_MS + MARGIN_MS)));
    try {
      return await Promise.race([read.catch((err: Error) => err), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  describe('wildcards over a 256 KiB line', () => {
    it('answers get*id*timeout (no line holds all three in order past the long one)', async () => {
      const page = await answered(api.search(params('get*id*timeout')));
      expect(page).not.toBe('no answer');
      expect(page).not.toBeInstanceOf(Error);
      expect((page as { hits: { message: string }[] }).hits.map((h) => h.message)).toEqual(['GET /api/orders?id=7 timeout after 30s']);
    });

    it('answers the histogram of a three-part wildcard, then the store answers a plain search', async () => {
      const histogram = await answered(api.histogram(params('get*orders*timeout')));
      expect(histogram).toMatchObject({ total: 1 });
      const page = await answered(api.search(params('short')));
      expect((page as { hits: { message: string }[] }).hits.map((h) => h.message)).toEqual(['short line']);
    });

    it('still matches the long line by a wildcard that fits it, case-insensitively', async () => {
      const page = await answered(api.search(params('get*ID=123*12ms')));
      expect((page as { hits: { message: string }[] }).hits.map((h) => h.message.length)).toEqual([LONG_LINE.length]);
    });

    it('answers a field wildcard and a regex with .* over the long line', async () => {
      const field = await answered(api.search(params('message:get*id*timeout')));
      expect((field as { hits: unknown[] }).hits).toHaveLength(1);
      const regex = await answered(api.search(params('message:/GET.*id.*nothing/')));
      expect((regex as { hits: unknown[] }).hits).toEqual([]);
    });
  });
});
