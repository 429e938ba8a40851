// How many entries a second arrive stamped with the present. A newest-first search over a busy
// store begins with a window that holds about a page of them instead of an hour: the hot rows are
// in arrival order, and a top-N over an hour of them sorted every row of it, where the newest
// seconds already held the page.

/** Entries stamped this close to their arrival count as the present. */
const PRESENT_US = 60_000_000;
/** The rate is over this many of the last seconds. */
const SPAN_SECONDS = 60;

export class RecentDensity {
  private readonly perSecond = new Float64Array(SPAN_SECONDS);
  private readonly second = new Float64Array(SPAN_SECONDS).fill(-1);

  /** Counts the entries of a batch stored at `nowMs` whose time (µs) is the present. */
  record(ts: ArrayLike<number>, nowMs: number): void {
    const from = nowMs * 1000 - PRESENT_US;
    let present = 0;
    for (let i = 0; i < ts.length; i++) if (ts[i] >= from) present++;
    if (present === 0) return;
    const second = Math.floor(nowMs / 1000);
    const slot = second % SPAN_SECONDS;
    if (this.second[slot] !== second) {
      this.second[slot] = second;
      this.perSecond[slot] = 0;
    }
    this.perSecond[slot] += present;
  }

  /** Entries of the present stored a second, over the last minute. */
  rate(nowMs: number): number {
    const now = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let slot = 0; slot < SPAN_SECONDS; slot++) if (now - this.second[slot] < SPAN_SECONDS && this.second[slot] >= 0) sum += this.perSecond[slot];
    return sum / SPAN_SECONDS;
  }
}
