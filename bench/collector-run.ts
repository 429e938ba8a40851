// Shared by the collector benches: a temp log dir, the ingest stand-in that counts and
// discards, the collector's real entry point in a child process, and its own /metrics.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCollectorProcess, type CollectorProcess } from '../collector/test-support/collector-process';
import { startIngestStandIn } from '../collector/test-support/ingest-stand-in';
import { freePort } from '../server/testing/server-process';
import { corpusRecords } from './corpus';

export const MiB = 1024 * 1024;

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** Pins this process (the writer and the stand-in) to core 1, leaving core 0 to the collector. */
export function pinSelf(): boolean {
  if (os.cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Per file, its corpus text in ~64 KiB chunks, and how many physical lines each chunk holds. */
export function corpusChunks(lines: number, files: number): { names: string[]; chunks: Array<Array<{ text: string; lines: number }>> } {
  const byName = new Map<string, Array<{ text: string; lines: number }>>();
  const open = new Map<string, { text: string; lines: number }>();
  // Fixed bounds: the same corpus on every run, so runs compare.
  for (const entry of corpusRecords({ lines, files, seed: 7, from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-02T00:00:00Z') })) {
    const name = entry.file.name;
    const chunk = open.get(name) ?? { text: '', lines: 0 };
    chunk.text += entry.line;
    chunk.lines += entry.line.split('\n').length - 1;
    if (chunk.text.length >= 64 * 1024) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name)!.push(chunk);
      open.delete(name);
    } else open.set(name, chunk);
  }
  for (const [name, chunk] of open) {
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name)!.push(chunk);
  }
  const names = [...byName.keys()];
  return { names, chunks: names.map((n) => byName.get(n)!) };
}

export interface Run {
  dir: string;
  logDir: string;
  standIn: Awaited<ReturnType<typeof startIngestStandIn>>;
  /** The collector's health port, for /metrics. */
  port: number;
  child: CollectorProcess;
}

export async function startRun(): Promise<Omit<Run, 'child'>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'logpond-bench-collector-'));
  const logDir = path.join(dir, 'containers');
  await fs.mkdir(logDir);
  const standIn = await startIngestStandIn({ discard: true });
  return { dir, logDir, standIn, port: await freePort() };
}

export function launch(run: Omit<Run, 'child'>, pinned: boolean, env: Record<string, string> = {}): Run {
  const child = startCollectorProcess(
    {
      LOGPOND_LOG_DIR: run.logDir,
      LOGPOND_SERVER_URL: run.standIn.url.replace(/\/api\/ingest$/, ''),
      LOGPOND_CHECKPOINT: path.join(run.dir, 'checkpoint.json'),
      LOGPOND_COLLECTOR_PORT: String(run.port),
      LOGPOND_COLLECTOR_HOST: '127.0.0.1',
      ...env,
    },
    { cpu: pinned ? 0 : undefined },
  );
  return { ...run, child };
}

export interface CollectorCounters {
  linesRead: number;
  /** Bytes of followed files not acknowledged yet, summed over the files. */
  lag: number;
  entriesSent: number;
  batchRetries: number;
}

/** The collector's own counters, from its /metrics (undefined while it does not answer). */
export async function collectorCounters(run: { port: number }): Promise<CollectorCounters | undefined> {
  const text = await fetch(`http://127.0.0.1:${run.port}/metrics`).then((r) => r.text(), () => undefined);
  if (text === undefined) return undefined;
  const counter = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  let lag = 0;
  for (const match of text.matchAll(/^logpond_collector_file_lag_bytes\{[^}]*\} (\d+)/gm)) lag += Number(match[1]);
  return {
    linesRead: counter('logpond_collector_lines_read_total'),
    lag,
    entriesSent: counter('logpond_collector_entries_sent_total'),
    batchRetries: counter('logpond_collector_batch_retries_total'),
  };
}

/**
 * When the collector had read `lines` lines, and when every file's bytes were acknowledged too.
 * Between the two lies the last batch's age limit (1 s), a latency the throughput leaves out.
 */
export async function waitDelivered(run: Run, lines: number, timeoutMs: number): Promise<{ readAt: number; deliveredAt: number }> {
  const deadline = Date.now() + timeoutMs;
  let readAt: number | undefined;
  for (;;) {
    const counters = await collectorCounters(run);
    if (counters && counters.linesRead >= lines) readAt ??= Date.now();
    if (readAt !== undefined && counters?.lag === 0) return { readAt, deliveredAt: Date.now() };
    if (Date.now() > deadline) throw new Error(`not delivered in time: ${JSON.stringify(counters)}\n${run.child.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function finish(run: Run): Promise<void> {
  await run.child.stop();
  // With LOGPOND_COLLECTOR_NODE_ARGS=--trace-gc and the like, what the collector printed.
  if (process.env.LOGPOND_BENCH_SHOW_OUTPUT === '1') process.stderr.write(run.child.output());
  await run.standIn.close();
  await fs.rm(run.dir, { recursive: true, force: true });
}

