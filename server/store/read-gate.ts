// How many reads run at once. Unlimited, twenty readers took every DuckDB and libuv thread, and
// ingest, which loses data when it falls behind, queued behind them. Past the limit a read waits
// in a bounded queue, first come first served; past the queue it is refused at once with 503 and
// Retry-After, because a wait longer than the queue already means would end in a timeout anyway.
import { OverloadedError } from '../errors';

/** What a refused client is told to wait: about the time the queue takes to move on. */
export const RETRY_AFTER_SECONDS = 1;

interface Waiter {
  admit: () => void;
}

export interface GateCounts {
  running: number;
  queued: number;
  /** Reads refused because the queue was full. */
  rejected: number;
}

export class ReadGate {
  private running = 0;
  private rejected = 0;
  private readonly queue: Waiter[] = [];
  private crowded = false;

  constructor(
    /** Reads that run at once. */
    readonly concurrency: number,
    /** Reads that may wait for a turn; more are refused. */
    readonly queueLimit: number,
    /** Told when reads come to wait for a turn, and when none waits any more. */
    private readonly onCrowding: (crowded: boolean) => void = () => undefined,
  ) {}

  counts(): GateCounts {
    return { running: this.running, queued: this.queue.length, rejected: this.rejected };
  }

  /**
   * Resolves with the release of a turn once the read may run. Rejects with `stop.reason` when
   * `stop` aborts first (the read leaves the queue and never runs), with OverloadedError when
   * the queue is full, unless `wait` says the read must wait however long the queue.
   */
  enter(stop: AbortSignal, { wait = false } = {}): Promise<() => void> {
    if (stop.aborted) return Promise.reject(stop.reason);
    if (this.running < this.concurrency && this.queue.length === 0) return Promise.resolve(this.turn());
    if (!wait && this.queue.length >= this.queueLimit) {
      this.rejected++;
      return Promise.reject(new OverloadedError(RETRY_AFTER_SECONDS));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          stop.removeEventListener('abort', leave);
          resolve(this.turn());
        },
      };
      const leave = () => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        this.changed();
        reject(stop.reason);
      };
      stop.addEventListener('abort', leave, { once: true });
      this.queue.push(waiter);
      this.changed();
    });
  }

  private changed(): void {
    const crowded = this.queue.length > 0;
    if (crowded === this.crowded) return;
    this.crowded = crowded;
    this.onCrowding(crowded);
  }

  private turn(): () => void {
    this.running++;
    this.changed();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.queue.shift();
      if (next) next.admit();
      else this.changed();
    };
  }
}
