// Collectors and shippers on ClickHouse (schema.ts, `collectors_seen`): each server process writes
// its own sightings, cumulative, under an id of its own; the newest row of a (collector, server)
// counts. A replica behind a Service sees only the collectors its affinity sends it, so a status
// built from its memory alone listed half of them.
import type { CollectorSeen, SentVia } from '../../ingest/collectors';
import type { CollectorSightings } from '../log-storage';
import type { Database } from './database';
import { asRequestError } from './engine-errors';
import { dateTime64 } from './writer';

/** Sightings read at most: as many as one server remembers (collectors.ts). */
const MAX_ROWS = 10_000;

interface SightingRow {
  server: string;
  id: string;
  via: string;
  node: string;
  version: string | null;
  last: string;
  batches: string;
  entries: string;
}

export class ClickHouseCollectorSightings implements CollectorSightings {
  constructor(private readonly db: Database) {}

  record(server: string, seen: readonly CollectorSeen[]): Promise<void> {
    return this.db.insert(
      this.db.tables.collectorsSeen,
      seen.map((c) => ({ server, id: c.id, via: c.via, node: c.node, version: c.version, last_seen: dateTime64(Date.parse(c.lastSeen) * 1000), batches: c.batches, entries: c.entries })),
    );
  }

  async all(): Promise<Array<CollectorSeen & { server: string }>> {
    // The status route answers with this: ClickHouse away is its 503, as for the store's own figures.
    const rows = await this.db
      .rows<SightingRow>(
        `SELECT server, id, via, node, version, toString(toUnixTimestamp64Milli(last_seen)) AS last, toString(batches) AS batches, toString(entries) AS entries
         FROM ${this.db.tables.collectorsSeen} FINAL ORDER BY last_seen DESC LIMIT ${MAX_ROWS}`,
      )
      .catch((err: unknown) => {
        throw asRequestError(err);
      });
    return rows.map((r) => ({
      server: r.server,
      id: r.id,
      via: r.via as SentVia,
      node: r.node,
      version: r.version,
      lastSeen: new Date(Number(r.last)).toISOString(),
      batches: Number(r.batches),
      entries: Number(r.entries),
    }));
  }
}
