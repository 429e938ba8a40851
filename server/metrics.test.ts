import { describe, expect, it } from 'vitest';
import { ServerMetrics } from './metrics';

const STATS = { engine: { name: 'duckdb', version: 'v1.5.6' }, entries: 1200, sources: 3, oldest: null, newest: null, diskBytes: 4096, hotEntries: 200, segments: 2, settling: { hours: 170, settled: 120 }, damaged: { files: 1, entries: 600, directory: '/data/damaged' } };
const MEMORY = { store: 300_000_000, settle: 50_000_000 };

function metrics() {
  const reads = { reads: 9, timedOut: 1, cancelled: 2 };
  const gate = { running: 2, queued: 5, rejected: 7 };
  return new ServerMetrics({ storeStats: async () => STATS, storeMemory: async () => MEMORY, reads: () => reads, gate: () => gate, tails: () => 1 });
}

/** `name{labels} value` lines of the text format, without the comments. */
function samples(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('logpond_'));
}

describe('ServerMetrics', () => {
  it('renders every logpond_ metric by its name, with the figures read at scrape time', async () => {
    const m = metrics();
    m.batches.inc();
    m.entries.inc(500);
    m.duplicates.inc(20);
    m.rejects.inc({ reason: 'payload_too_large' });
    m.latency.observe(0.03);
    const { body, contentType } = await m.text();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(samples(body)).toEqual([
      'logpond_ingest_batches_total 1',
      'logpond_ingest_entries_total 500',
      'logpond_ingest_duplicates_total 20',
      'logpond_ingest_rejected_batches_total{reason="payload_too_large"} 1',
      'logpond_ingest_duration_seconds_bucket{le="0.005"} 0',
      'logpond_ingest_duration_seconds_bucket{le="0.01"} 0',
      'logpond_ingest_duration_seconds_bucket{le="0.025"} 0',
      'logpond_ingest_duration_seconds_bucket{le="0.05"} 1',
      'logpond_ingest_duration_seconds_bucket{le="0.1"} 1',
      'logpond_ingest_duration_seconds_bucket{le="0.25"} 1',
      'logpond_ingest_duration_seconds_bucket{le="0.5"} 1',
      'logpond_ingest_duration_seconds_bucket{le="1"} 1',
      'logpond_ingest_duration_seconds_bucket{le="2.5"} 1',
      'logpond_ingest_duration_seconds_bucket{le="5"} 1',
      'logpond_ingest_duration_seconds_bucket{le="10"} 1',
      'logpond_ingest_duration_seconds_bucket{le="+Inf"} 1',
      'logpond_ingest_duration_seconds_sum 0.03',
      'logpond_ingest_duration_seconds_count 1',
      'logpond_store_entries 1200',
      'logpond_store_sources 3',
      'logpond_store_disk_bytes 4096',
      'logpond_store_hot_entries 200',
      'logpond_store_segments 2',
      'logpond_store_hours_complete 170',
      'logpond_store_hours_settled 120',
      'logpond_store_damaged_files 1',
      'logpond_store_damaged_entries 600',
      'logpond_store_info{engine="duckdb",version="v1.5.6"} 1',
      'logpond_store_memory_bytes{instance="store"} 300000000',
      'logpond_store_memory_bytes{instance="settle"} 50000000',
      'logpond_read_queries_total 9',
      'logpond_read_timeouts_total 1',
      'logpond_read_cancelled_total 2',
      'logpond_tail_streams 1',
      'logpond_read_in_flight 2',
      'logpond_read_queue_depth 5',
      'logpond_read_rejected_total 7',
    ]);
  });

  it('adds the standard process and Node.js metrics', async () => {
    const { body } = await metrics().text();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(body).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
  });

  it('copies a counter kept elsewhere at each scrape, not adding it up', async () => {
    const m = metrics();
    await m.text();
    expect(samples((await m.text()).body)).toContain('logpond_read_rejected_total 7');
  });
});
