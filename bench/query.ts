// `npm run bench:query`: the read routes over ten million entries, warm; or over a week just
// backfilled through the collector, cold.
//
// Warm (the default): loads a seeded corpus (bench/corpus.ts: ~150 containers over 7 days) into a
// real store, settled by hand (sealed, merged and indexed as an hour later), and writes the same
// lines as raw CRI files so grep can be timed on the same data in the same run. About 100 entries
// carry a rare request id. Then, for each case of issue 4, prints the best of 5 warm runs in
// process (ReadApi on the store) and through HTTP (the real server, timed with a real client),
// the grep figures beside the free-text cases, and the peak RSS of both.
//
//   npm run bench:query -- [--lines 10000000] [--files 150] [--dir /tmp/logpond-bench-query] [--reload]
//                          [--runs 5] [--skip-http]
// The loaded store and raw files are kept in --dir and reused while --lines and --files match.
//
// Cold (--cold, issue 17): a new user's first start on a node holding a week of logs. Loads the
// corpus exactly as `bench:ingest --e2e` does (bench/backfill.ts: real CRI files, the real server on
// an empty data dir with its defaults, the real collector), prints the backfill's figures, then at
// each mark after the last line was stored (+0, +30, +60, +120 s) times every case over HTTP
// against that same server: the first run (nothing cached yet) and the best of --runs (3), with
// `grep -cF` / `grep -ciF` on the same files at the same mark and the ratio. The store is never
// settled by hand: only the server's own background maintenance runs. A last row times a route
// that passes the same request gate and reads nothing: the floor every read over HTTP stands on.
// Each mark also prints when its measurement started and ended (offsets from the last line stored), the server's
// /api/status fields (whatever it has: settling progress if the server reports it), its sealed
// segments and hot entries (/api/metrics), RSS and CPU. The server runs for the whole cold run;
// the collector keeps running too, idle at the end of its files, as it would on the node.
//
//   npm run bench:query -- --cold [--lines 3000000] [--files 60] [--days 7] [--marks 0,30,60,120]
//                                 [--runs 3] [--multiline 1] [--keep]
// --marks     seconds after the last line stored; a mark whose time has passed starts at once
// --multiline LOGPOND_MULTILINE for the collector (1, the default, joins stack traces)
// --keep      keep the temp dir (logs/, data/) and print where it is
import { DuckDbStorage } from '../server/store/duckdb/duckdb-storage';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SourceMeta, WireEntry } from '../common/ingest-batch';
import { ReadApi } from '../server/read/read-api';
import { Reader } from '../server/store/duckdb/snapshot';
import { LogStore } from '../server/store/duckdb/log-store';
import { batch, decoded } from '../server/testing/batches';
import { buildIfNeeded } from '../scripts/build-if-needed';
import { startServer } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';
import { BACKFILL_DEFAULTS, backfillRows, cpuSeconds, DAY_MS, machineCpuSeconds, markdownTable, memoryOf, mib, runBackfill, serverGauges, serverStatus, thousands } from './backfill';
import { corpusRecords, sourceMetaOf } from './corpus';
import { RARE, rareEvery, withRareToken } from './rare-token';
import { replayJournalRecord } from '../server/ingest/journal-replay';
import { ClickHouseStorage } from '../server/store/clickhouse/clickhouse-storage';
import { ensureChdb } from '../scripts/ensure-chdb';

const { values: args } = parseArgs({
  options: {
    cold: { type: 'boolean', default: false },
    lines: { type: 'string' },
    files: { type: 'string' },
    days: { type: 'string' },
    marks: { type: 'string', default: '0,30,60,120' },
    multiline: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    dir: { type: 'string', default: '/tmp/logpond-bench-query' },
    reload: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'skip-http': { type: 'boolean', default: false },
    store: { type: 'string', default: 'duckdb' },
  },
});
if (!['duckdb', 'clickhouse'].includes(args.store!)) throw new Error('--store is duckdb or clickhouse');
if (args.store === 'clickhouse' && args.cold) throw new Error('--cold runs on DuckDB only so far');
const COLD = args.cold;
const LINES = Number(args.lines ?? (COLD ? BACKFILL_DEFAULTS.lines : 10_000_000));
const FILES = Number(args.files ?? (COLD ? BACKFILL_DEFAULTS.files : 150));
const DAYS = Number(args.days ?? BACKFILL_DEFAULTS.days);
const DIR = path.resolve(args.dir);
const DATA = path.join(DIR, 'data');
const RAW = path.join(DIR, 'raw');
/** Cold: 3 runs, so the marks stay near their times. */
const RUNS = Number(args.runs ?? (COLD ? 3 : 5));
const MARKS = args.marks.split(',').map(Number);
const HOUR = 3_600_000;
const RARE_EVERY = rareEvery(LINES);
if (![LINES, FILES, DAYS, RUNS].every((n) => Number.isFinite(n) && n > 0)) throw new Error('--lines, --files, --days and --runs must be positive numbers');
if (MARKS.some((m) => !Number.isFinite(m) || m < 0)) throw new Error(`--marks: seconds, comma-separated, got ${args.marks}`);
if (args.multiline !== '0' && args.multiline !== '1') throw new Error('--multiline is 0 or 1');
if (!COLD && args.days !== undefined) throw new Error('--days is for --cold (the warm corpus covers 7 days)');

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
    if (manifest.lines === LINES && manifest.files === FILES) {
      log(`reusing ${DIR} (${manifest.lines.toLocaleString()} lines; --reload to rebuild)`);
      await settle();
      return manifest;
    }
  }
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(RAW, { recursive: true });
  const to = Date.now();
  const from = to - 7 * DAY_MS;
  log(`loading ${LINES.toLocaleString()} lines over 7 days into ${DATA} and ${RAW}…`);
  const started = performance.now();
  // The store's clock jumps an hour at the end of the load, so every hour counts as quiet and is
  // merged and indexed, as a running server's maintenance does an hour after the fact.
  let clockOffset = 0;
  const store = await LogStore.open({ replay: replayJournalRecord, dataDir: DATA, retentionMs: null, maxDiskBytes: null, background: false, now: () => Date.now() + clockOffset });
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
  for (const record of corpusRecords({ lines: LINES, files: FILES, seed: 42, from, to })) {
    const { line, message, rare: planted } = withRareToken(record, n, RARE_EVERY);
    if (planted) rare++;
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
  const manifest: Manifest = { lines: LINES, files: FILES, from, to, rawBytes, rare };
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
  const store = await LogStore.open({ replay: replayJournalRecord, dataDir: DATA, retentionMs: null, maxDiskBytes: null, background: false, now: () => Date.now() + 2 * HOUR });
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
  const lastDay = { from: String(m.to - DAY_MS), to: String(m.to) };
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

/** grep over `files`, best of `runs`; `warmFirst` runs it once more first, untimed. */
function grepBest(files: readonly string[], grepArgs: string[], runs: number, warmFirst: boolean): { ms: number; out: string } {
  let ms = Infinity;
  let out = '';
  for (let i = warmFirst ? -1 : 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync('grep', ['-h', ...grepArgs, '--', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const elapsed = performance.now() - t;
    if (i >= 0) ms = Math.min(ms, elapsed);
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
  if (route === 'account') return `signIn ${r.signIn}`;
  return `${(r.suggestions as unknown[]).length} suggestions`;
}

function peakRss(pid: number | 'self'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

async function warm(): Promise<void> {
  const manifest = await load();
  log(`raw CRI: ${(manifest.rawBytes / 1e9).toFixed(2)} GB in ${fs.readdirSync(RAW).length} files; rare token on ${manifest.rare} entries`);
  const list = cases(manifest);
  const inProcess = new Map<string, number>();
  const grep = new Map<string, { ms: number; out: string }>();

  const store = await LogStore.open({ replay: replayJournalRecord, dataDir: DATA, retentionMs: null, maxDiskBytes: null, background: false });
  const api = new ReadApi(new DuckDbStorage(store, new Reader(store, 60_000)));
  console.log(`\nin process (best of ${RUNS} warm runs; median in brackets)`);
  for (const c of list) {
    const { best: ms, median, result } = await best(() => api[c.route](new URLSearchParams(c.params)));
    inProcess.set(c.name, ms);
    let line = `${c.name.padEnd(56)} ${ms.toFixed(1).padStart(8)} ms [${median.toFixed(1)}]  ${summary(c.route, result)}`;
    if (c.grep) {
      const g = grepBest(fs.readdirSync(RAW).map((f) => path.join(RAW, f)), c.grep, RUNS, true);
      grep.set(c.name, g);
      line += `; grep ${c.grep.join(' ')}: ${g.ms.toFixed(0)} ms (${g.out}), ratio ${(ms / g.ms).toFixed(2)}×`;
    }
    console.log(`${line}   target ${c.target}`);
  }
  console.log(`bench process peak RSS (store open in process): ${(peakRss('self') / 2 ** 20).toFixed(0)} MiB`);
  await store.close();
  if (args.store === 'clickhouse') await clickhouseFigures(manifest, list, inProcess, grep);

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

/** One case at one mark: the first run, the best of the runs, and what the route answered. */
interface Timed {
  first: number;
  best: number;
  answer: string;
}

/** Times `runs` requests in a row; a refusal (504 query_timeout, say) is timed and answered as such. */
async function timeHttp(url: string, route: string, runs: number): Promise<Timed> {
  const times: number[] = [];
  let answer = '';
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const response = await fetch(url);
    const body = await response.text();
    times.push(performance.now() - t);
    answer = response.ok ? summary(route, JSON.parse(body)) : `HTTP ${response.status} ${errorCode(body)}`.trim();
  }
  return { first: times[0], best: Math.min(...times), answer };
}

/** The `code` of an error body, or '' when the body is not Logpond's error JSON. */
function errorCode(body: string): string {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? '';
  } catch {
    return '';
  }
}

interface MarkResult {
  mark: number;
  /** Offsets from the last line stored, ms. */
  start: number;
  end: number;
  status: Record<string, unknown>;
  segments: [start: number | undefined, end: number | undefined];
  hot: number | undefined;
  cpuBefore: number;
  cpuDuring: number;
  /** CPU of every process but the server during the mark: grep, this bench, and whoever shares the machine. */
  othersDuring: number;
  gapMs: number;
  rss: number;
  timings: Map<string, Timed>;
  greps: Map<string, { ms: number; out: string }>;
}

const STORE_GAUGES = ['logpond_store_segments', 'logpond_store_hot_entries'] as const;

/**
 * What any read pays before the store is asked: a route behind the same request gate that reads
 * nothing (/api/auth/account), timed as the cases are. The interactive targets include it.
 */
const HTTP_FLOOR = 'the HTTP floor: GET /api/auth/account (the gate, no store)';

async function cold(): Promise<void> {
  const multiline = args.multiline === '1';
  const { dir, cleanup } = await tempDir('logpond-bench-cold-');
  let stop: (() => Promise<void>) | undefined;
  try {
    const run = await runBackfill({ dir, lines: LINES, files: FILES, spanMs: DAYS * DAY_MS, multiline, plantRare: true });
    stop = run.stop;
    const { corpus, server, figures } = run;
    const pid = server.child.pid;
    console.log(`\nbench:query --cold: the backfill (as bench:ingest --e2e)\n`);
    console.log(markdownTable(['figure', 'value'], backfillRows(run, multiline)));
    log(`rare token on ${corpus.rare} entries; marks at +${MARKS.join(', +')} s after the last line stored; the collector keeps running (idle)`);
    const list = cases({ lines: LINES, files: FILES, from: corpus.from, to: corpus.to, rawBytes: corpus.rawBytes, rare: corpus.rare });
    const marks: MarkResult[] = [];
    let previousEnd = figures.storedAt;
    let previousCpu = cpuSeconds(pid);
    for (const mark of MARKS) {
      const due = figures.storedAt + mark * 1000;
      if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
      const startedAt = Date.now();
      const cpuAtStart = cpuSeconds(pid);
      const machineAtStart = machineCpuSeconds();
      // Asked first, so they describe the store the reads below meet.
      const status = await serverStatus(server.url).catch((err: unknown) => ({ error: String(err) }));
      const gaugesAtStart = await serverGauges(server.url, STORE_GAUGES);
      const timings = new Map<string, Timed>();
      const greps = new Map<string, { ms: number; out: string }>();
      for (const c of list) {
        timings.set(c.name, await timeHttp(`${server.url}/api/${c.route}?${new URLSearchParams(c.params)}`, c.route, RUNS));
        if (c.grep) greps.set(c.name, grepBest(corpus.files, c.grep, RUNS, false));
      }
      timings.set(HTTP_FLOOR, await timeHttp(`${server.url}/api/auth/account`, 'account', RUNS));
      const endedAt = Date.now();
      const cpuAtEnd = cpuSeconds(pid);
      const machineDuring = machineCpuSeconds() - machineAtStart;
      const gaugesAtEnd = await serverGauges(server.url, STORE_GAUGES);
      marks.push({
        mark,
        start: startedAt - figures.storedAt,
        end: endedAt - figures.storedAt,
        status,
        segments: [gaugesAtStart.logpond_store_segments, gaugesAtEnd.logpond_store_segments],
        hot: gaugesAtStart.logpond_store_hot_entries,
        cpuBefore: cpuAtStart - previousCpu,
        cpuDuring: cpuAtEnd - cpuAtStart,
        othersDuring: machineDuring - (cpuAtEnd - cpuAtStart),
        gapMs: startedAt - previousEnd,
        rss: memoryOf(pid).rss,
        timings,
        greps,
      });
      log(`  mark +${mark} s: measured from +${((startedAt - figures.storedAt) / 1000).toFixed(1)} s to +${((endedAt - figures.storedAt) / 1000).toFixed(1)} s`);
      previousEnd = endedAt;
      previousCpu = cpuAtEnd;
    }

    const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`\nthe server at each mark (offsets from the last line stored; its own background maintenance only)\n`);
    console.log(
      markdownTable(
        ['mark', 'measured from → to', 'server CPU before the mark (idle gap)', 'server CPU during', 'other processes\' CPU during (grep, bench, neighbours)', 'sealed segments (start → end)', 'hot entries', 'server RSS', '/api/status (collectors left out)'],
        marks.map((m) => {
          const { collectors: _collectors, ...fields } = m.status;
          return [
            `+${m.mark} s`,
            `+${secs(m.start)} → +${secs(m.end)}`,
            `${m.cpuBefore.toFixed(1)} s in ${secs(m.gapMs)}`,
            `${m.cpuDuring.toFixed(1)} s`,
            `${Math.max(0, m.othersDuring).toFixed(1)} s`,
            `${m.segments[0] ?? '?'} → ${m.segments[1] ?? '?'}`,
            m.hot === undefined ? '?' : thousands(m.hot),
            mib(m.rss),
            JSON.stringify(fields),
          ];
        }),
      ),
    );
    console.log(`\nreads over HTTP at each mark: first run / best of ${RUNS}, ms (× the best grep on the same files at that mark)\n`);
    const rows: string[][] = [];
    for (const c of list) {
      const cells = marks.map((m) => {
        const t = m.timings.get(c.name)!;
        const g = m.greps.get(c.name);
        const refused = t.answer.startsWith('HTTP') ? ` (${t.answer})` : '';
        return `${t.first.toFixed(0)} / ${t.best.toFixed(0)}${g ? ` (${(t.best / g.ms).toFixed(2)}×)` : ''}${refused}`;
      });
      const answers = marks.map((m) => m.timings.get(c.name)!.answer);
      const differing = marks.filter((m, i) => answers[i] !== answers[0]).map((m) => `+${m.mark} s: ${m.timings.get(c.name)!.answer}`);
      rows.push([c.name, c.target, ...cells, [answers[0], ...differing].join('; ')]);
    }
    rows.push([HTTP_FLOOR, '', ...marks.map((m) => `${m.timings.get(HTTP_FLOOR)!.first.toFixed(0)} / ${m.timings.get(HTTP_FLOOR)!.best.toFixed(0)}`), '']);
    for (const c of list.filter((x) => x.grep)) {
      const outs = marks.map((m) => m.greps.get(c.name)!.out);
      rows.push([`grep ${c.grep!.join(' ')} on the ${corpus.files.length} files`, '', ...marks.map((m) => m.greps.get(c.name)!.ms.toFixed(0)), [...new Set(outs)].join(' / ')]);
    }
    console.log(markdownTable(['case', 'target (warm)', ...marks.map((m) => `+${m.mark} s`), 'answer'], rows));
    console.log(`\nserver peak RSS over the whole run (VmHWM): ${mib(memoryOf(pid).hwm)}; the collector stayed up (idle) throughout, peak RSS ${mib(run.collector.peakRss())}`);
  } finally {
    await stop?.();
    if (!args.keep) await cleanup();
    else log(`kept ${dir} (logs/, data/, checkpoint.json)`);
  }
}

/** ClickHouse's store of the same corpus, in `--dir`/clickhouse, loaded on first use. */
const CLICKHOUSE = () => ({ url: `chdb:${path.join(DIR, 'clickhouse')}`, database: 'bench', username: undefined, password: undefined, cluster: undefined });

/**
 * `--store clickhouse` (issue 20): the same cases on ClickHouse (chDB in this process) over the
 * same corpus, beside DuckDB's figures of this run and grep's, with ClickHouse's targets.
 */
async function clickhouseFigures(m: Manifest, list: Case[], duckdb: Map<string, number>, grep: Map<string, { ms: number; out: string }>): Promise<void> {
  ensureChdb();
  const storage = await ClickHouseStorage.open({ clickhouse: CLICKHOUSE(), retentionMs: null, queryTimeoutMs: 60_000, background: false });
  try {
    if ((await storage.stats()).entries !== m.lines) await loadClickHouse(storage, m);
    const api = new ReadApi(storage);
    const targets: Record<string, string> = {
      [list[0].name]: '≤ 0.25× grep -cF',
      [list[1].name]: '≤ 1.5× grep -ciF',
      [list[2].name]: '≤ 50 ms',
      [list[3].name]: '≤ 150 ms',
      [list[4].name]: '≤ 150 ms',
      [list[5].name]: '≤ 150 ms',
      [list[6].name]: '≤ 150 ms',
      [list[7].name]: '≤ 300 ms',
    };
    const rows: string[][] = [];
    for (const c of list) {
      const { best: ms, median, result } = await best(() => api[c.route](new URLSearchParams(c.params)));
      const g = grep.get(c.name);
      const ratio = (x: number) => (g ? ` (${(x / g.ms).toFixed(2)}×)` : '');
      rows.push([c.name, `${duckdb.get(c.name)!.toFixed(1)}${ratio(duckdb.get(c.name)!)}`, `${ms.toFixed(1)}${ratio(ms)} [${median.toFixed(1)}]`, targets[c.name] ?? '≤ 100 ms', summary(c.route, result)]);
    }
    console.log(`\nClickHouse (chDB ${(await storage.stats()).engine.version}, in process; best of ${RUNS} warm runs, median in brackets) beside DuckDB's figures above\n`);
    console.log(markdownTable(['case', 'DuckDB ms', 'ClickHouse ms', 'ClickHouse target', 'answer'], rows));
    const stats = await storage.stats();
    console.log(`\nstored: ClickHouse ${(stats.diskBytes / 1e6).toFixed(0)} MB = ${(stats.diskBytes / m.rawBytes).toFixed(3)}× raw (target ≤ 0.3×), in ${stats.segments} parts`);
  } finally {
    await storage.close();
  }
}

/** The corpus of the manifest, regenerated (same seed, span and rare tokens), into ClickHouse. */
async function loadClickHouse(storage: ClickHouseStorage, m: Manifest): Promise<void> {
  log(`loading ${m.lines.toLocaleString()} lines into ClickHouse (chDB) at ${CLICKHOUSE().url}…`);
  const started = performance.now();
  const sources = new Map<string, SourceMeta>();
  let entries: WireEntry[] = [];
  let n = 0;
  const flush = async () => {
    if (entries.length === 0) return;
    const keys = new Set(entries.map((e) => e.source));
    await storage.ingest(decoded(batch(entries, [...keys].map((k) => sources.get(k as string)!))));
    entries = [];
  };
  for (const record of corpusRecords({ lines: m.lines, files: m.files, seed: 42, from: m.from, to: m.to })) {
    const { message } = withRareToken(record, n, RARE_EVERY);
    const key = `${record.file.node}/${record.file.containerId}`;
    if (!sources.has(key)) sources.set(key, sourceMetaOf(record.file));
    entries.push({ source: key, file: `1:${record.file.containerId.slice(0, 8)}`, offset: record.offset, ts: record.ts, stream: record.stream, message });
    if (entries.length >= 5_000) await flush();
    if (++n % 1_000_000 === 0) log(`  ${n.toLocaleString()} lines, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  await flush();
  log(`loaded in ${((performance.now() - started) / 1000).toFixed(0)} s; waiting for ClickHouse's own merges…`);
  // As a server has it a little after its load: ClickHouse merges parts in the background, by
  // itself; nothing is forced. Measured once the part count has stopped falling for 15 s.
  const parts = async () => Number((await storage.stats()).segments);
  let last = await parts();
  let steady = 0;
  const deadline = performance.now() + 180_000;
  while (steady < 15_000 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5_000));
    const now = await parts();
    steady = now < last ? 0 : steady + 5_000;
    last = now;
  }
  log(`${last} parts after ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  buildIfNeeded(); // the server runs the production build, which must hold the code measured
  await (COLD ? cold() : warm());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
