// The collectors list of servers that share a store (ClickHouse replicas behind one Service):
// each server's registry (collectors.ts) holds only the collectors that sent to it, so each writes
// what changed in it to the store every COLLECTOR_SHARE_MS and lists every server's. A collector
// that sent to another replica shows here within about that long; this server's own are current.
import { randomUUID } from 'node:crypto';
import type { CollectorSightings } from '../store/log-storage';
import { type CollectorRegistry, type CollectorSeen, inListOrder } from './collectors';

export const COLLECTOR_SHARE_MS = 5_000;
/** Every open page asks for the status every 2 s: the others' sightings are read once a second at most. */
const READ_AGAIN_MS = 1_000;

export class SharedCollectors {
  /** This process: its counts start at zero, so they are kept apart from an earlier run's. */
  private readonly server = randomUUID();
  /** What was last written of each collector, to write only what changed. */
  private readonly written = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private sharing: Promise<void> | null = null;
  private failing = false;
  private others: { at: number; sightings: Promise<Array<CollectorSeen & { server: string }>> } | null = null;

  constructor(
    private readonly sightings: CollectorSightings,
    private readonly local: CollectorRegistry,
  ) {}

  start(intervalMs = COLLECTOR_SHARE_MS): void {
    // A write still running (ClickHouse slow) skips the tick rather than piling up behind it.
    this.timer = setInterval(() => {
      this.sharing ??= this.share().finally(() => (this.sharing = null));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer; resolves once a write it started has ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sharing;
  }

  /** Writes what changed since the last time; never throws (a failure is logged once until it works again). */
  async share(): Promise<void> {
    const changed = this.local.list().filter((c) => this.written.get(c.id) !== versionOf(c));
    if (changed.length === 0) return;
    try {
      await this.sightings.record(this.server, changed);
      for (const c of changed) this.written.set(c.id, versionOf(c));
      if (this.failing) console.error('logpond: the collectors list is shared with the other servers again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) console.error(`logpond: cannot share the collectors list with the other servers, retrying: ${(err as Error).message}`);
      this.failing = true;
    }
  }

  /** Every collector any server saw: counts summed over servers, the rest from the latest sighting. */
  async list(): Promise<CollectorSeen[]> {
    const merged = new Map<string, CollectorSeen>();
    const add = ({ id, via, node, version, lastSeen, batches, entries }: CollectorSeen) => {
      const known = merged.get(id);
      if (!known) merged.set(id, { id, via, node, version, lastSeen, batches, entries });
      else {
        if (lastSeen > known.lastSeen) Object.assign(known, { via, node, version, lastSeen });
        known.batches += batches;
        known.entries += entries;
      }
    };
    // This server's own from memory: the store may not have the latest yet.
    for (const sighting of await this.othersSightings()) if (sighting.server !== this.server) add(sighting);
    for (const c of this.local.list()) add(c);
    return inListOrder([...merged.values()]);
  }

  private othersSightings(): Promise<Array<CollectorSeen & { server: string }>> {
    const now = Date.now();
    if (!this.others || now - this.others.at >= READ_AGAIN_MS) {
      const sightings = this.sightings.all();
      this.others = { at: now, sightings };
      // A failed read is not kept: the next status asks again.
      sightings.catch(() => {
        if (this.others?.sightings === sightings) this.others = null;
      });
    }
    return this.others.sightings;
  }
}

function versionOf(c: CollectorSeen): string {
  return `${c.lastSeen} ${c.batches}`;
}
