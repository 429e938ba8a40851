// A new user's first start on a node that already holds days of container logs: the corpus is
// written as real CRI files under the kubelet's names, the real server starts on an empty data
// dir, then the real collector (the shipped bundle, not pinned, no Kubernetes API) reads the
// whole backlog through POST /api/ingest. Shared by `bench:ingest --e2e` and `bench:query --cold`.
//
// "Stored" is what the collector was told: a batch is acknowledged only after the server stored
// it, so the last line is stored when the collector has read every line of the files and no file
// has unacknowledged bytes left. The server's /api/status count must then equal the collector's
// entries sent; with stack traces joined (LOGPOND_MULTILINE=1, the default) that is fewer than the
// lines in the files, which is why the count is taken from the collector, not from the corpus.
import fs from 'node:fs';
import path from 'node:path';
import { startCollectorProcess, type CollectorProcess } from '../collector/test-support/collector-process';
import { freePort, startServer, type ServerProcess } from '../server/testing/server-process';
import { collectorCounters, type CollectorCounters } from './collector-run';
import { corpusRecords } from './corpus';
import { rareEvery, withRareToken } from './rare-token';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const MiB = 1024 * 1024;

/** Issue 17's node: a week of logs in 60 files, 3 M lines (~630 MB of CRI text). */
export const BACKFILL_DEFAULTS = { lines: 3_000_000, files: 60, days: 7 } as const;

/** The server's default LOGPOND_RETENTION (server/config.ts): the corpus stays inside it. */
const DEFAULT_RETENTION_MS = 7 * DAY_MS;
/** The collector's /metrics is cheap; the server's /api/status runs two queries, so it is asked less often. */
const COLLECTOR_POLL_MS = 100;
const STATUS_POLL_MS = 1_000;
const RSS_POLL_MS = 200;
const PROGRESS_EVERY_MS = 10_000;

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
export const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The span of a corpus of `spanMs` ending at `now`. The server's retention drops an hour's
 * segment once its newest line is older than 7 days, so a corpus reaching that far would lose a
 * partial first hour minutes into the run and no count would compare; such a corpus starts at
 * the first whole hour inside the 7 days instead (a week is then up to an hour shorter).
 */
export function corpusSpan(spanMs: number, now: number): { from: number; to: number } {
  const oldestKept = Math.ceil((now - DEFAULT_RETENTION_MS) / HOUR_MS) * HOUR_MS;
  return { from: Math.max(now - spanMs, oldestKept), to: now };
}

export interface CorpusOnDisk {
  logDir: string;
  files: string[];
  from: number;
  to: number;
  /** Corpus entries (bench/corpus.ts): a stack trace's frames are entries of their own. */
  entries: number;
  /** Lines in the files (`P` pieces count): what the collector's lines-read counter reaches. */
  physicalLines: number;
  rawBytes: number;
  /** Entries carrying the rare token (0 unless planted). */
  rare: number;
}

/** Writes the corpus into `logDir` as the kubelet names container logs, planting the rare token if asked. */
export function writeCriCorpus(options: { logDir: string; lines: number; files: number; from: number; to: number; seed?: number; plantRare?: boolean }): CorpusOnDisk {
  fs.mkdirSync(options.logDir, { recursive: true });
  const every = rareEvery(options.lines);
  const open = new Map<string, { fd: number; chunks: string[]; size: number }>();
  const flush = (file: { fd: number; chunks: string[]; size: number }) => {
    fs.writeSync(file.fd, file.chunks.join(''));
    file.chunks = [];
    file.size = 0;
  };
  let entries = 0;
  let physicalLines = 0;
  let rawBytes = 0;
  let rare = 0;
  for (const record of corpusRecords({ lines: options.lines, files: options.files, seed: options.seed ?? 42, from: options.from, to: options.to })) {
    const planted = options.plantRare ? withRareToken(record, entries, every) : { line: record.line, rare: false };
    const line = planted.line;
    if (planted.rare) rare++;
    let file = open.get(record.file.name);
    if (!file) open.set(record.file.name, (file = { fd: fs.openSync(path.join(options.logDir, record.file.name), 'w'), chunks: [], size: 0 }));
    file.chunks.push(line);
    file.size += line.length;
    if (file.size > MiB) flush(file);
    for (let i = line.indexOf('\n'); i !== -1; i = line.indexOf('\n', i + 1)) physicalLines++;
    rawBytes += Buffer.byteLength(line);
    entries++;
  }
  for (const file of open.values()) {
    flush(file);
    fs.closeSync(file.fd);
  }
  const files = [...open.keys()].map((name) => path.join(options.logDir, name));
  return { logDir: options.logDir, files, from: options.from, to: options.to, entries, physicalLines, rawBytes, rare };
}

/** User + system CPU seconds a process has used so far (0 once it is gone). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of a process's main thread (JavaScript, and the native code it calls synchronously,
 * such as the DuckDB appender) and of all its other threads together (DuckDB's own, libuv's pool
 * for zlib and fs, V8's GC helpers: Node 20 names none of them, so they cannot be told apart
 * here). Threads that ended between two readings drop out of the difference.
 */
export function threadCpuSeconds(pid: number | undefined): Map<string, number> {
  const groups = new Map<string, number>();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return groups;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const key = tid === String(pid) ? 'main thread' : 'other threads (DuckDB, libuv, GC)';
      groups.set(key, (groups.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended while we looked
    }
  }
  return groups;
}

/** `after - before` per group, largest first. */
export function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): Array<[string, number]> {
  return [...after].map(([key, s]): [string, number] => [key, s - (before.get(key) ?? 0)]).sort((a, b) => b[1] - a[1]);
}

/**
 * CPU seconds every process on the machine has used so far (/proc/stat, all cores). The machine
 * is shared: what the others took during a run, beside the figures, says how far to trust them.
 */
export function machineCpuSeconds(): number {
  try {
    const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return 0;
  }
}

/** VmRSS and VmHWM (the kernel's own peak) of a process, in bytes (0 once it is gone). */
export function memoryOf(pid: number | undefined): { rss: number; hwm: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** The server's /api/status, whatever fields it has (another change may add some). */
export async function serverStatus(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/status`);
  if (!response.ok) throw new Error(`/api/status answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Gauges of the server's /api/metrics by name, labels included (`logpond_store_memory_bytes{instance="store"}`). */
export async function serverGauges(url: string, names: readonly string[]): Promise<Record<string, number | undefined>> {
  const text = await fetch(`${url}/api/metrics`).then((r) => r.text(), () => '');
  return Object.fromEntries(
    names.map((name) => {
      const match = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text);
      return [name, match ? Number(match[1]) : undefined];
    }),
  );
}

/** What the server's memory is made of, from its /api/metrics. */
const MEMORY_GAUGES = {
  rss: 'process_resident_memory_bytes',
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  external: 'nodejs_external_memory_bytes',
  duckdbStore: 'logpond_store_memory_bytes{instance="store"}',
  duckdbSettle: 'logpond_store_memory_bytes{instance="settle"}',
  hotEntries: 'logpond_store_hot_entries',
} as const;
export type MemoryBreakdown = Record<keyof typeof MEMORY_GAUGES, number>;

async function memoryBreakdown(url: string): Promise<MemoryBreakdown | null> {
  const gauges = await serverGauges(url, Object.values(MEMORY_GAUGES));
  const entries = Object.entries(MEMORY_GAUGES).map(([key, name]) => [key, gauges[name]] as const);
  return entries.every(([, value]) => value !== undefined) ? (Object.fromEntries(entries) as MemoryBreakdown) : null;
}

export interface BackfillOptions {
  /** Work directory: `logs/` (the node's files), `data/` (the server's), the collector's checkpoint. */
  dir: string;
  lines: number;
  files: number;
  /** The span the corpus covers, ending now (see corpusSpan). */
  spanMs: number;
  seed?: number;
  /** LOGPOND_MULTILINE for the collector (joined stack traces, on by default as for a user). */
  multiline: boolean;
  plantRare?: boolean;
  /** Added to the server's environment (which also inherits this process's). */
  serverEnv?: Record<string, string>;
}

export interface BackfillFigures {
  serverReadyMs: number;
  /** Epoch ms: the collector was spawned (its bundle already built). */
  startedAt: number;
  /** Epoch ms: the first batch was acknowledged. */
  firstStoredAt: number;
  /** Epoch ms: every line read and every byte acknowledged, i.e. stored at the server. */
  storedAt: number;
  linesRead: number;
  entriesSent: number;
  /** /api/status `entries` once the last line was stored. */
  entriesStored: number;
  batchRetries: number;
  serverCpu: number;
  /** The server's CPU over the same time by thread group (threadCpuSeconds). */
  serverThreads: Array<[string, number]>;
  collectorCpu: number;
  /** Batches the server stored, and the seconds it spent in them (logpond_ingest_duration_seconds: read, decode, store). */
  batches: number;
  batchSeconds: number;
  /** Sealed Parquet segments and entries still hot, once the last line was stored. */
  segments: number | undefined;
  hotEntries: number | undefined;
  /** CPU of every other process on the machine over the same time, this bench's own included. */
  othersCpu: number;
  /** Highest VmRSS sampled every 200 ms from the collector's start to the last line stored. */
  serverPeakRss: number;
  /** The kernel's peak (VmHWM) of the server process so far, its boot included. */
  serverHwm: number;
  serverRssAtEnd: number;
  collectorPeakRss: number;
  /** Where the collector said its pod metadata came from. */
  metadata: string;
  /** The server's memory by part at the scrape (every STATUS_POLL_MS) that saw the highest RSS. */
  memoryAtPeak: MemoryBreakdown | null;
}

export interface Backfill {
  corpus: CorpusOnDisk;
  dataDir: string;
  server: ServerProcess;
  collector: CollectorProcess;
  collectorPort: number;
  figures: BackfillFigures;
  /** Stops the collector (it has nothing left to send) and then the server (which seals what is hot). */
  stop(): Promise<void>;
}

/**
 * Writes the corpus, starts the server on an empty data dir and the collector after it, and
 * returns once the last line is stored, with both still running. Throws (after stopping both)
 * if either exits or the backlog is not stored in time.
 */
export async function runBackfill(options: BackfillOptions): Promise<Backfill> {
  const logDir = path.join(options.dir, 'logs');
  const dataDir = path.join(options.dir, 'data');
  const { from, to } = corpusSpan(options.spanMs, Date.now());
  log(`writing ${thousands(options.lines)} corpus entries over ${((to - from) / DAY_MS).toFixed(2)} days into ${options.files} files under ${logDir}…`);
  const writeStarted = performance.now();
  const corpus = writeCriCorpus({ logDir, lines: options.lines, files: options.files, from, to, seed: options.seed, plantRare: options.plantRare });
  log(`  ${thousands(corpus.physicalLines)} lines, ${(corpus.rawBytes / 1e6).toFixed(0)} MB in ${((performance.now() - writeStarted) / 1000).toFixed(0)} s`);

  const serverStarted = performance.now();
  // Every other setting is the server's default (retention 7d, disk 10GiB, memory 1GiB), as on a
  // user's first `npm run server`; this process's environment can still override them.
  const server = await startServer({ LOGPOND_DATA_DIR: dataDir, ...options.serverEnv });
  const serverReadyMs = performance.now() - serverStarted;
  const serverPid = server.child.pid;
  const collectorPort = await freePort();
  let collector: CollectorProcess | undefined;
  try {
    const serverCpuBefore = cpuSeconds(serverPid);
    const machineCpuBefore = machineCpuSeconds();
    const threadsBefore = threadCpuSeconds(serverPid);
    collector = startCollectorProcess({
      LOGPOND_LOG_DIR: logDir,
      LOGPOND_SERVER_URL: server.url,
      LOGPOND_CHECKPOINT: path.join(options.dir, 'checkpoint.json'),
      LOGPOND_COLLECTOR_PORT: String(collectorPort),
      LOGPOND_COLLECTOR_HOST: '127.0.0.1',
      LOGPOND_DATA_DIR: options.dir,
      LOGPOND_DEMO: '0',
      LOGPOND_MULTILINE: options.multiline ? '1' : '0',
      // No Kubernetes API, as on a laptop or a node without a kubeconfig: sources get what the
      // file names say (collector/main.ts), and the bench cannot wander off to a real cluster.
      KUBECONFIG: '',
      KUBERNETES_SERVICE_HOST: '',
    });
    const startedAt = Date.now();
    let serverPeakRss = 0;
    const sampler = setInterval(() => (serverPeakRss = Math.max(serverPeakRss, memoryOf(serverPid).rss)), RSS_POLL_MS);
    try {
      const deadline = startedAt + Math.max(300_000, (options.lines / 5_000) * 1000);
      let firstStoredAt: number | undefined;
      let counters: CollectorCounters | undefined;
      let stored = 0;
      let lastStatus = 0;
      let lastProgress = startedAt;
      let lastCpu = serverCpuBefore;
      let memoryAtPeak: MemoryBreakdown | null = null;
      for (;;) {
        if (collector.child.exitCode !== null) throw new Error(`the collector exited with ${collector.child.exitCode}:\n${collector.output()}`);
        if (server.child.exitCode !== null) throw new Error(`the server exited with ${server.child.exitCode}:\n${server.output()}`);
        counters = (await collectorCounters({ port: collectorPort })) ?? counters;
        const now = Date.now();
        if (counters && counters.entriesSent > 0) firstStoredAt ??= now;
        if (counters && counters.linesRead >= corpus.physicalLines && counters.lag === 0) break;
        if (now - lastStatus >= STATUS_POLL_MS) {
          lastStatus = now;
          stored = Number((await serverStatus(server.url).catch(() => ({ entries: stored }))).entries);
          const memory = await memoryBreakdown(server.url);
          if (memory && memory.rss > (memoryAtPeak?.rss ?? 0)) memoryAtPeak = memory;
        }
        if (now - lastProgress >= PROGRESS_EVERY_MS) {
          const cpu = cpuSeconds(serverPid);
          log(
            `  +${((now - startedAt) / 1000).toFixed(0)} s: collector read ${thousands(counters?.linesRead ?? 0)} lines ` +
              `(${(((counters?.linesRead ?? 0) / corpus.physicalLines) * 100).toFixed(0)}%), server holds ${thousands(stored)} entries, ` +
              `server RSS ${mib(memoryOf(serverPid).rss)}, server CPU ${Math.round(((cpu - lastCpu) / ((now - lastProgress) / 1000)) * 100)}% of a core, ` +
              `collector RSS ${mib(collector.rss())}`,
          );
          lastProgress = now;
          lastCpu = cpu;
        }
        if (now > deadline) throw new Error(`the backlog was not stored in time: ${JSON.stringify(counters)}\n${collector.output()}`);
        await new Promise((r) => setTimeout(r, COLLECTOR_POLL_MS));
      }
      const storedAt = Date.now();
      const serverCpu = cpuSeconds(serverPid) - serverCpuBefore;
      const serverThreads = threadCpuDelta(threadsBefore, threadCpuSeconds(serverPid));
      const collectorCpu = cpuSeconds(collector.child.pid);
      const othersCpu = machineCpuSeconds() - machineCpuBefore - serverCpu - collectorCpu;
      const { rss: serverRssAtEnd, hwm: serverHwm } = memoryOf(serverPid);
      serverPeakRss = Math.max(serverPeakRss, serverRssAtEnd);
      // Acknowledged means stored, so the two agree at once; a difference is a bug worth seeing.
      const entriesStored = Number((await serverStatus(server.url)).entries);
      const gauges = await serverGauges(server.url, ['logpond_ingest_duration_seconds_count', 'logpond_ingest_duration_seconds_sum', 'logpond_store_segments', 'logpond_store_hot_entries']);
      const output = collector.output();
      const metadata = /no Kubernetes API/.test(output)
        ? 'from file names (no Kubernetes API)'
        : /pod metadata from/.test(output)
          ? 'from a Kubernetes API (KUBECONFIG or in-cluster)'
          : 'unknown (see the collector output)';
      const running = collector; // a const the closure below may keep
      return {
        corpus,
        dataDir,
        server,
        collector,
        collectorPort,
        figures: {
          serverReadyMs,
          startedAt,
          firstStoredAt: firstStoredAt ?? storedAt,
          storedAt,
          linesRead: counters.linesRead,
          entriesSent: counters.entriesSent,
          entriesStored,
          batchRetries: counters.batchRetries,
          batches: gauges.logpond_ingest_duration_seconds_count ?? 0,
          batchSeconds: gauges.logpond_ingest_duration_seconds_sum ?? 0,
          segments: gauges.logpond_store_segments,
          hotEntries: gauges.logpond_store_hot_entries,
          serverCpu,
          serverThreads,
          collectorCpu,
          othersCpu,
          serverPeakRss,
          serverHwm,
          serverRssAtEnd,
          collectorPeakRss: collector.peakRss(),
          metadata,
          memoryAtPeak,
        },
        stop: async () => {
          await running.stop();
          await server.stop();
        },
      };
    } finally {
      clearInterval(sampler);
    }
  } catch (err) {
    await collector?.stop();
    await server.stop();
    throw err;
  }
}

/** The backfill's figures as rows of a Markdown table (`| figure | value |`). */
export function backfillRows(run: Backfill, multiline: boolean): Array<[string, string]> {
  const { corpus, figures: f } = run;
  const seconds = (f.storedAt - f.startedAt) / 1000;
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    ['corpus on the node', `${thousands(corpus.entries)} entries = ${thousands(corpus.physicalLines)} CRI lines, ${(corpus.rawBytes / 1e6).toFixed(0)} MB, ${corpus.files.length} files, ${((corpus.to - corpus.from) / DAY_MS).toFixed(2)} days (${iso(corpus.from)} to ${iso(corpus.to)})`],
    ['pod metadata', f.metadata],
    ['stack traces joined (LOGPOND_MULTILINE)', multiline ? 'on (the default)' : 'off: one entry per CRI entry'],
    ['server start on an empty data dir, until /api/healthz answers', `${(f.serverReadyMs / 1000).toFixed(1)} s`],
    ['collector start → first batch stored', `${((f.firstStoredAt - f.startedAt) / 1000).toFixed(1)} s`],
    ['collector start → last line stored', `${seconds.toFixed(1)} s`],
    ['lines/s (CRI lines read ÷ that time)', `${thousands(f.linesRead / seconds)} (${((corpus.rawBytes / MiB) / seconds).toFixed(1)} MiB/s)`],
    ['entries stored (/api/status) vs entries the collector sent', `${thousands(f.entriesStored)} vs ${thousands(f.entriesSent)}${f.entriesStored === f.entriesSent ? '' : '  **MISMATCH**'}${multiline ? '' : f.entriesStored === corpus.entries ? ' (= corpus entries)' : `  **≠ ${thousands(corpus.entries)} corpus entries**`}`],
    ['entries/s stored', thousands(f.entriesStored / seconds)],
    ['batch retries (429/5xx/network)', String(f.batchRetries)],
    ['batches stored; the server\'s time in them (logpond_ingest_duration_seconds)', `${thousands(f.batches)} of ${thousands(f.entriesStored / Math.max(1, f.batches))} entries; ${f.batchSeconds.toFixed(1)} s in all (${((f.batchSeconds / seconds) * 100).toFixed(0)}% of the wall time), ${((f.batchSeconds / Math.max(1, f.batches)) * 1000).toFixed(1)} ms each`],
    ['server CPU, collector start → last line stored', `${f.serverCpu.toFixed(1)} s (${Math.round((f.serverCpu / seconds) * 100)}% of one core; ${((f.serverCpu / f.entriesStored) * 1e6).toFixed(1)} µs per entry)`],
    ['the server\'s CPU by thread', f.serverThreads.filter(([, s]) => s >= 0.05).map(([key, s]) => `${key} ${s.toFixed(1)} s`).join(', ')],
    ['server peak RSS (VmRSS every 200 ms; VmHWM incl. boot)', `${mib(f.serverPeakRss)}; VmHWM ${mib(f.serverHwm)}; ${mib(f.serverRssAtEnd)} at the last line`],
    [
      'the server\'s memory at its highest sampled RSS (/api/metrics every second)',
      f.memoryAtPeak
        ? `RSS ${mib(f.memoryAtPeak.rss)}: JS heap ${mib(f.memoryAtPeak.heapUsed)} used of ${mib(f.memoryAtPeak.heapTotal)}, external ${mib(f.memoryAtPeak.external)}, DuckDB ${mib(f.memoryAtPeak.duckdbStore)} (store) + ${mib(f.memoryAtPeak.duckdbSettle)} (settling), ${thousands(f.memoryAtPeak.hotEntries)} entries hot`
        : 'not scraped',
    ],
    ['collector CPU (its whole life)', `${f.collectorCpu.toFixed(1)} s (${Math.round((f.collectorCpu / seconds) * 100)}% of one core, not pinned)`],
    ['collector peak RSS (VmRSS every 100 ms)', mib(f.collectorPeakRss)],
    ['CPU of every other process meanwhile (this bench included; the machine is shared)', `${Math.max(0, f.othersCpu).toFixed(1)} s (${Math.round((Math.max(0, f.othersCpu) / seconds) * 100)}% of one core, of 200%)`],
    ['the store at the last line: sealed segments, entries still hot', `${f.segments ?? '?'} segments, ${f.hotEntries === undefined ? '?' : thousands(f.hotEntries)} hot`],
    ['last line stored at', `${iso(f.storedAt)} (${f.storedAt})`],
  ];
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}
