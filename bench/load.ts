// `npm run bench:load`: readers against steady ingest (issue 18, defect 3).
//
// Starts the real server on a temp data dir and loads it through POST /api/ingest with a seeded
// corpus (bench/corpus.ts) spread over the day before now. Then, for --duration seconds, --readers
// loops ask search and histogram questions while collectors offer --rate entries/s; a short
// phase of ingest alone comes first, for the batch latency without readers. Prints read p50/p99
// per route, the refusals, the ingest rate held and the batch latency p50/p99. Loopback only; every
// loop and request is bounded, so the run stops by itself.
//
//   npm run bench:load -- [--readers 20] [--rate 2000] [--duration 60] [--lines 1500000] [--alone 10]
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../scripts/build-if-needed';
import { startServer } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';
import type { IngestBatch, SourceMeta, WireEntry } from '../common/ingest-batch';
import { type CorpusEntry, corpusRecords, sourceMetaOf } from './corpus';
import { gzipJson, type IngestStats, quantile, type ReadCase, request, runIngest, runReaders } from './load-traffic';

const { values: args } = parseArgs({
  options: {
    readers: { type: 'string', default: '20' },
    rate: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '60' },
    lines: { type: 'string', default: '1500000' },
    files: { type: 'string', default: '150' },
    alone: { type: 'string', default: '10' },
    collectors: { type: 'string', default: '2' },
  },
});
const READERS = Number(args.readers);
const RATE = Number(args.rate);
const DURATION_MS = Number(args.duration) * 1000;
const ALONE_MS = Number(args.alone) * 1000;
const COLLECTORS = Number(args.collectors);
/** A collector flushes at most this often (collector/ship/batcher.ts waits up to a second). */
const FLUSH_MS = 500;
const LOAD_BATCH_ENTRIES = 5_000;
const HOUR = 3_600_000;

const log = (message: string) => process.stderr.write(`${message}\n`);

/** What a page of Discover asks, over the ranges people pick. */
const CASES: ReadCase[] = [
  { route: 'search', params: { from: 'now-15m', to: 'now', q: '' } },
  { route: 'histogram', params: { from: 'now-24h', to: 'now', q: '' } },
  { route: 'search', params: { from: 'now-1h', to: 'now', q: 'level:error' } },
  { route: 'histogram', params: { from: 'now-6h', to: 'now', q: 'level:error' } },
  { route: 'search', params: { from: 'now-24h', to: 'now', q: 'namespace:shop and level:error' } },
  { route: 'histogram', params: { from: 'now-1h', to: 'now', q: 'timeout' } },
  { route: 'search', params: { from: 'now-6h', to: 'now', q: 'timeout' } },
  { route: 'histogram', params: { from: 'now-24h', to: 'now', q: 'namespace:shop' } },
  { route: 'search', params: { from: 'now-24h', to: 'now', q: 'error' } },
  { route: 'search', params: { from: 'now-1h', to: 'now', q: 'not level:info' } },
];

async function load(url: string): Promise<number> {
  const to = Date.now() - 60_000;
  let stored = 0;
  let pending: { entries: WireEntry[]; sources: Map<string, number>; metas: SourceMeta[] } = { entries: [], sources: new Map(), metas: [] };
  const flush = async () => {
    if (pending.entries.length === 0) return;
    const batch: IngestBatch = { collector: { id: 'load-history', node: 'load-history' }, sources: pending.metas, entries: pending.entries };
    pending = { entries: [], sources: new Map(), metas: [] };
    const answer = await request(`${url}/api/ingest`, 'POST', gzipJson(batch));
    if (answer.status !== 200) throw new Error(`loading answered ${answer.status}: ${answer.body}`);
    stored += JSON.parse(answer.body).accepted as number;
  };
  for (const record of corpusRecords({ lines: Number(args.lines), files: Number(args.files), seed: 42, from: to - 24 * HOUR, to })) {
    const key = `${record.file.node}/${record.file.containerId}`;
    let source = pending.sources.get(key);
    if (source === undefined) {
      pending.sources.set(key, (source = pending.metas.length));
      pending.metas.push(sourceMetaOf(record.file));
    }
    pending.entries.push({ source, file: `1:${record.file.containerId.slice(0, 8)}`, offset: record.offset, ts: record.ts, stream: record.stream, message: record.message });
    if (pending.entries.length >= LOAD_BATCH_ENTRIES) await flush();
  }
  await flush();
  return stored;
}

/** The entries steady ingest offers: other files than the history's, stamped when sent. */
function steadyEntries(count: number): CorpusEntry[] {
  const now = Date.now();
  return [...corpusRecords({ lines: count, files: 40, seed: 7, from: now - HOUR, to: now })];
}

function ingestReport(name: string, stats: IngestStats, ms: number): void {
  console.log(`${name}: offered ${Math.round(stats.offered / (ms / 1000))}/s, held ${Math.round(stats.stored / (ms / 1000))}/s` +
    ` (${stats.stored} of ${stats.offered} stored${stats.failed ? `, ${stats.failed} batches failed` : ''}${stats.duplicates ? `, ${stats.duplicates} DUPLICATES` : ''}),` +
    ` batch latency p50 ${Math.round(quantile(stats.batchMs, 0.5))} ms, p99 ${Math.round(quantile(stats.batchMs, 0.99))} ms (${stats.batchMs.length} batches)`);
}

interface SettlingSample {
  at: number;
  hours: number;
  settled: number;
}

/** Each case asked alone, three times: its median, to tell which questions the load makes slow. */
async function timeCasesAlone(url: string): Promise<string> {
  const out: string[] = [];
  for (const { route, params } of CASES) {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await request(`${url}/api/${route}?${new URLSearchParams(params)}`, 'GET');
      ms.push(performance.now() - started);
    }
    out.push(`  ${route.padEnd(9)} ${params.from.padEnd(7)} ${(params.q || '(all)').padEnd(30)} ${Math.round(quantile(ms, 0.5))} ms`);
  }
  return out.join('\n');
}

/** /api/status's settling progress every few seconds until `deadline`. */
async function watchSettling(url: string, deadline: number): Promise<SettlingSample[]> {
  const samples: SettlingSample[] = [];
  while (Date.now() < deadline) {
    const answer = await request(`${url}/api/status`, 'GET');
    if (answer.status === 200) samples.push({ at: Date.now(), ...(JSON.parse(answer.body) as { settling: { hours: number; settled: number } }).settling });
    await new Promise((r) => setTimeout(r, 3_000));
  }
  return samples;
}

/** Read latency by window beside the hours settled by then, to tell what slows the slow windows. */
function printTimeline(started: number, answered: { at: number; ms: number }[], settling: SettlingSample[]): void {
  const WINDOW_MS = 15_000;
  console.log('timeline (reads ending in each window; hours settled at its end):');
  for (let from = started; from < started + DURATION_MS; from += WINDOW_MS) {
    const ms = answered.filter((a) => a.at >= from && a.at < from + WINDOW_MS).map((a) => a.ms);
    const last = settling.filter((s) => s.at < from + WINDOW_MS).at(-1);
    const settled = last ? `${last.settled} of ${last.hours} hours settled` : '';
    console.log(`  ${String((from - started) / 1000).padStart(4)} s: ${String(ms.length).padStart(4)} reads, p50 ${String(Math.round(quantile(ms, 0.5))).padStart(5)} ms, p99 ${String(Math.round(quantile(ms, 0.99))).padStart(5)} ms   ${settled}`);
  }
}

async function main(): Promise<void> {
  buildIfNeeded(); // the server runs the production build, which must hold the code measured
  const { dir, cleanup } = await tempDir('logpond-bench-load-');
  const server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_RETENTION: 'off', LOGPOND_MAX_DISK: 'off' });
  try {
    let started = Date.now();
    const stored = await load(server.url);
    log(`loaded ${stored.toLocaleString()} entries over the last day in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const steady = steadyEntries((RATE * (ALONE_MS + DURATION_MS)) / 1000);

    const before = await timeCasesAlone(server.url);
    started = Date.now();
    const alone = await runIngest(server.url, steady.slice(0, (RATE * ALONE_MS) / 1000), COLLECTORS, FLUSH_MS, started + ALONE_MS, 'alone');
    log(`${READERS} readers and ${RATE} entries/s for ${DURATION_MS / 1000} s…`);
    started = Date.now();
    const deadline = started + DURATION_MS;
    const settling = watchSettling(server.url, deadline);
    const [reads, ingest] = await Promise.all([
      runReaders(server.url, READERS, CASES, deadline),
      runIngest(server.url, steady.slice((RATE * ALONE_MS) / 1000, (RATE * (ALONE_MS + DURATION_MS)) / 1000), COLLECTORS, FLUSH_MS, deadline, 'steady'),
    ]);
    console.log(`store: ${stored} entries over 24 h; ${READERS} readers; ${DURATION_MS / 1000} s`);
    ingestReport('ingest alone     ', alone, ALONE_MS);
    ingestReport('ingest + readers ', ingest, DURATION_MS);
    for (const [route, ms] of reads.latencies) {
      console.log(`${route.padEnd(10)} ${ms.length} answered, p50 ${Math.round(quantile(ms, 0.5))} ms, p99 ${Math.round(quantile(ms, 0.99))} ms`);
    }
    for (const [key, n] of reads.refused) console.log(`refused: ${key} × ${n}`);
    printTimeline(started, reads.answered, await settling);
    console.log(`each case alone, before the run:\n${before}\nand after it:\n${await timeCasesAlone(server.url)}`);
  } finally {
    await server.stop();
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
