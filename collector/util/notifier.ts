// A wake-up call between loops: one side waits (with a timeout), the other notifies. A notify
// with nobody waiting is remembered, so a wake-up between check and wait is not lost.

export class Notifier {
  private pending = false;
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    if (waiters.length === 0) this.pending = true;
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify, or after `timeoutMs`. */
  wait(timeoutMs?: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.waiters.push(wake);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== wake);
          resolve();
        }, Math.max(0, timeoutMs));
      }
    });
  }
}
