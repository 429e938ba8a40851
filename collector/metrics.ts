// The collector's counters, rendered in the Prometheus text format by the health server.

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
  /** Read at render time, so the gauge is never stale. */
  filesTailed: () => number = () => 0;
  /** Pods in the metadata cache (deleted ones included during their grace); undefined without one. */
  podsKnown: () => number | undefined = () => undefined;
  /** Per followed file: bytes written to it that the server has not acknowledged yet. */
  fileLag: () => Array<[path: string, bytes: number]> = () => [];

  countError(kind: ErrorKind): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  render(): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('logpond_collector_lines_read_total', 'counter', 'Lines read from log files.', [['', this.linesRead]]);
    metric('logpond_collector_bytes_read_total', 'counter', 'Bytes read from log files.', [['', this.bytesRead]]);
    metric('logpond_collector_entries_sent_total', 'counter', 'Entries in batches the server accepted.', [
      ['', this.entriesSent],
    ]);
    metric('logpond_collector_batches_sent_total', 'counter', 'Batches the server accepted.', [['', this.batchesSent]]);
    metric('logpond_collector_batch_retries_total', 'counter', 'Batch sends retried after a failure.', [
      ['', this.batchRetries],
    ]);
    metric('logpond_collector_batches_dropped_total', 'counter', 'Batches the server refused for good.', [
      ['', this.batchesDropped],
    ]);
    metric('logpond_collector_entries_dropped_total', 'counter', 'Entries in batches the server refused for good.', [
      ['', this.entriesDropped],
    ]);
    metric('logpond_collector_batches_split_total', 'counter', 'Batches over the server size limit, resent in halves.', [
      ['', this.batchesSplit],
    ]);
    metric('logpond_collector_entries_excluded_total', 'counter', 'Entries of excluded pods and namespaces, not sent.', [
      ['', this.entriesExcluded],
    ]);
    metric('logpond_collector_lost_bytes_total', 'counter', 'Bytes of files that vanished before they were read.', [
      ['', this.lostBytes],
    ]);
    metric('logpond_collector_files_tailed', 'gauge', 'Log files currently followed.', [['', this.filesTailed()]]);
    const pods = this.podsKnown();
    if (pods !== undefined) metric('logpond_collector_pods_known', 'gauge', 'Pods in the metadata cache.', [['', pods]]);
    metric(
      'logpond_collector_file_lag_bytes',
      'gauge',
      'Bytes written to a followed file that the server has not acknowledged.',
      this.fileLag().map(([path, bytes]) => [`{path="${escapeLabel(path)}"}`, bytes]),
    );
    metric(
      'logpond_collector_errors_total',
      'counter',
      'Errors by kind.',
      [...this.errors].map(([kind, n]) => [`{kind="${kind}"}`, n]),
    );
    const memory = process.memoryUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [['', memory.rss]]);
    metric('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use, in bytes.', [['', memory.heapUsed]]);
    metric('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap reserved, in bytes.', [['', memory.heapTotal]]);
    metric('nodejs_external_memory_bytes', 'gauge', 'Memory of buffers and other objects outside the V8 heap, in bytes.', [
      ['', memory.external],
    ]);
    return `${lines.join('\n')}\n`;
  }
}

/** A Prometheus label value: backslash, double quote and newline escaped. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
