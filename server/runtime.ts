// Everything one server process holds: its configuration, the open store, and the counters the
// metrics route reports. The app memoizes one runtime per process (see app/api/runtime.ts).
import type { IngestResult } from '../common/ingest-batch';
import type { StatusResponse } from '../common/read-api';
import type { ServerConfig } from './config';
import { isLogpondError } from './errors';
import { authorizeIngest } from './ingest/authorize';
import { CollectorRegistry } from './ingest/collectors';
import { DecodePool } from './ingest/decode-pool';
import { replayJournalRecord } from './ingest/journal-replay';
import { readBody } from './ingest/read-body';
import { ServerMetrics } from './metrics';
import { ReadApi } from './read/read-api';
import type { LogStorage } from './store/log-storage';
import { openStorage } from './store/open-storage';

export class Runtime {
  readonly collectors = new CollectorRegistry();
  readonly metrics: ServerMetrics;

  /** The read routes: search, histogram, fields, values, suggest, context, export, tail. */
  readonly reads: ReadApi;

  private constructor(
    readonly config: ServerConfig,
    readonly store: LogStorage,
    private readonly decoder: DecodePool,
  ) {
    this.reads = new ReadApi(store);
    this.metrics = new ServerMetrics({
      storeStats: () => store.stats(),
      storeMemory: () => store.memory(),
      reads: () => store.readCounts,
      gate: () => store.gateCounts(),
      tails: () => this.reads.activeTails,
    });
  }

  static async start(config: ServerConfig): Promise<Runtime> {
    const store = await openStorage(config, { replay: replayJournalRecord });
    const decoder = new DecodePool(config.ingestWorkers);
    console.error(`logpond: store open: ${store.describe()}; ingest decodes on ${decoder.threads || 'the main'} thread(s)`);
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
      this.metrics.rejects.inc({ reason: isLogpondError(err) ? err.code : 'internal' });
      throw err;
    } finally {
      this.metrics.latency.observe((performance.now() - started) / 1000);
    }
  }

  /** GET /api/metrics: the Prometheus text format and its content type. */
  metricsText(): Promise<{ body: string; contentType: string }> {
    return this.metrics.text();
  }

  async status(): Promise<StatusResponse> {
    const { engine, entries, sources, oldest, newest, diskBytes, settling } = await this.store.stats();
    return { engine, entries, sources, oldest, newest, diskBytes, settling, collectors: this.collectors.list() };
  }

  async close(): Promise<void> {
    await this.decoder.close();
    await this.store.close();
  }
}
