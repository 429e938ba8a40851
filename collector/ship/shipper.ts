// The sending loop of one lane (send-lanes.ts): one batch in flight at a time, so the offsets of
// each of its files reach the server in increasing order, and a file's checkpoint moves only after
// the server acknowledged it.
import { StoppedError } from '../errors';
import type { Logger } from '../log';
import type { CollectorMetrics } from '../metrics';
import { Notifier } from '../util/notifier';
import { entryCountOf, serializeBody, slicedBody, type Batcher, type OutgoingBatch, type OutgoingBody } from './batcher';
import type { Checkpoint } from './checkpoint';
import type { IngestSender, SendOutcome } from './sender';


export interface ShipperOptions {
  batcher: Batcher;
  sender: IngestSender;
  checkpoint: Checkpoint;
  metrics: CollectorMetrics;
  log: Logger;
  /** Whether the path is still followed; a finished file's checkpoint entry stays forgotten. */
  isFollowed: (path: string) => boolean;
  /** A batch left the queue: the reader may go on. */
  onRoom: () => void;
}

export class Shipper {
  private readonly wake = new Notifier();
  private readonly abort = new AbortController();
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ShipperOptions) {}

  start(): void {
    // run() handles every expected failure; anything else is a bug, reported rather than unhandled.
    this.loop ??= this.run().catch((err: unknown) => {
      this.options.metrics.countError('send');
      this.options.log.error(`shipping stopped: ${(err as Error)?.stack ?? String(err)}`);
    });
  }

  /** Something was added or closed: look again. */
  notify(): void {
    this.wake.notify();
  }

  /**
   * Sends what is buffered, giving up after `timeoutMs` (whatever is left is read again after
   * a restart, from the checkpoint). True when everything was delivered or refused.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    this.wake.notify();
    const timer = setTimeout(() => this.abort.abort(), timeoutMs);
    try {
      await this.loop;
    } finally {
      clearTimeout(timer);
    }
    return this.options.batcher.isEmpty;
  }

  private async run(): Promise<void> {
    const { batcher } = this.options;
    for (;;) {
      if (this.stopping) batcher.sealNow();
      else batcher.sealIfDue();
      const batch = batcher.take();
      if (!batch) {
        if (this.stopping) return;
        await this.wake.wait(batcher.dueInMs());
        continue;
      }
      this.options.onRoom();
      try {
        // Only excluded entries: nothing to send, but their offsets still move.
        if (batch.entryCount > 0) await this.deliver(batch.body);
      } catch (err) {
        if (err instanceof StoppedError) return;
        throw err;
      }
      this.settle(batch);
      this.options.batcher.recycle(batch);
    }
  }

  /**
   * Sends until the server took or refused every entry. A body over the server's size limit is
   * split in halves, sent in order so each file's offsets still reach it increasing.
   */
  private async deliver(body: OutgoingBody): Promise<void> {
    const { metrics, log, sender } = this.options;
    const count = entryCountOf(body);
    const outcome: SendOutcome = await sender.send(serializeBody(body), count, this.abort.signal);
    if (outcome.kind === 'accepted') {
      metrics.batchesSent++;
      metrics.entriesSent += count;
      return;
    }
    if (outcome.kind === 'too_large' && count > 1) {
      metrics.batchesSplit++;
      const half = Math.ceil(count / 2);
      await this.deliver(slicedBody(body, 0, half));
      await this.deliver(slicedBody(body, half, count));
      return;
    }
    if (outcome.kind === 'too_large') {
      log.error(`the server refused one entry of ${body.entries.range(body.from, body.to).length} bytes as too large (413); dropped it`);
    }
    metrics.batchesDropped++;
    metrics.entriesDropped += count;
    metrics.countError('rejected');
  }

  private settle(batch: OutgoingBatch): void {
    const { checkpoint, metrics, log, isFollowed } = this.options;
    // A refused batch is committed too: it will never be accepted, and reading it again after
    // a restart would only be refused again.
    for (const [path, entry] of batch.commits) {
      if (isFollowed(path)) checkpoint.commit(path, entry.file, entry.offset);
    }
    checkpoint.saveSoon().catch((err: unknown) => {
      metrics.countError('checkpoint');
      log.error(`cannot save the checkpoint ${checkpoint.filePath}: ${(err as Error).message}`);
    });
  }
}
