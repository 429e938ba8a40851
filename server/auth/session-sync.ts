// Sign-outs shared by servers on one store. The gate checks sessions against this process's
// EndedSessions, synchronously, on every request; replicas behind one Service each have their
// own. So each copies its sign-outs into the store (LogStorage.sessionEnds) and takes the others'
// from it, every SESSION_SYNC_MS: a session ended on one replica is refused by the others within
// about that long, and a replica started later knows every sign-out before it serves.
//
// A sign-out the store could not take (ClickHouse away) stays in EndedSessions and is sent on the
// next round that reaches it: what is sent is whatever this process knows later than the store.
import type { SessionEndStore } from '../store/log-storage';
import type { EndedSessions } from './ended-sessions';

export const SESSION_SYNC_MS = 2_000;

export class SessionSync {
  private timer: NodeJS.Timeout | undefined;
  private last: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(
    private readonly store: SessionEndStore,
    private readonly local: EndedSessions,
  ) {}

  /** Syncs once now, then every `intervalMs` until stop(). */
  async start(intervalMs = SESSION_SYNC_MS): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.sync(), intervalMs);
    this.timer.unref();
  }

  /** One round; never throws (a failure is logged once until a round succeeds again). */
  sync(): Promise<void> {
    // A sign-out asks for a round while one runs: its own runs after that one, so it is sent.
    this.last = this.last.then(() => this.round());
    return this.last;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async round(): Promise<void> {
    try {
      const shared = await this.store.all();
      for (const [user, ms] of this.local.entries()) {
        if (ms > (shared.get(user) ?? -Infinity)) await this.store.end(user, ms);
      }
      this.local.learn(shared);
      if (this.failing) console.error('logpond: sign-outs are shared with the other servers again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) console.error(`logpond: cannot share sign-outs with the other servers, retrying: ${(err as Error).message}`);
      this.failing = true;
    }
  }
}
