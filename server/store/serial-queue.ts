/** Runs async jobs one after another, in the order they were queued. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  run<T>(job: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(job, job).finally(() => this.queued--);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every job queued so far has ended. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  /** Whether a job is running or waiting. */
  get busy(): boolean {
    return this.queued > 0;
  }
}
