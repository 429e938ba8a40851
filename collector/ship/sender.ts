// Delivers one batch to POST /api/ingest: gzip, bearer token, and retries with exponential
// backoff and jitter until the server accepts or refuses it for good. Resending is safe: the
// server drops every (source, file, offset) it already stored.
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import type { IngestResult } from '../../common/ingest-batch';
import { errorMessage, StoppedError } from '../errors';
import type { Logger } from '../log';
import type { CollectorMetrics } from '../metrics';
import { SEND_LANES } from './send-lanes';


/** The first retry waits about this long; each further one twice as long... */
export const RETRY_BASE_DELAY_MS = 500;
/** ...up to this, so a server back from a restart is found within half a minute. */
export const RETRY_MAX_DELAY_MS = 30_000;
/** A request that has not answered by then is abandoned and retried. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Log text shrinks well even at the fastest level, and the collector shares the node's CPU. */
const GZIP_LEVEL = 1;
/** Room for a whole compressed batch (a 1 MiB batch gzips to about 150 KiB): one output chunk. */
const GZIP_CHUNK_BYTES = 256 * 1024;
/** The body is over the server's limit (LOGPOND_MAX_BATCH): smaller halves of it may pass. */
const TOO_LARGE = 413;
const MAX_REASON_CHARS = 300;
/** The server's answer is a small JSON object; more than this of it is not kept. */
const MAX_ANSWER_BYTES = 64 * 1024;

export type SendOutcome =
  | { kind: 'accepted'; result: IngestResult }
  | { kind: 'dropped'; status: number; reason: string }
  | { kind: 'too_large' };

export interface SenderOptions {
  url: string;
  token?: string;
  metrics: CollectorMetrics;
  log: Logger;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  requestTimeoutMs?: number;
  random?: () => number;
  /** Batches in flight at once (one per send lane). */
  connections?: number;
}

type Attempt = { status: number; text: string; retryAfterMs?: number } | { failure: string };

export class IngestSender {
  /** Set while deliveries fail, so the outage is logged once and its end once. */
  private outageRetries = 0;
  private readonly agents: Record<string, http.Agent> = {};

  constructor(private readonly options: SenderOptions) {}

  /**
   * Sends `json` (an IngestBatch of `entryCount` entries) until accepted or refused; throws
   * StoppedError when `signal` aborts first.
   */
  async send(json: string | Buffer, entryCount: number, signal: AbortSignal): Promise<SendOutcome> {
    const { metrics, log, url } = this.options;
    // On the calling thread: a collector gets a fraction of a core, and handing a batch to zlib's
    // thread pool and back cost more than the compression (measured: 104k → 122k lines/s on one core).
    const body = zlib.gzipSync(json, { level: GZIP_LEVEL, chunkSize: GZIP_CHUNK_BYTES });
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw new StoppedError();
      const answer = await this.post(body, signal);
      if ('status' in answer && answer.status >= 200 && answer.status < 300) {
        if (this.outageRetries > 0) {
          log.info(`delivering to ${url} again after ${this.outageRetries} retries`);
          this.outageRetries = 0;
        }
        return { kind: 'accepted', result: parseResult(answer.text, entryCount) };
      }
      if ('status' in answer && answer.status === TOO_LARGE) return { kind: 'too_large' };
      if ('status' in answer && isRefusal(answer.status)) {
        const reason = answer.text.slice(0, MAX_REASON_CHARS);
        log.error(`the server refused a batch of ${entryCount} entries (${answer.status} ${reason}); dropped it`);
        return { kind: 'dropped', status: answer.status, reason };
      }
      metrics.batchRetries++;
      metrics.countError('send');
      const problem = 'status' in answer ? `HTTP ${answer.status} ${answer.text.slice(0, MAX_REASON_CHARS)}` : answer.failure;
      if (this.outageRetries === 0) log.error(`cannot deliver to ${url} (${problem}); retrying with backoff, reading paused`);
      this.outageRetries++;
      const delay = this.backoff(attempt, 'status' in answer ? answer.retryAfterMs : undefined);
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        throw new StoppedError();
      }
    }
  }

  /**
   * One POST over a kept-alive connection. node:http rather than fetch: the body goes to the
   * socket as it is, and a request costs a fraction of undici's allocations, which count when
   * a collector sends fifty batches a second.
   */
  private post(body: Buffer, signal: AbortSignal): Promise<Attempt> {
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': body.length,
    };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const url = new URL(this.options.url);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<Attempt>((resolve, reject) => {
      if (signal.aborted) return reject(new StoppedError());
      let timedOut = false;
      let settled = false;
      const settle = (outcome: Attempt | StoppedError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (outcome instanceof StoppedError) reject(outcome);
        else resolve(outcome);
      };
      const request = transport.request(url, { method: 'POST', headers, agent: this.agent(url.protocol) }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const header = response.headers['retry-after'];
          settle({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            retryAfterMs: retryAfterMs(typeof header === 'string' ? header : null),
          });
        });
        response.on('error', (err) => settle({ failure: describeNetworkError(err) }));
      });
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy();
      }, this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
      const onAbort = () => {
        request.destroy();
        settle(new StoppedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.on('error', (err) => settle({ failure: timedOut ? 'no answer in time' : describeNetworkError(err) }));
      request.end(body);
    });
  }

  private agent(protocol: string): http.Agent {
    // A connection per lane (send-lanes.ts), each with one batch in flight at a time.
    const options = { keepAlive: true, maxSockets: this.options.connections ?? SEND_LANES };
    this.agents[protocol] ??= protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    return this.agents[protocol];
  }

  /** Closes the kept-alive connection. */
  close(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }

  /** Exponential, with "equal jitter": half fixed, half random, so collectors do not retry in step. */
  private backoff(attempt: number, retryAfter: number | undefined): number {
    const base = this.options.retryBaseDelayMs ?? RETRY_BASE_DELAY_MS;
    const max = this.options.retryMaxDelayMs ?? RETRY_MAX_DELAY_MS;
    const random = this.options.random ?? Math.random;
    const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
    const delay = ceiling / 2 + (random() * ceiling) / 2;
    return Math.min(max, Math.max(delay, retryAfter ?? 0));
  }
}

/** A 4xx other than 429 (slow down) and 413 (split): resending the same bytes cannot help. */
function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 429 && status !== TOO_LARGE;
}

function parseResult(text: string, sent: number): IngestResult {
  try {
    const value = JSON.parse(text) as Partial<IngestResult>;
    if (typeof value.accepted === 'number' && typeof value.duplicates === 'number') {
      return { accepted: value.accepted, duplicates: value.duplicates };
    }
  } catch {
    // A 2xx means stored, whatever the body says; the counts are only for metrics.
  }
  return { accepted: sent, duplicates: 0 };
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  return cause ? `${errorMessage(err)}: ${errorMessage(cause)}` : errorMessage(err);
}
