// The storage interface's conformance suite on the embedded DuckDB engine.
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../query/parse';
import { batch, decoded, lines, sourceMeta } from '../../testing/batches';
import { tempDir } from '../../testing/temp-dir';
import { replayJournalRecord } from '../../ingest/journal-replay';
import { describeStorageConformance } from '../storage-conformance';
import { DuckDbStorage } from './duckdb-storage';

describeStorageConformance('DuckDB', (dir, now, retentionMs) =>
  DuckDbStorage.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: retentionMs ?? null, maxDiskBytes: null, background: false, now, queryTimeoutMs: 10_000 }),
);

describe('the sources reads name', () => {
  it("are each one's metadata as last stored, at once and after a restart, with their label keys", async () => {
    const { dir, cleanup } = await tempDir();
    const open = () => DuckDbStorage.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false, queryTimeoutMs: 10_000 });
    const range = { fromUs: BigInt(Date.now() - 3_600_000) * 1000n, toUs: BigInt(Date.now() + 60_000) * 1000n };
    const sourcesOfPage = (storage: DuckDbStorage) =>
      storage.read(async (view) => {
        const page = await view.page({ query: parseQuery(''), range, order: 'desc', limit: 10, after: null });
        return { sources: Object.values(await view.sources(page.map((e) => e.sourceId))), labelKeys: (await view.labelKeys()).sort() };
      });
    let storage = await open();
    try {
      const send = (firstOffset: number, labels: Record<string, string>) =>
        storage.ingest(decoded(batch(lines({ source: 'api', firstOffset, count: 3, startMs: Date.now() - 1_000 }), [sourceMeta('api', { labels })])));
      await send(0, { app: 'api' });
      expect((await sourcesOfPage(storage)).sources.map((s) => s.labels)).toEqual([{ app: 'api' }]);
      await send(1_000, { version: 'v2', app: 'api' });
      const relabelled = { sources: [expect.objectContaining({ pod: 'api-7d9f8b6c5-x2k4p', labels: { app: 'api', version: 'v2' } })], labelKeys: ['app', 'version'] };
      expect(await sourcesOfPage(storage)).toEqual(relabelled);
      await storage.close();
      storage = await open();
      expect(await sourcesOfPage(storage)).toEqual(relabelled);
    } finally {
      await storage.close();
      await cleanup();
    }
  });
});
