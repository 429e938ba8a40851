// Reads while ingest and sealing go on: paging must neither repeat nor skip, tail must deliver
// each new line once, late lines included.
import type { LogStorage } from '../store/log-storage';
import { ENGINES, openTestStorage } from '../testing/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batch, decoded, lines, sourceMeta } from '../testing/batches';
import { tempDir } from '../testing/temp-dir';
import { parseQuery } from '../query/parse';
import { ReadApi } from './read-api';
import { RESUME_BACK_US, tail, type TailEvent } from './tail';

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { hotMaxRows: 1_000 });
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  let offset = 0;
  async function ingest(source: string, tsMs: number[], text = (i: number) => `line ${i}`) {
    const entries = lines({ source, file: `${source}:1`, firstOffset: offset, count: tsMs.length, startMs: 0, message: text });
    entries.forEach((e, i) => (e.ts = new Date(tsMs[i]).toISOString()));
    offset += tsMs.length * 100;
    await store.ingest(decoded(batch(entries, [sourceMeta(source)])));
  }

  describe('paging under concurrent ingest', () => {
    it('shows every line that existed when paging began exactly once, while lines arrive and hot rows are sealed', async () => {
      const base = Date.now() - 3_600_000;
      // Many lines share a timestamp, so ties are broken by the rest of the key.
      await ingest('a', Array.from({ length: 3_000 }, (_, i) => base + Math.floor(i / 3) * 1000));
      await ingest('b', Array.from({ length: 3_000 }, (_, i) => base + Math.floor(i / 3) * 1000));
      await store.maintain();
      await ingest('a', Array.from({ length: 500 }, (_, i) => base + 1_000_000 + i));
      const api = new ReadApi(store);
      const range = { from: String(base), to: String(base + 3_600_000) };
      const before = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<ReadApi['search']>> = await api.search(new URLSearchParams({ ...range, limit: '1000', ...(cursor ? { cursor } : {}) }));
        page.hits.forEach((h) => before.add(h.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(before.size).toBe(6_500);

      const seen: string[] = [];
      let round = 0;
      cursor = null;
      do {
        const page: Awaited<ReturnType<ReadApi['search']>> = await api.search(new URLSearchParams({ ...range, limit: '137', ...(cursor ? { cursor } : {}) }));
        seen.push(...page.hits.map((h) => h.id));
        cursor = page.nextCursor;
        // Between pages: new lines at the newest end, late lines inside the range, and a seal.
        round++;
        await ingest('c', [base + 2_000_000 + round, base + 500_000 + round]);
        if (round % 10 === 0) await store.maintain();
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
    });
  });

  describe('tail', () => {
    it('delivers each new matching line once, late lines too, and stops when the client goes away', async () => {
      const controller = new AbortController();
      const events = tail(store, parseQuery('level:error'), { signal: controller.signal, pollMs: 50 });
      const received: string[] = [];
      const reading = (async () => {
        for await (const event of events) {
          if (!('hits' in event)) throw new Error('a fresh tail skips nothing');
          for (const hit of event.hits) {
            expect(event.sources[hit.source]).toBeDefined();
            received.push(hit.message);
          }
          if (received.length >= 4) controller.abort();
        }
      })();
      const now = Date.now();
      await ingest('a', [now - 60_000], () => 'ERROR too old to tail');
      await ingest('a', [now, now + 1], (i) => (i === 0 ? 'ERROR first' : 'INFO not matching'));
      await new Promise((r) => setTimeout(r, 200));
      await ingest('b', [now + 10], () => 'ERROR second');
      await new Promise((r) => setTimeout(r, 200));
      await ingest('c', [now + 5], () => 'ERROR late but within the window');
      await store.maintain(); // sealed lines still tail
      await ingest('a', [now + 20], () => 'ERROR third');
      await reading;
      expect(received).toEqual(['ERROR first', 'ERROR second', 'ERROR late but within the window', 'ERROR third']);
    });

    it('delivers a line that arrives once the tail has begun, stamped up to LATENESS before it began', async () => {
      const start = Date.now();
      const controller = new AbortController();
      const received: string[] = [];
      const reading = (async () => {
        for await (const event of tail(store, parseQuery('level:error'), { signal: controller.signal, pollMs: 50, now: () => start })) {
          if ('hits' in event) received.push(...event.hits.map((h) => h.message));
          if (received.includes('ERROR after')) controller.abort();
        }
      })();
      await new Promise((r) => setTimeout(r, 200)); // the first polls found nothing
      // A collector a few seconds behind delivers just after the tail began: lines the search before it could not show.
      await ingest('late', [start - 4_000, start - 30_000], (i) => (i === 0 ? 'ERROR 4 s behind' : 'ERROR 30 s behind'));
      await ingest('a', [start + 1], () => 'ERROR after');
      await reading;
      expect(received).toEqual(['ERROR 4 s behind', 'ERROR after']);
    });

    /** Reads a tail until `want` lines came, with every event it sent. */
    async function tailed(want: number, options: Omit<Parameters<typeof tail>[2], 'signal'> = {}) {
      const controller = new AbortController();
      const events: TailEvent[] = [];
      const messages: string[] = [];
      const reading = (async () => {
        for await (const event of tail(store, parseQuery('level:error'), { ...options, signal: controller.signal, pollMs: 50 })) {
          events.push(event);
          if ('hits' in event) messages.push(...event.hits.map((h) => h.message));
          if (messages.length >= want) controller.abort();
        }
      })();
      return { events, messages, done: reading };
    }

    it('picks up after the last line a dropped stream sent, with the lines that came meanwhile', async () => {
      const now = Date.now();
      const first = await tailed(1);
      await ingest('a', [now], () => 'ERROR before the drop');
      await first.done;
      const sent = first.events.find((e) => 'hits' in e);
      expect(sent && 'cursor' in sent && sent.cursor).toBe(sent && 'hits' in sent && sent.hits[0].id);
      await ingest('b', [now + 10, now + 20], (i) => (i === 0 ? 'ERROR while disconnected' : 'INFO not matching'));
      const second = await tailed(2, { resumeAfter: (sent as { cursor: string }).cursor });
      await ingest('a', [now + 30], () => 'ERROR after the reconnect');
      await second.done;
      expect(first.messages).toEqual(['ERROR before the drop']);
      expect(second.messages).toEqual(['ERROR while disconnected', 'ERROR after the reconnect']);
      expect(second.events.some((e) => 'skipped' in e)).toBe(false);
    });

    it('after a longer break picks up RESUME_BACK_US before now, and first says which lines it skipped', async () => {
      const now = Date.now();
      await ingest('a', [now - 3_600_000], () => 'ERROR an hour ago, the last line sent');
      await ingest('a', [now - 1_800_000], () => 'ERROR half an hour ago, skipped');
      await ingest('a', [now - 60_000], () => 'ERROR a minute ago, within the resume');
      const lastSent = (await new ReadApi(store).search(new URLSearchParams({ q: 'hour ago', from: String(now - 7_200_000), to: String(now) }))).hits[0];
      const resumed = await tailed(1, { resumeAfter: lastSent.id });
      await resumed.done;
      expect(resumed.messages).toEqual(['ERROR a minute ago, within the resume']);
      const skipped = resumed.events[0];
      expect('skipped' in skipped && skipped.skipped.from).toBe(lastSent.ts);
      expect('skipped' in skipped && Date.parse(skipped.skipped.to)).toBeGreaterThanOrEqual(now - Number(RESUME_BACK_US / 1000n));
      await expect(tailed(1, { resumeAfter: 'not-a-cursor' }).then((t) => t.done)).rejects.toMatchObject({ status: 400 });
    });
  });
});
