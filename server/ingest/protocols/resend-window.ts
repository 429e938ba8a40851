// Shippers deliver at least once: a request that timed out is sent again, byte for byte, and the
// first may have been stored (or still be storing). This remembers the digests of recent requests
// so such a resend is answered as its first was, and stores nothing. Different requests are stored
// as sent, even when their lines repeat. The window is this process's memory: a resend that
// reaches another replica, or this one after a restart, is stored again.
import { createHash } from 'node:crypto';
import type { IngestResult } from '../../../common/ingest-batch';

/** Long enough for every shipper's retry schedule: Vector, Alloy, Promtail and the Collector give up within 5 to 15 minutes. */
export const RESEND_WINDOW_MS = 15 * 60_000;
/** Digests remembered at most (about 100 bytes each); the oldest is forgotten first. */
export const RESEND_WINDOW_REQUESTS = 100_000;

interface Seen {
  at: number;
  outcome: Promise<IngestResult>;
}

export class ResendWindow {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly windowMs = RESEND_WINDOW_MS,
    private readonly maxRequests = RESEND_WINDOW_REQUESTS,
    private readonly now: () => number = Date.now,
  ) {}

  static digestOf(parts: readonly (string | Uint8Array)[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part).update('\0');
    return hash.digest('base64url');
  }

  /**
   * Stores a request through `store` unless the same digest was stored, or is being stored, within
   * the window: then its first outcome, with every line counted a duplicate. A failed request is
   * forgotten, so its resend is stored anew.
   */
  async once(digest: string, store: () => Promise<IngestResult>): Promise<{ result: IngestResult; resent: boolean }> {
    const at = this.now();
    this.expire(at);
    const earlier = this.seen.get(digest);
    if (earlier) {
      const first = await earlier.outcome.catch(() => null);
      // Still the same entry: a failure removed it, and the resend must be stored.
      if (first !== null) return { result: { accepted: 0, duplicates: first.accepted + first.duplicates }, resent: true };
      if (this.seen.get(digest) === earlier) this.seen.delete(digest);
      return this.once(digest, store);
    }
    const outcome = store();
    const entry = { at, outcome };
    this.seen.set(digest, entry);
    if (this.seen.size > this.maxRequests) this.seen.delete(this.seen.keys().next().value!);
    try {
      return { result: await outcome, resent: false };
    } catch (err) {
      if (this.seen.get(digest) === entry) this.seen.delete(digest);
      throw err;
    }
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(now: number): void {
    // Insertion order is arrival order: the oldest are first.
    for (const [digest, { at }] of this.seen) {
      if (now - at < this.windowMs) break;
      this.seen.delete(digest);
    }
  }
}
