// Decoding a batch (gunzip, JSON.parse, validation, level and field extraction) costs more than
// storing it, and the appender must run on the thread that owns the DuckDB connection. With
// cores to spare, decoding runs on worker threads and the main thread only appends. On two
// cores a worker cost more than it gave (bench:ingest: 175k entries/s with one, 189k without;
// gunzip on the thread pool instead: 149-171k), so there, and where workers cannot start,
// batches are decoded inline.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LogpondError, StorageUnavailableError } from '../errors';
import { decodeBatch } from './decode-batch';
import type { DecodedBatch } from './decoded-batch';
import type { DecodeReply, DecodeRequest } from './decode-worker';
import { decodeProtocol, type ProtocolBody } from './protocols/decode-protocol';

/** Past this many worker deaths in a process, batches are decoded inline. */
const MAX_WORKER_FAILURES = 5;

interface Job {
  resolve: (batch: DecodedBatch) => void;
  reject: (err: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  jobs: Map<number, Job>;
}

export class DecodePool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private closed = false;
  private failures = 0;

  /** `script` is the worker entry (decode-worker.mjs); absent, every batch is decoded inline. */
  constructor(size: number, private readonly script: string | undefined = defaultScript()) {
    if (!script) return;
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  get threads(): number {
    return this.workers.length;
  }

  decode(bytes: Uint8Array, encoding: string, limitBytes: number): Promise<DecodedBatch> {
    return this.run({ bytes, encoding, limitBytes }, () => decodeBatch(bytes, encoding, limitBytes));
  }

  /** A shipper's request (OTLP, Loki push), decoded as a collector's batch is. */
  decodeProtocol(body: ProtocolBody): Promise<DecodedBatch> {
    const { bytes, encoding, limitBytes, ...protocol } = body;
    return this.run({ bytes, encoding, limitBytes, protocol }, () => decodeProtocol(body));
  }

  private run(job: Omit<DecodeRequest, 'id'>, inline: () => DecodedBatch): Promise<DecodedBatch> {
    const { bytes } = job;
    if (this.closed) return Promise.reject(new StorageUnavailableError('the server is shutting down'));
    if (this.workers.length === 0) {
      return new Promise((resolve) => resolve(inline()));
    }
    const target = this.workers.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    const id = this.nextId++;
    return new Promise<DecodedBatch>((resolve, reject) => {
      target.jobs.set(id, { resolve, reject });
      const request: DecodeRequest = { id, ...job };
      const transfer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : [];
      target.worker.postMessage(request, transfer);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    for (const { jobs } of workers) {
      for (const job of jobs.values()) job.reject(new StorageUnavailableError('the server is shutting down'));
      jobs.clear();
    }
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private spawn(): PoolWorker {
    const entry: PoolWorker = { worker: new Worker(this.script!), jobs: new Map() };
    entry.worker.unref();
    entry.worker.on('message', (reply: DecodeReply) => {
      const job = entry.jobs.get(reply.id);
      if (!job) return;
      entry.jobs.delete(reply.id);
      if ('batch' in reply) job.resolve(reply.batch);
      else job.reject(new LogpondError(reply.error.status, reply.error.code, reply.error.message));
    });
    let failed = false;
    const fail = (err: LogpondError) => {
      // 'error' is followed by 'exit': handle a worker's end once.
      if (failed) return;
      failed = true;
      for (const job of entry.jobs.values()) job.reject(err);
      entry.jobs.clear();
      const index = this.workers.indexOf(entry);
      if (index >= 0) this.workers.splice(index, 1);
      if (this.closed) return;
      // A crashed worker is replaced (the batches it held are refused with 503, so they are
      // resent); a worker that keeps failing means workers cannot run here: decode inline.
      this.failures++;
      if (this.failures <= MAX_WORKER_FAILURES) this.workers.push(this.spawn());
      else if (this.workers.length === 0) console.error(`logpond: decode workers keep failing (${err.message}); decoding inline`);
    };
    entry.worker.on('error', (err) => fail(new StorageUnavailableError(`a decode worker failed: ${err.message}`)));
    entry.worker.on('exit', (code) => fail(new StorageUnavailableError(`a decode worker exited with ${code}`)));
    return entry;
  }
}

/** The worker entry beside this file's source; the server runs from the project directory. */
function defaultScript(): string | undefined {
  const script = path.join(/*turbopackIgnore: true*/ process.cwd(), 'server', 'ingest', 'decode-worker.mjs');
  return fs.existsSync(/*turbopackIgnore: true*/ script) ? script : undefined;
}
