// `npm run bench:query`: the read routes over ten million entries.
//
// Loads a seeded corpus (bench/corpus.ts: ~150 containers over 7 days) into a real store, and
// writes the same lines as raw CRI files so grep can be timed on the same data in the same run.
// About 100 entries carry a rare request id. Then, for each case of issue 4, prints the best of
// 5 warm runs in process (ReadApi on the store) and through HTTP (the real server, timed with a
// real client), the grep figures beside the free-text cases, and the peak RSS of both.
//
//   npm run bench:query -- [--lines 10000000] [--dir /tmp/logpond-bench-query] [--reload]
// The loaded store and raw files are kept in --dir and reused while --lines matches.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SourceMeta, WireEntry } from '../common/ingest-batch';
import { ReadApi } from '../server/read/read-api';
import { Reader } from '../server/read/snapshot';
import { LogStore } from '../server/store/log-store';
import { batch, decoded } from '../server/testing/batches';
import { buildIfNeeded } from '../scripts/build-if-needed';
import { startServer } from '../server/testing/server-process';
import { corpusRecords, sourceMetaOf } from './corpus';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '10000000' },
    files: { type: 'string', default: '150' },
    dir: { type: 'string', default: '/tmp/logpond-bench-query' },
    reload: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    'skip-http': { type: 'boolean', default: false },
  },
});
const LINES = Number(args.lines);
const DIR = path.resolve(args.dir);
const DATA = path.join(DIR, 'data');
const RAW = path.join(DIR, 'raw');
const RUNS = Number(args.runs);
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The rare token: a request id on about 100 entries spread over the week. */
const RARE = 'req-7f3a9c21e0d4b5';
const RARE_EVERY = Math.max(1, Math.floor(LINES / 100));

interface Manifest {
  lines: number;
  files: number;
  from: number;
  to: number;
  rawBytes: number;
  rare: number;
}

const log = (message: string) => process.stderr.write(`${message}\n`);

async function load(): Promise<Manifest> {
  const manifestPath = path.join(DIR, 'manifest.json');
  if (!args.reload && fs.existsSync(manifestPath)) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.lines === LINES && manifest.files === Number(args.files)) {
      log(`reusing ${DIR} (${manifest.lines.toLocaleString()} lines; --reload to rebuild)`);
      await settle();
      return manifest;
    }
  }
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(RAW, { recursive: true });
  const to = Date.now();
  const from = to - 7 * DAY;
  log(`loading ${LINES.toLocaleString()} lines over 7 days into ${DATA} and ${RAW}…`);
  const started = performance.now();
  // The store's clock jumps an hour at the end of the load, so every hour counts as quiet and is
  // merged and indexed, as a running server's maintenance does an hour after the fact.
  let clockOffset = 0;
  const store = await LogStore.open({ dataDir: DATA, retentionMs: null, maxDiskBytes: null, background: false, now: () => Date.now() + clockOffset });
  const raw = new Map<string, { fd: number; chunks: string[]; size: number }>();
  const sources = new Map<string, SourceMeta>();
  let entries: WireEntry[] = [];
  let rawBytes = 0;
  let n = 0;
  let rare = 0;
  const flushRaw = (file: { fd: number; chunks: string[]; size: number }) => {
    fs.writeSync(file.fd, file.chunks.join(''));
    file.chunks = [];
    file.size = 0;
  };
  const flushBatch = async () => {
    if (entries.length === 0) return;
    const keys = new Set(entries.map((e) => e.source));
    await store.ingest(decoded(batch(entries, [...keys].map((k) => sources.get(k as string)!))));
    entries = [];
  };
  for (const record of corpusRecords({ lines: LINES, files: Number(args.files), seed: 42, from, to })) {
    let { line, message } = record;
    if (n % RARE_EVERY === RARE_EVERY >> 1 && !line.includes(' P ')) {
      line = `${line.slice(0, -1)} request_id=${RARE}\n`;
      message = `${message} request_id=${RARE}`;
      rare++;
    }
    const key = `${record.file.node}/${record.file.containerId}`;
    let file = raw.get(key);
    if (!file) {
      raw.set(key, (file = { fd: fs.openSync(path.join(RAW, record.file.name), 'w'), chunks: [], size: 0 }));
      sources.set(key, sourceMetaOf(record.file));
    }
    file.chunks.push(line);
    file.size += line.length;
    if (file.size > 1 << 20) flushRaw(file);
    rawBytes += Buffer.byteLength(line);
    entries.push({ source: key, file: `1:${record.file.containerId.slice(0, 8)}`, offset: record.offset, ts: record.ts, stream: record.stream, message });
    if (entries.length >= 5_000) await flushBatch();
    if (++n % 1_000_000 === 0) log(`  ${n.toLocaleString()} lines, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  await flushBatch();
  for (const file of raw.values()) {
    flushRaw(file);
    fs.closeSync(file.fd);
  }
  log('sealing, compacting and indexing…');
  await store.maintain();
  clockOffset = 2 * HOUR;
  await maintainUntilSettled(store);
  const stats = await store.stats();
  await store.close();
  log(`loaded ${stats.entries.toLocaleString()} entries in ${((performance.now() - started) / 1000).toFixed(0)} s; ${stats.segments} segments`);
  const manifest: Manifest = { lines: LINES, files: Number(args.files), from, to, rawBytes, rare };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));
  return manifest;
}

async function maintainUntilSettled(store: LogStore): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const report = await store.maintain();
    if (report.joined + report.settled + report.shared === 0) break;
  }
}

/**
 * A store loaded by an older version may hold segments its index no longer trusts (they would be
 * read whole and the figures would not be this version's): settle them first, as the server's
 * maintenance would over its first rounds.
 */
async function settle(): Promise<void> {
  const store = await LogStore.open({ dataDir: DATA, retentionMs: null, maxDiskBytes: null, background: false, now: () => Date.now() + 2 * HOUR });
  try {
    const unindexed = store.segments.list().filter((s) => !s.indexed).length;
    if (unindexed === 0) return;
    log(`indexing ${unindexed} segments the index does not trust (written by an older version)…`);
    await maintainUntilSettled(store);
  } finally {
    await store.close();
  }
}

interface Case {
  name: string;
  route: 'search' | 'histogram' | 'fields' | 'values' | 'suggest';
  params: Record<string, string>;
  target: string;
  /** grep arguments for the free-text cases. */
  grep?: string[];
}

function cases(m: Manifest): Case[] {
  const week = { from: String(m.from), to: String(m.to) };
  const lastHour = { from: String(m.to - HOUR), to: String(m.to) };
  const lastDay = { from: String(m.to - DAY), to: String(m.to) };
  const last15m = { from: String(m.to - 15 * 60_000), to: String(m.to) };
  return [
    { name: `count of a rare token over 7 days`, route: 'histogram', params: { ...week, q: RARE }, target: '≤ 0.25× grep -cF', grep: ['-cF', RARE] },
    { name: 'count of "error" (any case) over 7 days', route: 'histogram', params: { ...week, q: 'error' }, target: '≤ 1.0× grep -ciF', grep: ['-ciF', 'error'] },
    { name: 'newest 100: namespace:shop and level:error, last hour', route: 'search', params: { ...lastHour, q: 'namespace:shop and level:error', limit: '100' }, target: '≤ 20 ms' },
    { name: 'first page of a rare token over 7 days', route: 'search', params: { ...week, q: RARE, limit: '100' }, target: '≤ 100 ms' },
    { name: 'histogram over 7 days', route: 'histogram', params: week, target: '≤ 100 ms' },
    { name: 'histogram over 7 days, level:error', route: 'histogram', params: { ...week, q: 'level:error' }, target: '≤ 50 ms' },
    { name: 'histogram over 7 days, namespace:shop', route: 'histogram', params: { ...week, q: 'namespace:shop' }, target: '≤ 50 ms' },
    { name: 'fields over 24 hours', route: 'fields', params: lastDay, target: '≤ 300 ms' },
    { name: 'values of pod, prefix "c", last 15 min', route: 'values', params: { ...last15m, field: 'pod', prefix: 'c' }, target: '≤ 50 ms' },
    { name: 'values of pod, prefix "c", 24 hours', route: 'values', params: { ...lastDay, field: 'pod', prefix: 'c' }, target: '≤ 50 ms' },
    { name: 'suggest "namespace:sh", last 15 min', route: 'suggest', params: { ...last15m, q: 'namespace:sh', pos: '12' }, target: '≤ 50 ms' },
    { name: 'suggest "lev", last 15 min', route: 'suggest', params: { ...last15m, q: 'lev', pos: '3' }, target: '≤ 50 ms' },
  ];
}

async function best(run: () => Promise<unknown>): Promise<{ best: number; median: number; result: unknown }> {
  let result = await run(); // warm
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    result = await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[times.length >> 1], result };
}

function grepBest(grepArgs: string[]): { ms: number; out: string } {
  const files = fs.readdirSync(RAW).map((f) => path.join(RAW, f));
  let ms = Infinity;
  let out = '';
  for (let i = 0; i <= RUNS; i++) {
    const t = performance.now();
    const r = spawnSync('grep', ['-h', ...grepArgs, '--', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const elapsed = performance.now() - t;
    if (i > 0) ms = Math.min(ms, elapsed);
    out = String(r.stdout.trim().split('\n').reduce((a, b) => a + Number(b), 0));
  }
  return { ms, out };
}

function summary(route: string, result: unknown): string {
  const r = result as Record<string, unknown>;
  if (route === 'histogram') return `total ${r.total}`;
  if (route === 'search') return `${(r.hits as unknown[]).length} hits`;
  if (route === 'fields') return `${(r.fields as unknown[]).length} fields of ${r.total}`;
  if (route === 'values') return `${(r.values as unknown[]).length} values`;
  return `${(r.suggestions as unknown[]).length} suggestions`;
}

function peakRss(pid: number | 'self'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

async function main(): Promise<void> {
  buildIfNeeded(); // the server runs the production build, which must hold the code measured
  const manifest = await load();
  log(`raw CRI: ${(manifest.rawBytes / 1e9).toFixed(2)} GB in ${fs.readdirSync(RAW).length} files; rare token on ${manifest.rare} entries`);
  const list = cases(manifest);
  const inProcess = new Map<string, number>();
  const grep = new Map<string, { ms: number; out: string }>();

  const store = await LogStore.open({ dataDir: DATA, retentionMs: null, maxDiskBytes: null, background: false });
  const api = new ReadApi(new Reader(store, 60_000));
  console.log(`\nin process (best of ${RUNS} warm runs; median in brackets)`);
  for (const c of list) {
    const { best: ms, median, result } = await best(() => api[c.route](new URLSearchParams(c.params)));
    inProcess.set(c.name, ms);
    let line = `${c.name.padEnd(56)} ${ms.toFixed(1).padStart(8)} ms [${median.toFixed(1)}]  ${summary(c.route, result)}`;
    if (c.grep) {
      const g = grepBest(c.grep);
      grep.set(c.name, g);
      line += `; grep ${c.grep.join(' ')}: ${g.ms.toFixed(0)} ms (${g.out}), ratio ${(ms / g.ms).toFixed(2)}×`;
    }
    console.log(`${line}   target ${c.target}`);
  }
  console.log(`bench process peak RSS (store open in process): ${(peakRss('self') / 2 ** 20).toFixed(0)} MiB`);
  await store.close();

  if (args['skip-http']) return;
  const server = await startServer({ LOGPOND_DATA_DIR: DATA, LOGPOND_DEMO: '0', LOGPOND_RETENTION: 'off', LOGPOND_MAX_DISK: 'off', LOGPOND_QUERY_TIMEOUT: '60s' });
  try {
    console.log(`\nthrough HTTP (real server, fetch client; best of ${RUNS})`);
    for (const c of list) {
      const url = `${server.url}/api/${c.route}?${new URLSearchParams(c.params)}`;
      const { best: ms, result } = await best(async () => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${c.route}: ${response.status} ${await response.text()}`);
        return response.json();
      });
      const overhead = ms - inProcess.get(c.name)!;
      console.log(`${c.name.padEnd(56)} ${ms.toFixed(1).padStart(8)} ms  (+${overhead.toFixed(1)} ms over in-process; target ≤ +15)  ${summary(c.route, result)}`);
    }
    console.log(`server peak RSS: ${(peakRss(server.child.pid!) / 2 ** 20).toFixed(0)} MiB (target ≤ 1024)`);
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
