// A benchmark corpus: N lines of realistic CRI logs over many containers, written to disk
// (writeCorpus) or yielded in memory with their file offsets (corpusRecords), from the same
// generator as the demo writer. Deterministic for (lines, files, seed, from, to).
//
//   npx tsx bench/corpus.ts --lines 100000 --dir /tmp/corpus [--files 200] [--seed 42] [--from ISO] [--to ISO]

import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceMeta, Stream } from '../common/ingest-batch';
import { BufferedFileWriter } from '../collector/demo/buffered-writer';
import { formatCri } from '../collector/demo/cri-format';
import { generateRecords, type LogRecord } from '../collector/demo/line-generator';
import { hashSeed } from '../collector/demo/rng';
import { apportion, burstWindows, DAY_MS } from '../collector/demo/schedule';
import { syntheticLogFiles, type LogFileSpec } from '../collector/demo/synthetic-cluster';

/** One container log file of the corpus, with the metadata a collector would attach to it. */
export type CorpusFile = LogFileSpec;

export interface CorpusOptions {
  /** Entries (logical lines); a rare 20–40 KB entry takes several physical `P`/`F` lines. */
  lines: number;
  files?: number;
  seed?: number;
  /** Epoch ms; defaults to the 24 hours before `to`. */
  from?: number;
  /** Epoch ms; defaults to now. Pass both bounds for a byte-identical corpus. */
  to?: number;
}

export interface CorpusEntry {
  file: CorpusFile;
  /** Byte offset of the entry's first CRI line in its file. */
  offset: number;
  /** The entry's CRI text as written: one `F` line, or `P` lines and an `F` line, each ending in `\n`. */
  line: string;
  /** UTF-8 length of `line`; the file's next entry starts at `offset + bytes`. */
  bytes: number;
  /** The CRI timestamp, RFC 3339 with nanoseconds. */
  ts: string;
  stream: Stream;
  /** The entry's text, partial lines joined. */
  message: string;
}

/** The source metadata a collector would send for a corpus file, under the key `node/containerId`. */
export function sourceMetaOf(file: CorpusFile): SourceMeta {
  return {
    key: `${file.node}/${file.containerId}`,
    node: file.node,
    namespace: file.namespace,
    pod: file.pod,
    podUid: file.podUid,
    container: file.container,
    containerId: file.containerId,
    labels: file.labels,
    annotations: file.annotations,
  };
}

/** The corpus's files: the demo cluster's containers first, then synthetic workloads. */
export function corpusFiles(count: number, seed = 42): CorpusFile[] {
  return syntheticLogFiles(count, seed);
}

interface Plan {
  files: CorpusFile[];
  streams: Array<() => Iterator<LogRecord>>;
}

function plan(options: CorpusOptions): Plan {
  const seed = options.seed ?? 42;
  if (!Number.isInteger(options.lines) || options.lines < 0) throw new RangeError(`lines must be a whole number, got ${options.lines}`);
  if (options.files !== undefined && (!Number.isInteger(options.files) || options.files < 1)) throw new RangeError(`files must be at least 1, got ${options.files}`);
  const to = options.to ?? Date.now();
  const from = options.from ?? to - DAY_MS;
  if (!(to > from)) throw new RangeError(`corpus time range is empty: from ${from} to ${to}`);
  const files = corpusFiles(options.files ?? 200, seed);
  const counts = apportion(options.lines, files.map((f) => f.weight));
  const bursts = burstWindows(seed, [...new Set(files.map((f) => f.service))].sort(), from, to);
  const streams = files.map((f, i) => () =>
    generateRecords({
      kind: f.kind,
      service: f.service,
      namespace: f.namespace,
      seed: hashSeed(seed, f.containerId),
      from,
      to,
      count: counts[i],
      bursts: bursts.filter((b) => b.target === f.service),
    })[Symbol.iterator](),
  );
  return { files, streams };
}

/** CRI text of a record: `message` is `record.text`; the 30-character timestamp leads every line. */
function entryOf(file: CorpusFile, record: LogRecord, offset: number): CorpusEntry {
  const line = formatCri(record);
  return { file, offset, line, bytes: Buffer.byteLength(line, 'utf8'), ts: line.slice(0, 30), stream: record.stream, message: record.text };
}

/**
 * Every entry of the corpus, merged across files in time order (ties by file), as a collector
 * tailing all files would see them; offsets are those writeCorpus gives the same entries on disk.
 */
export function* corpusRecords(options: CorpusOptions): Generator<CorpusEntry, void, undefined> {
  const { files, streams } = plan(options);
  const iterators = streams.map((s) => s());
  const heads: Array<LogRecord | undefined> = iterators.map((it) => {
    const next = it.next();
    return next.done ? undefined : next.value;
  });
  const offsets = files.map(() => 0);
  // A binary min-heap of file indexes keyed by their head record's (ts, nanos, index); the keys sit
  // in typed arrays because this comparison runs ~8 times per entry.
  const keyTs = new Float64Array(files.length);
  const keyNanos = new Float64Array(files.length);
  const setKey = (f: number) => {
    keyTs[f] = heads[f]!.ts;
    keyNanos[f] = heads[f]!.nanos;
  };
  const heap: number[] = [];
  const less = (a: number, b: number): boolean =>
    keyTs[a] !== keyTs[b] ? keyTs[a] < keyTs[b] : keyNanos[a] !== keyNanos[b] ? keyNanos[a] < keyNanos[b] : a < b;
  const down = (start: number): void => {
    let i = start;
    const item = heap[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const c = l + 1 < heap.length && less(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!less(heap[c], item)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = item;
  };
  for (let i = 0; i < heads.length; i++) {
    if (!heads[i]) continue;
    setKey(i);
    heap.push(i);
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const f = heap[0];
    const entry = entryOf(files[f], heads[f]!, offsets[f]);
    offsets[f] += entry.bytes;
    const next = iterators[f].next();
    if (next.done) {
      heads[f] = undefined;
      const lastItem = heap.pop()!;
      if (heap.length > 0) heap[0] = lastItem;
    } else {
      heads[f] = next.value;
      setKey(f);
    }
    if (heap.length > 0) down(0);
    yield entry;
  }
}

/** Writes the corpus into `dir` (created; same-named files are replaced), one file at a time. */
export async function writeCorpus(options: CorpusOptions & { dir: string }): Promise<{ files: string[]; bytes: number; lines: number }> {
  await mkdir(options.dir, { recursive: true });
  const { files, streams } = plan(options);
  const paths: string[] = [];
  let bytes = 0;
  let lines = 0;
  for (let i = 0; i < files.length; i++) {
    const path = join(options.dir, files[i].name);
    paths.push(path);
    const handle = await open(path, 'w');
    try {
      const writer = new BufferedFileWriter(handle);
      const it = streams[i]();
      for (let next = it.next(); !next.done; next = it.next()) {
        const full = writer.write(formatCri(next.value));
        if (full) await full;
        lines++;
      }
      await writer.drain();
      bytes += writer.bytes;
    } finally {
      await handle.close();
    }
  }
  return { files: paths, bytes, lines };
}

function parseTime(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${value}`);
  return ms;
}

function parseArgs(argv: readonly string[]): CorpusOptions & { dir: string } {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (!key.startsWith('--') || argv[i + 1] === undefined) throw new RangeError(`expected --name value, got ${key}`);
    args.set(key.slice(2), argv[i + 1]);
  }
  const known = new Set(['lines', 'dir', 'files', 'seed', 'from', 'to']);
  for (const key of args.keys()) if (!known.has(key)) throw new RangeError(`unknown option --${key}`);
  const number = (key: string, fallback: number) => {
    const v = args.get(key);
    if (v === undefined) return fallback;
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`--${key} must be a whole number, got ${v}`);
    return n;
  };
  const dir = args.get('dir');
  if (!dir) throw new RangeError('--dir is required');
  return {
    dir,
    lines: number('lines', 100_000),
    files: number('files', 200),
    seed: number('seed', 42),
    from: args.has('from') ? parseTime(args.get('from')!) : undefined,
    to: args.has('to') ? parseTime(args.get('to')!) : undefined,
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const result = await writeCorpus(options);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `wrote ${result.lines} lines, ${(result.bytes / 1e6).toFixed(1)} MB, in ${result.files.length} files under ${options.dir} ` +
      `in ${seconds.toFixed(2)} s (${Math.round(result.lines / seconds)} lines/s)\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
