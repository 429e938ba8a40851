// Everything one server process holds: its configuration, the open store, and the counters the
// metrics route reports. The app memoizes one runtime per process (see app/api/runtime.ts).
import type { IngestResult } from '../common/ingest-batch';
import type { ServerConfig } from './config';
import { isLogpondError } from './errors';
import { authorizeIngest } from './ingest/authorize';
import { CollectorRegistry } from './ingest/collectors';
import { DecodePool } from './ingest/decode-pool';
import { readBody } from './ingest/read-body';
import { Counter, counter, gauge, Histogram } from './metrics';
import { ReadApi } from './read/read-api';
import { ReadGate } from './read/read-gate';
import { Reader, STOP_GRACE_MS } from './read/snapshot';
import { LogStore } from './store/log-store';

export class Runtime {
  readonly collectors = new CollectorRegistry();
  readonly metrics = {
    batches: new Counter('logpond_ingest_batches_total', 'Ingest batches stored.'),
    entries: new Counter('logpond_ingest_entries_total', 'Entries stored.'),
    duplicates: new Counter('logpond_ingest_duplicates_total', 'Entries skipped because they were stored before.'),
    rejects: new Counter('logpond_ingest_rejected_batches_total', 'Ingest batches refused, by reason.'),
    latency: new Histogram(
      'logpond_ingest_duration_seconds',
      'Time to read, validate and store one batch.',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
  };

  /** The read routes: search, histogram, fields, values, suggest, context, export, tail. */
  readonly reads: ReadApi;

  private constructor(
    readonly config: ServerConfig,
    readonly store: LogStore,
    private readonly decoder: DecodePool,
  ) {
    this.reads = new ReadApi(new Reader(store, config.queryTimeoutMs, STOP_GRACE_MS, new ReadGate(config.readConcurrency, config.readQueue)));
  }

  static async start(config: ServerConfig): Promise<Runtime> {
    const store = await LogStore.open({
      dataDir: config.dataDir,
      retentionMs: config.retentionMs,
      maxDiskBytes: config.maxDiskBytes,
      memoryLimit: config.memoryLimit,
    });
    const decoder = new DecodePool(config.ingestWorkers);
    console.error(`logpond: store open in ${config.dataDir}; ingest decodes on ${decoder.threads || 'the main'} thread(s)`);
    return new Runtime(config, store, decoder);
  }

  /** POST /api/ingest: authorize, read, validate, store; the batch is stored whole or not at all. */
  async ingest(request: Request): Promise<IngestResult> {
    const started = performance.now();
    try {
      authorizeIngest(request.headers, this.config.ingestToken);
      const { bytes, encoding } = await readBody(request, this.config.maxBatchBytes);
      const batch = await this.decoder.decode(bytes, encoding, this.config.maxBatchBytes);
      const result = await this.store.ingest(batch);
      this.collectors.record(batch.collector, result.accepted);
      this.metrics.batches.inc();
      this.metrics.entries.inc(result.accepted);
      this.metrics.duplicates.inc(result.duplicates);
      return result;
    } catch (err) {
      this.metrics.rejects.inc(1, { reason: isLogpondError(err) ? err.code : 'internal' });
      throw err;
    } finally {
      this.metrics.latency.observe((performance.now() - started) / 1000);
    }
  }

  async metricsText(): Promise<string> {
    const m = this.metrics;
    const stats = await this.store.stats();
    const gate = this.reads.reader.gate.counts();
    return [
      m.batches.render(),
      m.entries.render(),
      m.duplicates.render(),
      m.rejects.render(),
      m.latency.render(),
      gauge('logpond_store_entries', 'Entries stored.', stats.entries),
      gauge('logpond_store_sources', 'Sources (container log streams) known.', stats.sources),
      gauge('logpond_store_disk_bytes', 'Bytes on disk: DuckDB file, WAL and segments.', stats.diskBytes),
      gauge('logpond_store_hot_entries', 'Entries not yet sealed into segments.', stats.hotEntries),
      gauge('logpond_store_segments', 'Sealed Parquet segments.', stats.segments),
      counter('logpond_read_queries_total', 'Read snapshots taken by the read routes.', this.reads.reader.counts.reads),
      counter('logpond_read_timeouts_total', 'Reads stopped at LOGPOND_QUERY_TIMEOUT.', this.reads.reader.counts.timedOut),
      counter('logpond_read_cancelled_total', 'Reads stopped because the client went away.', this.reads.reader.counts.cancelled),
      gauge('logpond_tail_streams', 'Open live-tail streams.', this.reads.activeTails),
      gauge('logpond_read_in_flight', 'Reads running (at most LOGPOND_READ_CONCURRENCY).', gate.running),
      gauge('logpond_read_queue_depth', 'Reads waiting for a turn (at most LOGPOND_READ_QUEUE).', gate.queued),
      counter('logpond_read_rejected_total', 'Reads answered 503 overloaded because the read queue was full.', gate.rejected),
    ].join('\n\n') + '\n';
  }

  async status() {
    const { entries, sources, oldest, newest, diskBytes } = await this.store.stats();
    return { entries, sources, oldest, newest, diskBytes, collectors: this.collectors.list() };
  }

  async close(): Promise<void> {
    await this.decoder.close();
    await this.store.close();
  }
}
