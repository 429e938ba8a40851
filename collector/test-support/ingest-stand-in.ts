// A stand-in for POST /api/ingest on 127.0.0.1: gunzips, checks what the real route checks that
// matters to the collector (sources listed, per-file offsets increasing, token), keeps a per-file
// high-water mark like the server, and can be told to answer 503 for the next n requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { IngestBatch, SourceMeta, WireEntry } from '../../common/ingest-batch';

export interface StoredEntry extends WireEntry {
  sourceMeta: SourceMeta;
}

export interface IngestStandIn {
  url: string;
  /** Entries stored, in arrival order: each (source, file, offset) once. */
  stored: StoredEntry[];
  /** Entries in accepted batches that were already stored (resends). */
  duplicates: number;
  requests: number;
  /** Entries stored (also when countOnly keeps none of them). */
  accepted: number;
  /** Batches answered 413. */
  tooLarge: number;
  /** The most requests that were being answered at one time. */
  mostAtOnce: number;
  /** Anything the real server would refuse or that breaks the contract. */
  violations: string[];
  failNext(count: number, status?: number): void;
  messages(): string[];
  close(): Promise<void>;
}

export interface StandInOptions {
  token?: string;
  /** A batch of more entries than this gets 413, as a body over LOGPOND_MAX_BATCH would. */
  maxEntries?: number;
  /** Keep no entries, only counts: for tests that send millions. */
  countOnly?: boolean;
  /**
   * Accept and discard, counting entries by a scan of the JSON text: a server that costs the
   * collector nothing, for throughput benches. No checks, no high-water marks.
   */
  discard?: boolean;
  /** Listen on this port (to come back where a collector expects it); 0 or unset picks one. */
  port?: number;
  /** Called with each stored entry as it arrives. */
  onStored?: (entry: WireEntry) => void;
  /** Each answer waits this long, as a busy server's would. */
  answerDelayMs?: number;
}

const ENTRY_KEY = Buffer.from('{"source":');

export async function startIngestStandIn(options: StandInOptions = {}): Promise<IngestStandIn> {
  const highWater = new Map<string, number>();
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  const state: Omit<IngestStandIn, 'url' | 'close' | 'failNext' | 'messages'> = {
    stored: [],
    duplicates: 0,
    requests: 0,
    accepted: 0,
    tooLarge: 0,
    mostAtOnce: 0,
    violations: [],
  };
  let atOnce = 0;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    atOnce++;
    state.mostAtOnce = Math.max(state.mostAtOnce, atOnce);
    request.on('end', async () => {
      state.requests++;
      if (options.answerDelayMs) await new Promise((r) => setTimeout(r, options.answerDelayMs));
      const reply = (status: number, body: unknown) => {
        atOnce--;
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (failures.count > 0) {
        failures.count--;
        return reply(failures.status, { error: { code: 'unavailable', message: 'told to fail' } });
      }
      if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
        return reply(401, { error: { code: 'unauthorized', message: 'bad token' } });
      }
      if (options.discard) {
        const raw = Buffer.concat(chunks);
        const body = request.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw;
        // A message's own quotes are escaped, so this key occurs once per entry.
        let entries = 0;
        for (let at = body.indexOf(ENTRY_KEY); at !== -1; at = body.indexOf(ENTRY_KEY, at + 1)) entries++;
        state.accepted += entries;
        return reply(200, { accepted: entries, duplicates: 0 });
      }
      let batch: IngestBatch;
      try {
        const raw = Buffer.concat(chunks);
        const body = request.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw;
        batch = JSON.parse(body.toString('utf8')) as IngestBatch;
      } catch (err) {
        state.violations.push(`unreadable body: ${(err as Error).message}`);
        return reply(400, { error: { code: 'invalid_json', message: 'unreadable' } });
      }
      if (options.maxEntries !== undefined && batch.entries.length > options.maxEntries) {
        state.tooLarge++;
        return reply(413, { error: { code: 'too_large', message: 'over the limit' } });
      }
      const sources = new Map(batch.sources.map((source) => [source.key, source]));
      // A source may be named by its index in `sources`; entries are kept with its key.
      for (const entry of batch.entries) {
        if (typeof entry.source !== 'number') continue;
        const listed = batch.sources[entry.source];
        if (!listed) state.violations.push(`source index ${entry.source} out of range`);
        else entry.source = listed.key;
      }
      const lastInBatch = new Map<string, number>();
      for (const entry of batch.entries) {
        if (!sources.has(entry.source as string)) state.violations.push(`source ${entry.source} not listed`);
        const file = `${entry.source}|${entry.file}`;
        const last = lastInBatch.get(file);
        if (last !== undefined && entry.offset <= last) {
          state.violations.push(`offsets not increasing in ${file}: ${last} then ${entry.offset}`);
        }
        lastInBatch.set(file, entry.offset);
      }
      if (state.violations.length > 0) return reply(400, { error: { code: 'invalid_batch', message: 'bad' } });
      let accepted = 0;
      let duplicates = 0;
      for (const entry of batch.entries) {
        const file = `${entry.source}|${entry.file}`;
        if (entry.offset <= (highWater.get(file) ?? -1)) {
          duplicates++;
          continue;
        }
        highWater.set(file, entry.offset);
        if (!options.countOnly) state.stored.push({ ...entry, sourceMeta: sources.get(entry.source as string)! });
        options.onStored?.(entry);
        accepted++;
      }
      state.duplicates += duplicates;
      state.accepted += accepted;
      reply(200, { accepted, duplicates });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/api/ingest`,
    failNext(count: number, status = 503) {
      failures = { count, status };
    },
    messages: () => state.stored.map((entry) => entry.message),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
