// How far each file generation's lines have come: the newest timestamp stored from it, and when.
// An hour is complete once every file still being read has moved past it (LogStore.settleBounds):
// a collector reads a file's lines in order, so no more lines for that hour are on their way
// from it. A file that has sent nothing for a while (its pod is gone, or it is quiet) no longer
// holds hours open; a late line it sends after all lands in a settled hour as one more file,
// which is settled again, so that costs a rewrite and never a line.

/**
 * A file that stored nothing for this long no longer holds hours open: twice the collector's
 * longest retry backoff, so a server away for a while does not settle hours a backfill still fills.
 */
export const ACTIVE_FILE_MS = 60_000;

interface Front {
  /** Newest timestamp stored from the file, microseconds. */
  ts: number;
  /** When its last row was stored (the store's clock, ms). */
  at: number;
}

export class IngestFronts {
  private readonly fronts = new Map<number, Front>();

  /** The newest timestamp of each file id that a committed group stored rows for. */
  record(newest: ReadonlyMap<number, number>, at: number): void {
    for (const [file, ts] of newest) {
      const front = this.fronts.get(file);
      if (front) {
        front.ts = Math.max(front.ts, ts);
        front.at = at;
      } else this.fronts.set(file, { ts, at });
    }
  }

  /** The oldest front among files active at `now`, in microseconds, or null when none is. */
  oldestActive(now: number): number | null {
    let oldest: number | null = null;
    for (const [file, front] of this.fronts) {
      // Forgotten once inactive, so the map holds only the files being read.
      if (now - front.at > ACTIVE_FILE_MS) this.fronts.delete(file);
      else if (oldest === null || front.ts < oldest) oldest = front.ts;
    }
    return oldest;
  }
}
