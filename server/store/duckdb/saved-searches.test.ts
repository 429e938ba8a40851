import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { LogStore, type StoreOptions } from './log-store';
import { SavedSearches } from './saved-searches';
import { replayJournalRecord } from '../../ingest/journal-replay';

const T0 = Date.parse('2026-12-05T10:00:00Z');
let clock = T0;
let dir: string;
let cleanup: () => Promise<void>;
let store: LogStore;

const open = () => LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false, now: () => clock } satisfies StoreOptions);
const view = (q: string) => ({ q, from: 'now-15m', to: 'now', filters: [{ field: 'level', value: 'error', negate: false }], columns: ['pod', 'message'] });

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  clock = T0;
  store = await open();
});
afterEach(async () => {
  await store.close();
  await cleanup();
});

describe('saved searches', () => {
  it('saves, lists by name and deletes', async () => {
    const errors = await store.savedSearches.save('alice', 'Errors', view('level:error'));
    expect(errors).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Errors', view: view('level:error'), createdAt: '2026-12-05T10:00:00.000Z', updatedAt: '2026-12-05T10:00:00.000Z' });
    clock += 1_000;
    const checkout = await store.savedSearches.save('alice', 'checkout', view('pod:checkout-*'));
    expect((await store.savedSearches.list('alice')).map((s) => s.name)).toEqual(['checkout', 'Errors']);
    await store.savedSearches.remove('alice', errors.id);
    expect(await store.savedSearches.list('alice')).toEqual([checkout]);
  });

  it('replaces a search saved under the same name, keeping its id and creation time', async () => {
    const first = await store.savedSearches.save('alice', 'Errors', view('level:error'));
    clock += 60_000;
    const second = await store.savedSearches.save('alice', 'Errors', view('level:(error or fatal)'));
    expect(second).toEqual({ ...first, view: view('level:(error or fatal)'), updatedAt: '2026-12-05T10:01:00.000Z' });
    expect(await store.savedSearches.list('alice')).toEqual([second]);
  });

  it('keeps one row when the same name is saved twice at once', async () => {
    const [a, b] = await Promise.all([store.savedSearches.save('alice', 'x', { q: 'a' }), store.savedSearches.save('alice', 'x', { q: 'b' })]);
    expect(b.id).toBe(a.id);
    expect((await store.savedSearches.list('alice')).map((s) => s.view)).toEqual([{ q: 'b' }]);
  });

  it('keeps each user to their own searches', async () => {
    const alice = await store.savedSearches.save('alice', 'Errors', view('level:error'));
    const bob = await store.savedSearches.save('bob', 'Errors', view('level:warn'));
    const anonymous = await store.savedSearches.save('', 'Errors', view('*'));
    expect(new Set([alice.id, bob.id, anonymous.id]).size).toBe(3);
    expect(await store.savedSearches.list('alice')).toEqual([alice]);
    expect(await store.savedSearches.list('bob')).toEqual([bob]);
    expect(await store.savedSearches.list('')).toEqual([anonymous]);
    await expect(store.savedSearches.remove('bob', alice.id)).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'no saved search with that id' });
    expect(await store.savedSearches.list('alice')).toEqual([alice]);
  });

  it('answers 404 for an id it does not know', async () => {
    await expect(store.savedSearches.remove('alice', 'no-such-id')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(store.savedSearches.remove('alice', "' OR 1=1 --")).rejects.toMatchObject({ status: 404 });
  });

  it('survives closing and reopening the store', async () => {
    const saved = await store.savedSearches.save('alice', 'Errors', { q: 'level:error', nested: { a: [1, 'two', null, true] }, __proto__x: 1 });
    await store.close();
    store = await open();
    expect(await store.savedSearches.list('alice')).toEqual([saved]);
  });

  it('adds its table to a file made before it existed', async () => {
    const connection = await store.connect();
    await connection.run('DROP TABLE saved_searches');
    connection.closeSync();
    await store.close();
    store = await open();
    expect(await store.savedSearches.list('alice')).toEqual([]);
  });

  it('bounds the searches of one user, but replacing one is always allowed', async () => {
    const two = new SavedSearches(() => store.connect(), () => clock, 2);
    await two.save('alice', 'a', {});
    await two.save('alice', 'b', {});
    await expect(two.save('alice', 'c', {})).rejects.toMatchObject({
      status: 400,
      code: 'too_many_saved_searches',
      message: 'at most 2 saved searches per user; delete some first',
    });
    expect((await two.save('alice', 'b', { q: 'x' })).view).toEqual({ q: 'x' });
    expect((await two.save('bob', 'c', {})).name).toBe('c');
  });

  it('refuses work once the store is closing', async () => {
    await store.close();
    await expect(store.savedSearches.list('alice')).rejects.toMatchObject({ status: 503 });
    store = await open();
  });
});
