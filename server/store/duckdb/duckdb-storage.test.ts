// The storage interface's conformance suite on the embedded DuckDB engine.
import { replayJournalRecord } from '../../ingest/journal-replay';
import { describeStorageConformance } from '../storage-conformance';
import { DuckDbStorage } from './duckdb-storage';

describeStorageConformance('DuckDB', (dir, now) =>
  DuckDbStorage.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false, now, queryTimeoutMs: 10_000 }),
);
