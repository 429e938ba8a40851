// The engine chosen at start (LOGPOND_STORE): the only place above the storage interface that
// names one. Route handlers, read models, the page and the collector see a LogStorage.
import type { ServerConfig } from '../config';
import { DuckDbStorage } from './duckdb/duckdb-storage';
import type { JournalReplay, LogStorage } from './log-storage';

export interface StorageHooks {
  /** Decodes a batch the engine kept as it was sent (DuckDB's journal), as ingest does. */
  replay: JournalReplay;
}

export async function openStorage(config: ServerConfig, hooks: StorageHooks): Promise<LogStorage> {
  switch (config.store) {
    case 'duckdb':
      return DuckDbStorage.open({
        replay: hooks.replay,
        dataDir: config.dataDir,
        retentionMs: config.retentionMs,
        maxDiskBytes: config.maxDiskBytes,
        memoryLimit: config.memoryLimit,
        queryTimeoutMs: config.queryTimeoutMs,
        readConcurrency: config.readConcurrency,
        readQueue: config.readQueue,
      });
  }
}
