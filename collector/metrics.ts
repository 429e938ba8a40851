// The collector's counters, rendered in the Prometheus text format by the health server.

export type ErrorKind = 'file_open' | 'file_read' | 'discovery' | 'send' | 'rejected' | 'checkpoint';

export class CollectorMetrics {
  linesRead = 0;
  bytesRead = 0;
  entriesSent = 0;
  batchesSent = 0;
  batchRetries = 0;
  batchesDropped = 0;
  readonly errors = new Map<ErrorKind, number>();
  /** Read at render time, so the gauge is never stale. */
  filesTailed: () => number = () => 0;

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
    metric('logpond_collector_files_tailed', 'gauge', 'Log files currently followed.', [['', this.filesTailed()]]);
    metric(
      'logpond_collector_errors_total',
      'counter',
      'Errors by kind.',
      [...this.errors].map(([kind, n]) => [`{kind="${kind}"}`, n]),
    );
    return `${lines.join('\n')}\n`;
  }
}
