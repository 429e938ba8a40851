// The collector's counters, rendered in the Prometheus text format by the health server.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export type ErrorKind =
  | 'file_open'
  | 'file_read'
  | 'file_binary'
  | 'file_name'
  | 'discovery'
  | 'send'
  | 'rejected'
  | 'checkpoint'
  | 'kubernetes';

const PODS_KNOWN = 'logpond_collector_pods_known';

export class CollectorMetrics {
  linesRead = 0;
  bytesRead = 0;
  entriesSent = 0;
  batchesSent = 0;
  batchRetries = 0;
  batchesDropped = 0;
  entriesDropped = 0;
  /** Batches over the server's size limit, sent again in halves. */
  batchesSplit = 0;
  /** Entries of excluded pods and namespaces, read and not sent. */
  entriesExcluded = 0;
  /** Bytes of files that went away before they were read. */
  lostBytes = 0;
  readonly errors = new Map<ErrorKind, number>();
  private registry: Registry | undefined;
  /** Registered while there is a metadata cache (see render). */
  private readonly podsGauge: Gauge = new Gauge({
    name: PODS_KNOWN,
    help: 'Pods in the metadata cache.',
    registers: [],
    collect: () => this.podsGauge.set(this.podsKnown() ?? 0),
  });
  /** Read at render time, so the gauge is never stale. */
  filesTailed: () => number = () => 0;
  /** Pods in the metadata cache (deleted ones included during their grace); undefined without one. */
  podsKnown: () => number | undefined = () => undefined;
  /** Per followed file: bytes written to it that the server has not acknowledged yet. */
  fileLag: () => Array<[path: string, bytes: number]> = () => [];

  countError(kind: ErrorKind): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  /** The Prometheus text format, with prom-client's standard process and Node.js metrics. */
  render(): Promise<string> {
    this.registry ??= this.register();
    // Without a metadata cache there is no pods figure at all, rather than a false 0.
    const withPods = this.podsKnown() !== undefined;
    const registered = this.registry.getSingleMetric(PODS_KNOWN) !== undefined;
    if (withPods && !registered) this.registry.registerMetric(this.podsGauge);
    if (!withPods && registered) this.registry.removeSingleMetric(PODS_KNOWN);
    return this.registry.metrics();
  }

  /**
   * Built at the first scrape, not per instance: the standard metrics start an event-loop monitor
   * and a GC observer, which tests that make many instances and never scrape need not pay for.
   * The counters stay plain numbers, copied at scrape time: they are bumped per line read.
   */
  private register(): Registry {
    const registry = new Registry();
    const registers = [registry];
    collectDefaultMetrics({ register: registry });
    const kept = (name: string, type: 'counter' | 'gauge', help: string, value: () => number) => {
      const Metric = type === 'counter' ? Counter : Gauge;
      new Metric({ name, help, registers, collect(this: Counter | Gauge) { this.reset(); this.inc(value()); } });
    };
    kept('logpond_collector_lines_read_total', 'counter', 'Lines read from log files.', () => this.linesRead);
    kept('logpond_collector_bytes_read_total', 'counter', 'Bytes read from log files.', () => this.bytesRead);
    kept('logpond_collector_entries_sent_total', 'counter', 'Entries in batches the server accepted.', () => this.entriesSent);
    kept('logpond_collector_batches_sent_total', 'counter', 'Batches the server accepted.', () => this.batchesSent);
    kept('logpond_collector_batch_retries_total', 'counter', 'Batch sends retried after a failure.', () => this.batchRetries);
    kept('logpond_collector_batches_dropped_total', 'counter', 'Batches the server refused for good.', () => this.batchesDropped);
    kept('logpond_collector_entries_dropped_total', 'counter', 'Entries in batches the server refused for good.', () => this.entriesDropped);
    kept('logpond_collector_batches_split_total', 'counter', 'Batches over the server size limit, resent in halves.', () => this.batchesSplit);
    kept('logpond_collector_entries_excluded_total', 'counter', 'Entries of excluded pods and namespaces, not sent.', () => this.entriesExcluded);
    kept('logpond_collector_lost_bytes_total', 'counter', 'Bytes of files that vanished before they were read.', () => this.lostBytes);
    kept('logpond_collector_files_tailed', 'gauge', 'Log files currently followed.', () => this.filesTailed());
    const metrics = this;
    new Gauge({
      name: 'logpond_collector_file_lag_bytes',
      help: 'Bytes written to a followed file that the server has not acknowledged.',
      labelNames: ['path'],
      registers,
      collect() {
        this.reset(); // files no longer followed drop out
        for (const [path, bytes] of metrics.fileLag()) this.set({ path }, bytes);
      },
    });
    new Counter({
      name: 'logpond_collector_errors_total',
      help: 'Errors by kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of metrics.errors) this.inc({ kind }, n);
      },
    });
    return registry;
  }
}
