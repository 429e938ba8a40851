// The server's Prometheus metrics (GET /api/metrics) on prom-client, with its standard process and
// Node.js metrics. A registry per runtime rather than prom-client's global one: tests and benches
// start several runtimes in one process, and a name may be registered once per registry.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GateCounts, ReadCounts, StoreStats } from './store/log-storage';

/** What the scrape reads from the rest of the server. */
export interface MetricSources {
  storeStats: () => Promise<StoreStats>;
  /** Bytes the engine holds in memory, by part (DuckDB: `store` and `settle`). */
  storeMemory: () => Promise<Record<string, number>>;
  reads: () => ReadCounts;
  gate: () => GateCounts;
  tails: () => number;
}

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly registers = [this.registry];
  readonly batches = new Counter({ name: 'logpond_ingest_batches_total', help: 'Ingest batches stored.', registers: this.registers });
  readonly entries = new Counter({ name: 'logpond_ingest_entries_total', help: 'Entries stored.', registers: this.registers });
  readonly duplicates = new Counter({
    name: 'logpond_ingest_duplicates_total',
    help: 'Entries skipped because they were stored before.',
    registers: this.registers,
  });
  readonly rejects = new Counter({
    name: 'logpond_ingest_rejected_batches_total',
    help: 'Ingest batches refused, by reason.',
    labelNames: ['reason'] as const,
    registers: this.registers,
  });
  readonly protocolRequests = new Counter({
    name: 'logpond_ingest_protocol_requests_total',
    help: "Shippers' requests (OTLP, Loki push), by protocol and outcome: stored, resent (answered as the first, stored nothing) or refused.",
    labelNames: ['protocol', 'outcome'] as const,
    registers: this.registers,
  });
  readonly protocolEntries = new Counter({
    name: 'logpond_ingest_protocol_entries_total',
    help: "Entries stored from shippers' requests, by protocol (also counted in logpond_ingest_entries_total).",
    labelNames: ['protocol'] as const,
    registers: this.registers,
  });
  readonly latency = new Histogram({
    name: 'logpond_ingest_duration_seconds',
    help: 'Time to read, validate and store one batch.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: this.registers,
  });
  /** The store's figures of the latest scrape: one stats() per scrape, not one per gauge. */
  private stats: StoreStats | null = null;
  private memory: Record<string, number> | null = null;

  constructor(private readonly sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry });
    const store = (name: string, help: string, pick: (s: StoreStats) => number) => this.gauge(name, help, () => (this.stats ? pick(this.stats) : 0));
    store('logpond_store_entries', 'Entries stored.', (s) => s.entries);
    store('logpond_store_sources', 'Sources (container log streams) known.', (s) => s.sources);
    store('logpond_store_disk_bytes', "Bytes on disk: DuckDB's file, WAL and segments, or ClickHouse's parts of Logpond's tables.", (s) => s.diskBytes);
    store('logpond_store_hot_entries', 'Entries not yet sealed into segments.', (s) => s.hotEntries);
    store('logpond_store_segments', 'Sealed Parquet segments.', (s) => s.segments);
    store('logpond_store_hours_complete', 'Hours no more lines are expected for: settled once each is one sorted, indexed file.', (s) => s.settling.hours);
    store('logpond_store_hours_settled', 'Complete hours settled: sorted, indexed, read at full speed.', (s) => s.settling.settled);
    store('logpond_store_damaged_files', 'Segment files the store could not read and set aside; their entries are in no count.', (s) => s.damaged?.files ?? 0);
    store('logpond_store_damaged_entries', 'Entries in the damaged segment files set aside.', (s) => s.damaged?.entries ?? 0);
    const stats = () => this.stats;
    new Gauge({
      name: 'logpond_store_info',
      help: 'The storage engine (LOGPOND_STORE) and its version: always 1.',
      labelNames: ['engine', 'version'] as const,
      registers: this.registers,
      collect() {
        const engine = stats()?.engine;
        if (engine) this.set({ engine: engine.name, version: engine.version }, 1);
      },
    });
    const memory = () => this.memory;
    new Gauge({
      name: 'logpond_store_memory_bytes',
      help: "Bytes the storage engine holds in memory, by instance: DuckDB's buffer manager for the store (hot tables, reads) and for settling.",
      labelNames: ['instance'] as const,
      registers: this.registers,
      collect() {
        for (const [instance, bytes] of Object.entries(memory() ?? {})) this.set({ instance }, bytes);
      },
    });
    this.counted('logpond_read_queries_total', 'Read snapshots taken by the read routes.', () => sources.reads().reads);
    this.counted('logpond_read_timeouts_total', 'Reads stopped at LOGPOND_QUERY_TIMEOUT.', () => sources.reads().timedOut);
    this.counted('logpond_read_cancelled_total', 'Reads stopped because the client went away.', () => sources.reads().cancelled);
    this.gauge('logpond_tail_streams', 'Open live-tail streams.', sources.tails);
    this.gauge('logpond_read_in_flight', 'Reads running (at most LOGPOND_READ_CONCURRENCY).', () => sources.gate().running);
    this.gauge('logpond_read_queue_depth', 'Reads waiting for a turn (at most LOGPOND_READ_QUEUE).', () => sources.gate().queued);
    this.counted('logpond_read_rejected_total', 'Reads answered 503 overloaded because the read queue was full.', () => sources.gate().rejected);
  }

  /** The Prometheus text format, and its content type. */
  async text(): Promise<{ body: string; contentType: string }> {
    // Two scrapes at once may both read the newer figures: harmless, they are the newer.
    [this.stats, this.memory] = await Promise.all([this.sources.storeStats(), this.sources.storeMemory()]);
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  /** A gauge read at scrape time, so it is never stale. */
  private gauge(name: string, help: string, value: () => number): void {
    new Gauge({ name, help, registers: this.registers, collect() { this.set(value()); } });
  }

  /** A counter kept elsewhere (a plain number that only grows), copied at scrape time. */
  private counted(name: string, help: string, value: () => number): void {
    new Counter({
      name,
      help,
      registers: this.registers,
      collect() {
        this.reset();
        this.inc(value());
      },
    });
  }
}
