// The engine chosen at start (LOGPOND_STORE): the only place above the storage interface that
// names one. Route handlers, read models, the page and the collector see a LogStorage.
import type { ServerConfig } from '../config';
import { ConfigError } from '../errors';
import { ClickHouseStorage } from './clickhouse/clickhouse-storage';
import { DuckDbStorage } from './duckdb/duckdb-storage';
import type { JournalReplay, LogStorage } from './log-storage';

export interface StorageHooks {
  /** Decodes a batch the engine kept as it was sent (DuckDB's journal), as ingest does. */
  replay: JournalReplay;
  /** The engine's clock (epoch ms), so tests can let hours pass. */
  now?: () => number;
  /** Maintain on a timer (the default); tests call maintain() themselves. */
  background?: boolean;
  /** How long a stopped read may take to notice before its caller is answered regardless. */
  stopGraceMs?: number;
  /** DuckDB: rows a hot table takes before it is sealed (tests seal often to page across seals). */
  hotMaxRows?: number;
}

export async function openStorage(config: ServerConfig, hooks: StorageHooks): Promise<LogStorage> {
  switch (config.store) {
    case 'duckdb':
      return DuckDbStorage.open({
        replay: hooks.replay,
        now: hooks.now,
        background: hooks.background,
        stopGraceMs: hooks.stopGraceMs,
        hotMaxRows: hooks.hotMaxRows,
        dataDir: config.dataDir,
        retentionMs: config.retentionMs,
        maxDiskBytes: config.maxDiskBytes,
        memoryLimit: config.memoryLimit,
        queryTimeoutMs: config.queryTimeoutMs,
        readConcurrency: config.readConcurrency,
        readQueue: config.readQueue,
      });
    case 'clickhouse':
      if (!config.clickhouse) throw new ConfigError('LOGPOND_CLICKHOUSE_URL', 'LOGPOND_STORE=clickhouse needs LOGPOND_CLICKHOUSE_URL');
      return ClickHouseStorage.open({
        clickhouse: config.clickhouse,
        retentionMs: config.retentionMs,
        queryTimeoutMs: config.queryTimeoutMs,
        readConcurrency: config.readConcurrency,
        readQueue: config.readQueue,
        now: hooks.now,
        background: hooks.background,
      });
  }
}
