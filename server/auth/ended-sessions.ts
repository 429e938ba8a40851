// Logging out ends every session of that user signed before the logout. Session cookies are
// signed, not stored, so without this a copied cookie kept working for up to SESSION_MS after its
// user logged out. One time per user (the users are a configured handful) keeps it bounded, at the
// price that logging out on one device signs that user out on the others too.
//
// Kept in this process (on the AuthConfig, which lives on globalThis: the proxy and the logout
// route are separate bundles), and in a small file under LOGPOND_DATA_DIR when there is one, so a
// restart does not bring a logged-out cookie back while LOGPOND_SESSION_SECRET keeps it valid.
// Servers sharing a store (ClickHouse replicas) also share their sign-outs through it
// (session-sync.ts).
import fs from 'node:fs';
import path from 'node:path';

export const ENDED_SESSIONS_FILE = 'sessions-ended.json';

export class EndedSessions {
  private readonly endedAt = new Map<string, number>();

  /** `file` unset: memory only (tests, or no data directory). */
  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (saved && typeof saved === 'object') {
        for (const [user, ms] of Object.entries(saved)) if (typeof ms === 'number') this.endedAt.set(user, ms);
      }
    } catch {
      // No file yet, or a torn one from a crash mid-write of an older version: nothing ended.
    }
  }

  /** Whether a session of `user` signed at `signedAtMs` was ended by a later logout. */
  ended(user: string, signedAtMs: number): boolean {
    const at = this.endedAt.get(user);
    return at !== undefined && signedAtMs <= at;
  }

  end(user: string, nowMs: number): void {
    this.endedAt.set(user, Math.max(nowMs, this.endedAt.get(user) ?? 0));
    this.save();
  }

  /** Sign-outs heard of from elsewhere (server/auth/session-sync.ts); only later ones change anything. */
  learn(ends: ReadonlyMap<string, number>): void {
    let changed = false;
    for (const [user, ms] of ends) {
      if (ms <= (this.endedAt.get(user) ?? -Infinity)) continue;
      this.endedAt.set(user, ms);
      changed = true;
    }
    if (changed) this.save();
  }

  /** Each user's latest sign-out known here. */
  entries(): ReadonlyMap<string, number> {
    return this.endedAt;
  }

  private save(): void {
    if (!this.file) return;
    // Written whole and renamed into place: a crash leaves the old file or the new one. Sync,
    // because a logout is rare and its answer should mean the cookie is dead.
    const temporary = `${this.file}.tmp`;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(temporary, JSON.stringify(Object.fromEntries(this.endedAt)));
    fs.renameSync(temporary, this.file);
  }
}
