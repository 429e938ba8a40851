import { describe, expect, it } from 'vitest';
import type { SessionEndStore } from '../store/log-storage';
import { EndedSessions } from './ended-sessions';
import { SessionSync } from './session-sync';

/** The store's side as ClickHouse keeps it (newest per user), and able to be away. */
class SharedEnds implements SessionEndStore {
  readonly rows = new Map<string, number>();
  away = false;
  /** Reads answer, writes are refused (replicated tables read-only while their keeper is away). */
  readOnly = false;
  reads = 0;

  async end(user: string, atMs: number): Promise<void> {
    if (this.away || this.readOnly) throw new Error('connect ECONNREFUSED');
    this.rows.set(user, Math.max(atMs, this.rows.get(user) ?? 0));
  }

  async all(): Promise<Map<string, number>> {
    if (this.away) throw new Error('connect ECONNREFUSED');
    this.reads++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new Map(this.rows);
  }
}

describe('sign-outs shared through the store', () => {
  it('a replica refuses a session another ended, and a sign-out made while the store was away reaches it once it is back', async () => {
    const shared = new SharedEnds();
    const [here, there] = [new EndedSessions(), new EndedSessions()];
    const [syncHere, syncThere] = [new SessionSync(shared, here), new SessionSync(shared, there)];

    here.end('alice', 1_000);
    await syncHere.sync();
    await syncThere.sync();
    expect(there.ended('alice', 900)).toBe(true);
    expect(there.ended('alice', 1_100)).toBe(false);

    shared.away = true;
    there.end('bob', 2_000);
    await syncThere.sync(); // not thrown: logged, and tried again next round
    expect(shared.rows.has('bob')).toBe(false);
    shared.away = false;
    await syncThere.sync();
    await syncHere.sync();
    expect(here.ended('bob', 1_999)).toBe(true);

    // An older sign-out heard later does not bring back sessions a newer one ended.
    here.learn(new Map([['alice', 500]]));
    expect(here.ended('alice', 900)).toBe(true);
  });

  it('takes the others’ sign-outs while the store refuses its own, and runs one more round at most however many ask meanwhile', async () => {
    const shared = new SharedEnds();
    const [here, there] = [new EndedSessions(), new EndedSessions()];
    const [syncHere, syncThere] = [new SessionSync(shared, here), new SessionSync(shared, there)];
    there.end('carol', 3_000);
    await syncThere.sync();
    shared.readOnly = true;
    here.end('dave', 4_000); // cannot be sent now
    await syncHere.sync();
    expect(here.ended('carol', 2_999)).toBe(true);

    shared.readOnly = false;
    const before = shared.reads;
    await Promise.all([syncHere.sync(), syncHere.sync(), syncHere.sync(), syncHere.sync()]);
    expect(shared.reads - before).toBe(2);
    expect(shared.rows.get('dave')).toBe(4_000);
  });
});
