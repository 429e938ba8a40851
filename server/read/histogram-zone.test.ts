// Bars in the reader's calendar across a change of daylight saving time, on both engines: a day's
// bar starts at the reader's midnight on both sides of it, and the day of the change is 25 hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogStorage } from '../store/log-storage';
import { batch, decoded, lines, sourceMeta } from '../testing/batches';
import { ENGINES, openTestStorage } from '../testing/storage';
import { tempDir } from '../testing/temp-dir';
import { ReadApi } from './read-api';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// One line an hour, on the half hour, from 2026-10-29 to 2026-11-04 UTC; New York leaves daylight
// saving time on 2026-11-01 at 06:00 UTC.
const FROM = Date.parse('2026-10-29T00:00:00Z');
const TO = Date.parse('2026-11-04T00:00:00Z');
const ZONE = 'America/New_York';

const localHour = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let api: ReadApi;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { now: () => TO });
    const meta = sourceMeta('dst');
    const count = (TO - FROM) / HOUR;
    const entries = lines({ source: meta.key, file: '1:1', count, startMs: 0, message: (i) => `tick ${i}` });
    entries.forEach((e, i) => (e.ts = new Date(FROM + i * HOUR + HOUR / 2).toISOString()));
    await store.ingest(decoded(batch(entries, [meta])));
    api = new ReadApi(store);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  const histogram = (interval: number, extra: Record<string, string> = {}) =>
    api.histogram(new URLSearchParams({ from: String(FROM), to: String(TO), interval: String(interval), tz: ZONE, ...extra }));

  it("starts every day's bar at the reader's midnight on both sides of the change, the day of it 25 hours", async () => {
    const h = await histogram(DAY);
    expect(h.buckets.map((b) => localHour(b.ts))).toEqual(h.buckets.map(() => '00:00'));
    const counts = Object.fromEntries(h.buckets.map((b) => [b.ts, b.count]));
    expect(counts['2026-11-01T04:00:00.000000Z']).toBe(25); // Sunday 1 November in New York
    expect(counts['2026-10-30T04:00:00.000000Z']).toBe(24);
    expect(counts['2026-11-02T05:00:00.000000Z']).toBe(24);
    expect(h.total).toBe((TO - FROM) / HOUR);
  });

  it('keeps hourly bars an hour each through the repeated hour', async () => {
    const h = await histogram(HOUR);
    expect(h.buckets).toHaveLength((TO - FROM) / HOUR);
    expect(h.buckets.every((b) => b.count === 1)).toBe(true);
  });

  it('splits bars across the change as it counts them', async () => {
    const h = await histogram(DAY, { split: 'stream' });
    for (const b of h.buckets) expect(Object.values(b.groups ?? {}).reduce((a, n) => a + n, 0)).toBe(b.count);
    expect(h.buckets.find((b) => b.ts === '2026-11-01T04:00:00.000000Z')?.count).toBe(25);
  });
});
