// The two kinds of traffic bench/load.ts offers at once: readers that ask the read routes one
// request after another, and collectors that post what a steady rate has produced since their
// last batch. node:http over kept-alive sockets: the client shares the server's two cores.
import http from 'node:http';
import zlib from 'node:zlib';
import type { IngestBatch, SourceMeta, WireEntry } from '../common/ingest-batch';
import type { CorpusEntry } from './corpus';
import { sourceMetaOf } from './corpus';

const agent = new http.Agent({ keepAlive: true });
/** A request that takes longer is counted as failed, so every loop ends near its deadline. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A reader told to retry later waits at most this long, so a run still ends on time. */
const MAX_RETRY_WAIT_MS = 2_000;

export interface Answer {
  status: number;
  body: string;
  retryAfter: string | undefined;
}

export function request(url: string, method: 'GET' | 'POST', body?: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: http.OutgoingHttpHeaders = body
      ? { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length }
      : {};
    const req = http.request(url, { method, agent, headers, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: response.headers['retry-after'] }),
      );
      response.on('error', () => resolve({ status: 0, body: '', retryAfter: undefined }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '', retryAfter: undefined }));
    req.end(body);
  });
}

export interface ReadCase {
  route: 'search' | 'histogram';
  params: Record<string, string>;
}

export interface ReadStats {
  /** Milliseconds of each answered (200) request, by route. */
  latencies: Map<string, number[]>;
  /** Answers other than 200, by `route status`. */
  refused: Map<string, number>;
  /** Each answered request: when it ended (ms since the epoch) and how long it took. */
  answered: { at: number; ms: number }[];
}

/** `readers` loops over `cases`, each starting at its own case, until `deadline`. */
export async function runReaders(url: string, readers: number, cases: readonly ReadCase[], deadline: number): Promise<ReadStats> {
  const stats: ReadStats = { latencies: new Map(), refused: new Map(), answered: [] };
  await Promise.all(
    Array.from({ length: readers }, async (_, reader) => {
      for (let i = reader; Date.now() < deadline; i++) {
        const { route, params } = cases[i % cases.length];
        const started = performance.now();
        const answer = await request(`${url}/api/${route}?${new URLSearchParams(params)}`, 'GET');
        const ms = performance.now() - started;
        if (answer.status === 200) {
          push(stats.latencies, route, ms);
          stats.answered.push({ at: Date.now(), ms });
        }
        else {
          const key = `${route} ${answer.status || 'no answer'}`;
          stats.refused.set(key, (stats.refused.get(key) ?? 0) + 1);
          const wait = Math.min(MAX_RETRY_WAIT_MS, Number(answer.retryAfter ?? 0) * 1000, Math.max(0, deadline - Date.now()));
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
      }
    }),
  );
  return stats;
}

export interface IngestStats {
  offered: number;
  stored: number;
  /** Entries the server said it had already: a bench bug if not 0. */
  duplicates: number;
  batchMs: number[];
  failed: number;
}

/**
 * Collectors posting, every `flushMs`, what arrived since their last batch, `entries` arriving
 * evenly until `deadline`; a slow server makes the next batch bigger, as a collector's backlog
 * grows. Entries are stamped with the time they are sent, so they are the newest.
 */
export async function runIngest(url: string, entries: readonly CorpusEntry[], collectors: number, flushMs: number, deadline: number, tag: string): Promise<IngestStats> {
  const stats: IngestStats = { offered: 0, stored: 0, duplicates: 0, batchMs: [], failed: 0 };
  const started = Date.now();
  const duration = deadline - started;
  // Each file belongs to one collector, as on its node: the server keeps one offset mark per file.
  const owners = new Map<string, number>();
  const mine: CorpusEntry[][] = Array.from({ length: collectors }, () => []);
  for (const entry of entries) {
    const key = entry.file.containerId;
    let owner = owners.get(key);
    if (owner === undefined) owners.set(key, (owner = owners.size % collectors));
    mine[owner].push(entry);
  }
  await Promise.all(
    mine.map(async (queue, c) => {
      let next = 0;
      let due = 0;
      while (Date.now() < deadline) {
        const tickStarted = Date.now();
        due = Math.min(queue.length, Math.floor(((tickStarted - started) / duration) * queue.length));
        if (due > next) {
          const body = batchOf(queue.slice(next, due), `${tag}-${c}`);
          const t = performance.now();
          const answer = await request(`${url}/api/ingest`, 'POST', body);
          if (answer.status === 200 && Date.now() <= deadline) {
            stats.batchMs.push(performance.now() - t);
            const result = JSON.parse(answer.body) as { accepted: number; duplicates: number };
            stats.stored += result.accepted;
            stats.duplicates += result.duplicates;
            next = due;
          } else if (answer.status !== 200) stats.failed++;
          else next = due; // answered after the end: not counted as held
        }
        const wait = flushMs - (Date.now() - tickStarted);
        if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))));
      }
      stats.offered += due; // what had arrived by its last look
    }),
  );
  return stats;
}

function batchOf(entries: readonly CorpusEntry[], collector: string): Buffer {
  const sources = new Map<string, { index: number; meta: SourceMeta }>();
  const now = new Date().toISOString();
  const wire: WireEntry[] = entries.map((e) => {
    const key = `${e.file.node}/${e.file.containerId}`;
    let source = sources.get(key);
    if (!source) sources.set(key, (source = { index: sources.size, meta: sourceMetaOf(e.file) }));
    return { source: source.index, file: `7:${e.file.containerId.slice(0, 8)}`, offset: e.offset, ts: now, stream: e.stream, message: e.message };
  });
  const batch: IngestBatch = { collector: { id: collector, node: collector }, sources: [...sources.values()].map((s) => s.meta), entries: wire };
  return gzipJson(batch);
}

export function gzipJson(value: unknown): Buffer {
  return zlib.gzipSync(JSON.stringify(value), { level: 1 });
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The q-th quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
