// `npm run bench:ingest`: ingest throughput into a real DuckDB file, two ways.
//
// Direct (the default): generates a seeded corpus of realistic CRI lines (bench/corpus.ts), cuts
// it into collector-sized gzip batches up front (a collector runs on other nodes' CPUs), starts
// the real server on a temp data dir, and sends the batches from several concurrent "collectors",
// each owning its own files as on separate nodes. Prints entries/s, the server's CPU and peak
// RSS, and the stored bytes per raw CRI byte once the server has stopped (and sealed what was hot).
//
//   npm run bench:ingest -- [--lines 5000000] [--files 400] [--collectors 4] [--batch-bytes 1048576]
//                           [--hours 24 | --days N] [--store clickhouse] [--keep]
//
// --store clickhouse runs the same batches into ClickHouse (chDB, embedded in the server process,
// through the real ingest route) after DuckDB, and prints both side by side (issue 20).
//
// --protocol otlp|loki (issue 21) re-encodes the same batches as a shipper's requests
// (bench/protocol-bodies.ts: OTLP/HTTP protobuf with gzip to /v1/logs, or Loki push protobuf +
// snappy to /loki/api/v1/push), runs them into DuckDB after the /api/ingest run, and prints both
// side by side with the server's CPU per entry.
//
// End to end (--e2e, issue 17): a new user's first start on a node that already holds a week of
// logs. The corpus is written as real CRI files, the real server starts on an empty data dir with
// its default settings, then the real collector (the shipped bundle, not pinned, no Kubernetes
// API: pod metadata from the file names) reads the backlog; see bench/backfill.ts. Prints, as a
// Markdown table: lines/s from the collector's start to the last line stored (the last byte the
// server acknowledged; its /api/status count is checked against the collector's entries sent),
// the server's CPU and peak RSS, the collector's CPU and peak RSS, and the time of the last line
// stored; then the stored bytes per raw byte once the server has stopped.
//
//   npm run bench:ingest -- --e2e [--lines 3000000] [--files 60] [--days 7 | --hours N]
//                                 [--multiline 1] [--keep]
//
// --lines      corpus entries (a stack trace's frames count one each; defaults 5,000,000 / 3,000,000)
// --files      container log files (400 / 60)
// --hours N, --days N   the span the lines cover, ending now (24 hours / 7 days); one or the other.
//              A span reaching 7 days starts at the first whole hour inside it (bench/backfill.ts)
// --collectors, --batch-bytes   direct mode: concurrent senders, and each one's batch size
// --multiline  --e2e: LOGPOND_MULTILINE for the collector, 1 (the default, traces joined) or 0
// --runs N     direct mode: the same batches into N fresh servers, one column each: this machine's
//              figures move by 10-20% from run to run, more than many a change is worth
// --try 'K=V …' direct mode: every second run starts the server with these environment variables
//              added, so a setting is compared with the default in alternating runs of one corpus
// --keep       keep the temp dir (data, and in --e2e the log files) and print where it is
// LOGPOND_SERVER_NODE_ARGS replaces the server's Node flags (scripts/node-flags.ts) to compare
// runs, or to profile the server: `--max-semi-space-size=16 --cpu-prof --cpu-prof-dir=/tmp/prof`.
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { asciiJson } from '../collector/ship/entry-buffer';
import type { IngestBatch, SourceMeta, WireEntry } from '../common/ingest-batch';
import { buildIfNeeded } from '../scripts/build-if-needed';
import { ensureChdb } from '../scripts/ensure-chdb';
import type { StoreEngine } from '../server/config';
import { startServer } from '../server/testing/server-process';
import { engineEnv } from '../server/testing/storage';
import { bytesUnder, tempDir } from '../server/testing/temp-dir';
import { BACKFILL_DEFAULTS, backfillRows, cpuSeconds, DAY_MS, HOUR_MS, markdownTable, runBackfill } from './backfill';
import { corpusRecords, sourceMetaOf } from './corpus';
import { lokiRequest, otlpRequest } from './protocol-bodies';

type Route = 'api/ingest' | 'v1/logs' | 'loki/api/v1/push';

const { values } = parseArgs({
  options: {
    e2e: { type: 'boolean', default: false },
    lines: { type: 'string' },
    files: { type: 'string' },
    collectors: { type: 'string', default: '4' },
    'batch-bytes': { type: 'string', default: String(1024 * 1024) },
    keep: { type: 'boolean', default: false },
    hours: { type: 'string' },
    days: { type: 'string' },
    multiline: { type: 'string', default: '1' },
    store: { type: 'string', default: 'duckdb' },
    protocol: { type: 'string' },
    runs: { type: 'string', default: '1' },
    try: { type: 'string' },
  },
});
const PROTOCOL = values.protocol as 'otlp' | 'loki' | undefined;
if (PROTOCOL !== undefined && PROTOCOL !== 'otlp' && PROTOCOL !== 'loki') throw new Error('--protocol is otlp or loki');
if (PROTOCOL !== undefined && (values.e2e || values.store !== 'duckdb')) throw new Error('--protocol runs direct, into DuckDB');
if (!['duckdb', 'clickhouse'].includes(values.store!)) throw new Error('--store is duckdb or clickhouse');
/** ClickHouse's figures are printed beside DuckDB's from the same run. */
const ENGINES_RUN: StoreEngine[] = values.store === 'clickhouse' ? ['duckdb', 'clickhouse'] : ['duckdb'];
if (ENGINES_RUN.includes('clickhouse')) ensureChdb();
if (values.e2e && values.store !== 'duckdb') throw new Error('--e2e runs on DuckDB only so far');
if (values.hours !== undefined && values.days !== undefined) throw new Error('--hours and --days say the same thing: give one');
const E2E = values.e2e;
const LINES = Number(values.lines ?? (E2E ? BACKFILL_DEFAULTS.lines : 5_000_000));
const FILES = Number(values.files ?? (E2E ? BACKFILL_DEFAULTS.files : 400));
const SPAN_MS =
  values.days !== undefined ? Number(values.days) * DAY_MS : values.hours !== undefined ? Number(values.hours) * HOUR_MS : E2E ? BACKFILL_DEFAULTS.days * DAY_MS : 24 * HOUR_MS;
const COLLECTORS = Number(values.collectors);
const BATCH_BYTES = Number(values['batch-bytes']);
if (![LINES, FILES, SPAN_MS, COLLECTORS, BATCH_BYTES].every((n) => Number.isFinite(n) && n > 0)) throw new Error('--lines, --files, --hours/--days, --collectors and --batch-bytes must be positive numbers');
if (values.multiline !== '0' && values.multiline !== '1') throw new Error('--multiline is 0 or 1');
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs is a positive whole number');
const TRY_ENV = values.try === undefined ? null : envOf(values.try);
if ((RUNS > 1 || TRY_ENV) && (E2E || PROTOCOL !== undefined)) throw new Error('--runs and --try run direct posts to /api/ingest');
const keepAlive = new http.Agent({ keepAlive: true });

/** `K=V K2=V2` as an environment. */
function envOf(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--try: "${pair}" is not NAME=value`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function direct(): Promise<void> {
  log(`preparing ${LINES.toLocaleString()} lines in ~${BATCH_BYTES} byte gzip batches for ${COLLECTORS} collectors…`);
  const to = Date.now() - 2 * 3_600_000; // old enough to be sealed by the server's own timer
  const from = to - SPAN_MS;
  const queues: Buffer[][] = Array.from({ length: COLLECTORS }, () => []);
  const protocolQueues: Buffer[][] = Array.from({ length: COLLECTORS }, () => []);
  const fresh = () => ({ entries: [] as WireEntry[], sources: new Map<string, SourceMeta>(), index: new Map<string, number>(), bytes: 0 });
  const pending = Array.from({ length: COLLECTORS }, fresh);
  const fileOwner = new Map<string, number>();
  let rawBytes = 0;
  let entries = 0;
  const flush = (c: number) => {
    const p = pending[c];
    if (p.entries.length === 0) return;
    const body: IngestBatch = { collector: { id: `bench-${c}`, node: `node-${c}` }, sources: [...p.sources.values()], entries: p.entries };
    // ASCII JSON, as the collector sends it (collector/ship/entry-buffer.ts).
    queues[c].push(gzipSync(asciiJson(JSON.stringify(body)), { level: 1 }));
    if (PROTOCOL === 'otlp') protocolQueues[c].push(otlpRequest(body));
    if (PROTOCOL === 'loki') protocolQueues[c].push(lokiRequest(body));
    pending[c] = fresh();
  };
  for (const record of corpusRecords({ lines: LINES, files: FILES, seed: 42, from, to })) {
    const key = `${record.file.node}/${record.file.containerId}`;
    let owner = fileOwner.get(key);
    if (owner === undefined) fileOwner.set(key, (owner = fileOwner.size % COLLECTORS));
    const p = pending[owner];
    // As the collector sends them: the source by its index in the batch's list.
    let source = p.index.get(key);
    if (source === undefined) {
      p.index.set(key, (source = p.sources.size));
      p.sources.set(key, sourceMetaOf(record.file));
    }
    p.entries.push({ source, file: `1:${record.file.containerId.slice(0, 8)}`, offset: record.offset, ts: record.ts, stream: record.stream, message: record.message });
    p.bytes += record.message.length + 64;
    rawBytes += Buffer.byteLength(record.line);
    entries++;
    if (p.bytes >= BATCH_BYTES) flush(owner);
  }
  for (let c = 0; c < COLLECTORS; c++) flush(c);
  const batches = queues.reduce((n, q) => n + q.length, 0);
  const gzBytes = queues.flat().reduce((n, b) => n + b.length, 0);
  log(`${entries.toLocaleString()} entries, ${(rawBytes / 1e6).toFixed(0)} MB of raw CRI lines, ${batches} batches (${(gzBytes / 1e6).toFixed(0)} MB gzip)`);

  const results: Record<string, string>[] = [];
  const columns: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const tried = TRY_ENV && run % 2 === 1 ? TRY_ENV : {};
    const suffix = `${RUNS > 1 ? ` #${run + 1}` : ''}${Object.keys(tried).length > 0 ? ` (${values.try})` : ''}`;
    for (const engine of ENGINES_RUN) {
      results.push(await directRun(engine, queues, entries, rawBytes, 'api/ingest', tried));
      columns.push(`${PROTOCOL ? `${engine}, /api/ingest` : engine}${suffix}`);
    }
  }
  if (PROTOCOL) {
    const route: Route = PROTOCOL === 'otlp' ? 'v1/logs' : 'loki/api/v1/push';
    log(`${PROTOCOL}: ${(protocolQueues.flat().reduce((n, b) => n + b.length, 0) / 1e6).toFixed(0)} MB of ${PROTOCOL === 'otlp' ? 'gzip protobuf' : 'snappy protobuf'}`);
    results.push(await directRun('duckdb', protocolQueues, entries, rawBytes, route));
    columns.push(`duckdb, /${route} (${PROTOCOL === 'otlp' ? 'OTLP protobuf + gzip' : 'Loki protobuf + snappy'})`);
  }
  const rows = Object.keys(results[0]);
  console.log(`| | ${columns.join(' | ')} |\n|---|${columns.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row} | ${results.map((r) => r[row]).join(' | ')} |`);
}

/** The batches sent to a fresh server on `engine`; its figures by name. */
async function directRun(
  engine: StoreEngine,
  queues: Buffer[][],
  entries: number,
  rawBytes: number,
  route: Route,
  extraEnv: Record<string, string> = {},
): Promise<Record<string, string>> {
  const { dir, cleanup } = await tempDir('logpond-bench-');
  log(`${engine}: sending…`);
  // The server inherits this environment, so LOGPOND_INGEST_WORKERS and friends can be tried here.
  const server = await startServer({ ...engineEnv(engine, dir), LOGPOND_DATA_DIR: dir, LOGPOND_RETENTION: 'off', LOGPOND_MAX_DISK: 'off', ...extraEnv });
  let peakRss = 0;
  const rssTimer = setInterval(() => {
    const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peakRss = Math.max(peakRss, kb * 1024);
  }, 200);
  try {
    let accepted = 0;
    let duplicates = 0;
    const cpuBefore = cpuSeconds(server.child.pid!);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      queues.map(async (queue) => {
        for (const body of queue) {
          const result = await post(server.url, body, route);
          accepted += result.accepted;
          duplicates += result.duplicates;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = cpuSeconds(server.child.pid!) - cpuBefore;
    const clientUsage = process.cpuUsage(clientBefore);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
    // A shipper's answer carries no counts: the store's own, once every request was answered.
    if (route !== 'api/ingest') accepted = (await (await fetch(`${server.url}/api/status`)).json()).entries;
    // Stopping the server seals what is still hot, so the bytes below are the store at rest.
    await server.stop();
    clearInterval(rssTimer);
    const stored = await bytesUnder(dir);
    return {
      'entries sent': String(entries),
      'entries stored': `${accepted}${accepted === entries ? '' : ' (MISMATCH)'}`,
      'duplicates reported': String(duplicates),
      'ingest wall time': `${seconds.toFixed(1)} s`,
      'entries/s': String(Math.round(accepted / seconds)),
      'raw CRI bytes': String(rawBytes),
      'stored bytes': String(stored),
      'stored / raw': (stored / rawBytes).toFixed(3),
      'server CPU during ingest': `${serverCpu.toFixed(1)} s (${Math.round((serverCpu / seconds) * 100)}% of one core)`,
      'server CPU per entry': `${((serverCpu / accepted) * 1e6).toFixed(2)} µs`,
      'bench client CPU (the collectors)': `${clientCpu.toFixed(1)} s`,
      'server peak RSS': `${(peakRss / 1024 ** 2).toFixed(0)} MiB`,
    };
  } finally {
    clearInterval(rssTimer);
    await server.stop();
    if (!values.keep) await cleanup();
    else log(`data kept in ${dir}`);
  }
}

/**
 * One gzip batch to /api/ingest over a kept-alive connection. node:http rather than fetch: the
 * "collectors" share the server's two cores here (on a cluster they run on other nodes), and
 * fetch cost them twice the CPU.
 */
function post(url: string, body: Buffer, route: Route): Promise<{ accepted: number; duplicates: number }> {
  const headers =
    route === 'loki/api/v1/push'
      ? { 'content-type': 'application/x-protobuf' }
      : { 'content-type': route === 'v1/logs' ? 'application/x-protobuf' : 'application/json', 'content-encoding': 'gzip' };
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/${route}`,
      {
        method: 'POST',
        agent: keepAlive,
        headers: { ...headers, 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200 && response.statusCode !== 204) reject(new Error(`${route} answered ${response.statusCode}: ${text}`));
          else resolve(route === 'api/ingest' ? JSON.parse(text) : { accepted: 0, duplicates: 0 });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function endToEnd(): Promise<void> {
  const multiline = values.multiline === '1';
  const { dir, cleanup } = await tempDir('logpond-bench-e2e-');
  try {
    const run = await runBackfill({ dir, lines: LINES, files: FILES, spanMs: SPAN_MS, multiline });
    // The collector has nothing left; stopping the server seals what is hot, so the bytes below are the store at rest.
    await run.stop();
    const stored = await bytesUnder(run.dataDir);
    const rows = backfillRows(run, multiline);
    rows.push(['stored / raw, once the server stopped (hot entries sealed; hours not yet merged or indexed)', `${(stored / run.corpus.rawBytes).toFixed(3)} (${(stored / 1e6).toFixed(0)} MB)`]);
    console.log(`\nbench:ingest --e2e: a new user's first start on a node holding the corpus\n`);
    console.log(markdownTable(['figure', 'value'], rows));
  } finally {
    if (!values.keep) await cleanup();
    else log(`kept ${dir} (logs/, data/, checkpoint.json)`);
  }
}

async function main(): Promise<void> {
  buildIfNeeded(); // the server runs the production build, which must hold the code measured
  await (E2E ? endToEnd() : direct());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
