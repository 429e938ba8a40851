// DuckDB's thread count is one setting for the whole instance, and every statement splits its work
// over that many threads. Work that shares the cores with other work does better on one thread a
// statement: a seal beside ingest (see LogStore.onOneThread), and reads while others queue for a
// turn, where splitting each one only adds the cost of coordinating threads that have no core to
// run on. Whoever needs one thread holds a lease; the full count comes back when none does.

export class ThreadBudget {
  private leases = 0;
  private applied: number;
  private applying: Promise<void> = Promise.resolve();

  constructor(
    /** The instance's own thread count, restored when no lease is held. */
    readonly full: number,
    /** Sets the instance's thread count (a statement on a connection of its own). */
    private readonly set: (threads: number) => Promise<void>,
  ) {
    this.applied = full;
  }

  /** The thread count in effect, or being put in effect. */
  get threads(): number {
    return this.leases > 0 ? 1 : this.full;
  }

  /**
   * One thread per statement until the returned release is called; resolves once in effect. The
   * release resolves once what it leads to is in effect.
   */
  async narrow(): Promise<() => Promise<void>> {
    this.leases++;
    await this.apply();
    let released = false;
    return () => {
      if (released) return this.applying;
      released = true;
      this.leases--;
      return this.apply();
    };
  }

  /** Settings are applied one at a time, each to what the leases want by then. */
  private apply(): Promise<void> {
    this.applying = this.applying.then(async () => {
      const wanted = this.threads;
      if (wanted === this.applied) return;
      try {
        await this.set(wanted);
        this.applied = wanted;
      } catch {
        // The instance is closing; nothing runs on it any more.
      }
    });
    return this.applying;
  }
}
