// How much settling a background maintenance round may do beside ingest. Settling (merging,
// sorting, compressing and indexing a complete hour) is the store's costliest work per line, and
// a backfill completes hours as fast as it stores them, and settled beside it on one of two cores
// they took a large share of the CPU ingest needed. So while the writer is busy
// most of the time (the sender has more than the store takes), complete hours wait, up to a bound;
// once lines stop arriving they are settled on every worker, and at live rates one at a time as
// soon as they are complete.

/** The writer busy this share of the time since the last round: ingest is taking all it can. */
export const SATURATED_SHARE = 0.5;
/**
 * The longest complete hours wait behind a saturated writer: past it they are settled one at a
 * time however busy it is, so a server that cannot keep up still gets its reads fast.
 */
export const MAX_DEFER_MS = 10 * 60_000;

export interface RoundLoad {
  /** Wall-clock time now, ms. */
  now: number;
  /** The writer's busy time so far (BatchWriter.busyMs), ms. */
  busyMs: number;
  /** Nothing was ingested for a while: the round may use every worker. */
  idle: boolean;
  /** Complete hours not settled yet. */
  pending: number;
}

export class SettleBudget {
  private last: { now: number; busyMs: number };
  private deferredSince: number | null = null;

  /** `startedAt`: when the writer's busy time began to count (performance.now()). */
  constructor(
    private readonly idleWorkers: number,
    private readonly options: { saturatedShare: number; maxDeferMs: number } = { saturatedShare: SATURATED_SHARE, maxDeferMs: MAX_DEFER_MS },
    startedAt = performance.now(),
  ) {
    this.last = { now: startedAt, busyMs: 0 };
  }

  /** Hours this round may settle at once; 0 defers them to a later round. */
  workers(load: RoundLoad): number {
    const share = this.busyShare(load);
    if (load.idle) return this.settled(this.idleWorkers);
    if (load.pending === 0 || share < this.options.saturatedShare) return this.settled(1);
    this.deferredSince ??= load.now;
    return load.now - this.deferredSince >= this.options.maxDeferMs ? 1 : 0;
  }

  private settled(workers: number): number {
    this.deferredSince = null;
    return workers;
  }

  /** The writer's share of the wall-clock time since the last round (or since it started). */
  private busyShare({ now, busyMs }: RoundLoad): number {
    const last = this.last;
    this.last = { now, busyMs };
    if (now <= last.now) return 0;
    return (busyMs - last.busyMs) / (now - last.now);
  }
}
