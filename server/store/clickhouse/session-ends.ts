// Sign-outs on ClickHouse (schema.ts, `sessions_ended`): a row per sign-out, the newest of a user
// counts. Every replica reads them all (a configured handful of users), so a session ended on one
// is refused by the others (server/auth/session-sync.ts).
import type { SessionEndStore } from '../log-storage';
import type { Database } from './database';
import { dateTime64 } from './writer';

export class ClickHouseSessionEnds implements SessionEndStore {
  constructor(private readonly db: Database) {}

  end(user: string, atMs: number): Promise<void> {
    return this.db.insert(this.db.tables.sessionsEnded, [{ user, ended_at: dateTime64(atMs * 1000) }]);
  }

  async all(): Promise<Map<string, number>> {
    const rows = await this.db.rows<{ user: string; at: string }>(
      `SELECT user, toString(toUnixTimestamp64Milli(max(ended_at))) AS at FROM ${this.db.tables.sessionsEnded} GROUP BY user`,
    );
    return new Map(rows.map((r) => [r.user, Number(r.at)]));
  }
}
