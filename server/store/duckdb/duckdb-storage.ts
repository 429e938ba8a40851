// DuckDB behind the storage interface (store/log-storage.ts): the embedded engine, one process's
// store of hot tables, Parquet segments and their token files (log-store.ts), read through
// consistent snapshots (snapshot.ts) under the read limit.
import type { IngestResult } from '../../../common/ingest-batch';
import type { DecodedBatch } from '../../ingest/decoded-batch';
import type { GateCounts, LogStorage, ReadCounts, ReadOptions, StorageView, StoreStats } from '../log-storage';
import { ReadGate } from '../read-gate';
import { LogStore, type MaintenanceReport, type StoreMemory, type StoreOptions } from './log-store';
import type { SavedSearches } from './saved-searches';
import { Reader, STOP_GRACE_MS } from './snapshot';
import { DuckDbView } from './view';
import { asRequestError } from './engine-errors';

export interface DuckDbReadOptions {
  /** LOGPOND_QUERY_TIMEOUT. */
  queryTimeoutMs: number;
  /** LOGPOND_READ_CONCURRENCY and LOGPOND_READ_QUEUE; unlimited when absent (tests, scripts). */
  readConcurrency?: number;
  readQueue?: number;
  /** How long a stopped read may take to notice before its caller is answered regardless. */
  stopGraceMs?: number;
}

export class DuckDbStorage implements LogStorage {
  constructor(
    readonly store: LogStore,
    readonly reader: Reader,
  ) {}

  static async open(options: StoreOptions & DuckDbReadOptions): Promise<DuckDbStorage> {
    return DuckDbStorage.over(await LogStore.open(options), options);
  }

  /** Reads over a store already open, with its own limits. */
  static over(store: LogStore, options: DuckDbReadOptions): DuckDbStorage {
    const { queryTimeoutMs, readConcurrency, readQueue = 0, stopGraceMs = STOP_GRACE_MS } = options;
    // While reads queue, each statement runs on one thread (thread-budget.ts): the store hears of it.
    const gate = readConcurrency === undefined ? undefined : new ReadGate(readConcurrency, readQueue, (crowded) => store.setReadsCrowded(crowded));
    return new DuckDbStorage(store, new Reader(store, queryTimeoutMs, stopGraceMs, gate));
  }

  ingest(batch: DecodedBatch): Promise<IngestResult> {
    return this.store.ingest(batch).catch(refuse);
  }

  read<T>(read: (view: StorageView) => Promise<T>, options?: ReadOptions): Promise<T> {
    return this.reader.read((snapshot) => read(new DuckDbView(snapshot)), options).catch(refuse);
  }

  get readCounts(): ReadCounts {
    return this.reader.counts;
  }

  gateCounts(): GateCounts {
    return this.reader.gate.counts();
  }

  get savedSearches(): SavedSearches {
    return this.store.savedSearches;
  }

  stats(): Promise<StoreStats> {
    return this.store.stats();
  }

  /** In this process: open is healthy. */
  async health(): Promise<string | null> {
    return null;
  }

  describe(): string {
    return `DuckDB in ${this.store.dataDir}`;
  }

  memory(): Promise<StoreMemory> {
    return this.store.memory();
  }

  maintain(): Promise<MaintenanceReport> {
    return this.store.maintain();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function refuse(err: unknown): never {
  throw asRequestError(err);
}
