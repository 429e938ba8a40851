// A line whose own JSON has a `labels` object, from a pod with labels of the same names: a query's
// `labels.x` is the pod's label, so it is offered once, as the field list shows it once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogStorage } from '../store/log-storage';
import { batch, decoded, lines, sourceMeta } from '../testing/batches';
import { ENGINES, openTestStorage } from '../testing/storage';
import { tempDir } from '../testing/temp-dir';
import { ReadApi } from './read-api';

const T0 = Date.parse('2026-11-25T10:00:00Z');

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let api: ReadApi;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { now: () => T0 + 60_000 });
    const source = sourceMeta('ecs', { labels: { env: 'staging', tier: 'web' } });
    const entries = lines({ source: source.key, file: '1:1', count: 3, startMs: T0, message: (i) => JSON.stringify({ msg: `ecs ${i}`, labels: { env: 'prod' }, route: '/x' }) });
    await store.ingest(decoded(batch(entries, [source])));
    api = new ReadApi(store);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('offers each labels.* name once, the pod\'s', async () => {
    const params = new URLSearchParams({ q: 'labels.', pos: '7', from: String(T0), to: String(T0 + 60_000) });
    const texts = (await api.suggest(params)).suggestions.map((s) => s.text);
    expect(texts).toEqual(['labels.env:', 'labels.tier:']);
    const all = (await api.suggest(new URLSearchParams({ q: '', pos: '0', from: String(T0), to: String(T0 + 60_000) }))).suggestions.map((s) => s.text);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain('route:');
  });
});
