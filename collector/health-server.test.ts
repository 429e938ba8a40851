import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from './health-server';
import { CollectorMetrics } from './metrics';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('health server', () => {
  it('answers /healthz and /metrics in the Prometheus text format', async () => {
    const metrics = new CollectorMetrics();
    metrics.linesRead = 12;
    metrics.countError('file_open');
    metrics.filesTailed = () => 3;
    server = await startHealthServer({ host: '127.0.0.1', port: 0, metrics });
    const base = `http://127.0.0.1:${server.port}`;

    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);

    const text = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'logpond_collector_bytes_read_total 0',
      'logpond_collector_lines_read_total 12',
      'logpond_collector_batches_sent_total 0',
      'logpond_collector_batch_retries_total 0',
      'logpond_collector_batches_dropped_total 0',
      'logpond_collector_files_tailed 3',
      'logpond_collector_errors_total{kind="file_open"} 1',
      '# TYPE logpond_collector_files_tailed gauge',
      '# TYPE process_resident_memory_bytes gauge',
      '# TYPE nodejs_heap_size_used_bytes gauge',
      '# TYPE nodejs_heap_size_total_bytes gauge',
      '# TYPE nodejs_external_memory_bytes gauge',
      '# TYPE nodejs_eventloop_lag_seconds gauge',
    ]) {
      expect(text.split('\n')).toContain(name);
    }
    // No metadata cache, no pods gauge sample; no followed file, no lag sample.
    expect(text).not.toMatch(/^logpond_collector_pods_known /m);
    expect(text).not.toMatch(/^logpond_collector_file_lag_bytes\{/m);
    metrics.podsKnown = () => 4;
    metrics.fileLag = () => [['/var/log/containers/a "quoted"\\b.log', 17]];
    const again = (await (await fetch(`${base}/metrics`)).text()).split('\n');
    expect(again).toContain('logpond_collector_pods_known 4');
    expect(again).toContain('logpond_collector_file_lag_bytes{path="/var/log/containers/a \\"quoted\\"\\\\b.log"} 17');
    expect(again).toContain('logpond_collector_lines_read_total 12');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
