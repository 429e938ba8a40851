// Sign-outs shared by servers on one store. The gate checks sessions against this process's
// EndedSessions, synchronously, on every request; replicas behind one Service each have their
// own. So each copies its sign-outs into the store (LogStorage.sessionEnds) and takes the others'
// from it, every SESSION_SYNC_MS: a session ended on one replica is refused by the others within
// about that long, and a replica started later knows every sign-out before it serves.
//
// A sign-out the store could not take (ClickHouse away, or refusing writes) stays in
// EndedSessions and is sent on a later round: what is sent is whatever this process knows later
// than the store. Taking the others' never waits on sending ours.
import type { SessionEndStore } from '../store/log-storage';
import type { EndedSessions } from './ended-sessions';

export const SESSION_SYNC_MS = 2_000;

export class SessionSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly store: SessionEndStore,
    private readonly local: EndedSessions,
  ) {}

  /** Syncs once now, then every `intervalMs` until stop(); a round still running skips the next. */
  async start(intervalMs = SESSION_SYNC_MS): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => {
      if (!this.running) void this.run();
    }, intervalMs);
    this.timer.unref();
  }

  /**
   * A round that begins after this call, so a sign-out made before it is sent: the next one when a
   * round is running (every caller meanwhile shares it). Never throws; a failure is logged once
   * until a round succeeds again.
   */
  sync(): Promise<void> {
    if (!this.running) return this.run();
    this.queued ??= this.running.then(() => {
      this.queued = null;
      return this.run();
    });
    return this.queued;
  }

  /** sync(), waited for at most `ms`: a sign-out answers promptly even while the store hangs. */
  async syncWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.sync(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private run(): Promise<void> {
    const round = this.round().finally(() => {
      if (this.running === round) this.running = null;
    });
    this.running = round;
    return round;
  }

  private async round(): Promise<void> {
    try {
      const shared = await this.store.all();
      this.local.learn(shared);
      for (const [user, ms] of this.local.entries()) {
        if (ms > (shared.get(user) ?? -Infinity)) await this.store.end(user, ms);
      }
      if (this.failing) console.error('logpond: sign-outs are shared with the other servers again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) console.error(`logpond: cannot share sign-outs with the other servers, retrying: ${(err as Error).message}`);
      this.failing = true;
    }
  }
}
