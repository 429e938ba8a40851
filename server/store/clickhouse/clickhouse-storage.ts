// ClickHouse behind the storage interface (store/log-storage.ts): the engine for clusters that
// outgrow one server. The Logpond server keeps no state of its own here — every line, mark,
// source and saved search is in ClickHouse — so several servers can run on one database.
import type { IngestResult } from '../../../common/ingest-batch';
import type { ClickHouseConfig } from '../../config';
import type { DecodedBatch } from '../../ingest/decoded-batch';
import type { GateCounts, LogStorage, ReadCounts, ReadOptions, StorageView, StoreStats } from '../log-storage';
import { QueryCancelledError, QueryTimeoutError } from '../read-errors';
import { ReadGate } from '../read-gate';
import { microsToIso } from '../timestamps';
import { type ClickHouseConnection, connectClickHouse } from './connect';
import { Database } from './database';
import { asRequestError } from './engine-errors';
import { migrate } from './migrate';
import { ClickHouseSavedSearches } from './saved-searches';
import { ClickHouseSessionEnds } from './session-ends';
import { ClickHouseCollectorSightings } from './collector-sightings';
import { TABLES } from './schema';
import { MAX_AHEAD_MICROS } from '../../ingest/timestamp-window';
import { ClickHouseView } from './view';
import { ClickHouseWriter, SOURCE_REFRESH_MS } from './writer';

export interface ClickHouseStorageOptions {
  clickhouse: ClickHouseConfig;
  retentionMs: number | null;
  queryTimeoutMs: number;
  readConcurrency?: number;
  readQueue?: number;
  now?: () => number;
  /** Maintain on a timer (the default); tests call maintain() themselves. */
  background?: boolean;
}

export interface ClickHouseMaintenance {
  /** Days (`YYYYMMDD`) dropped for retention. */
  dropped: string[];
  /** Sources deleted because none of their lines can be left within retention. */
  forgottenSources: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Retention is by whole days: a look every few minutes drops a day soon after it passes. */
const MAINTAIN_EVERY_MS = 5 * 60_000;

export class ClickHouseStorage implements LogStorage {
  readonly readCounts: ReadCounts = { reads: 0, timedOut: 0, cancelled: 0 };
  readonly savedSearches: ClickHouseSavedSearches;
  readonly sessionEnds: ClickHouseSessionEnds;
  readonly collectorSightings: ClickHouseCollectorSightings;
  private readonly writer: ClickHouseWriter;
  private readonly gate: ReadGate;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly connection: ClickHouseConnection,
    readonly db: Database,
    private readonly options: ClickHouseStorageOptions,
    private readonly version: string,
  ) {
    this.now = options.now ?? Date.now;
    this.writer = new ClickHouseWriter(db, this.now);
    this.savedSearches = new ClickHouseSavedSearches(db, this.now);
    this.sessionEnds = new ClickHouseSessionEnds(db);
    this.collectorSightings = new ClickHouseCollectorSightings(db);
    this.gate = new ReadGate(options.readConcurrency ?? Number.MAX_SAFE_INTEGER, options.readQueue ?? 0);
    if (options.background !== false) {
      this.timer = setInterval(() => {
        this.maintain().catch((err: Error) => console.error(`logpond: ClickHouse maintenance failed, retrying later: ${err.message}`));
      }, MAINTAIN_EVERY_MS);
      this.timer.unref();
    }
  }

  static async open(options: ClickHouseStorageOptions): Promise<ClickHouseStorage> {
    const connection = await connectClickHouse(options.clickhouse);
    try {
      const db = new Database(connection.client, options.clickhouse.database, connection.rawInsert);
      await migrate(db, { database: options.clickhouse.database, cluster: options.clickhouse.cluster }, options.retentionMs).catch(refuse);
      const [{ version }] = await db.rows<{ version: string }>('SELECT version() AS version');
      return new ClickHouseStorage(connection, db, options, version);
    } catch (err) {
      await connection.release();
      throw err;
    }
  }

  ingest(batch: DecodedBatch): Promise<IngestResult> {
    return this.writer.ingest(batch).catch(refuse);
  }

  async read<T>(read: (view: StorageView) => Promise<T>, { signal, continuing }: ReadOptions = {}): Promise<T> {
    const timeoutMs = this.options.queryTimeoutMs;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(new QueryTimeoutError(timeoutMs)), timeoutMs);
    const onAbort = () => stop.abort(new QueryCancelledError());
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
    let release: (() => void) | undefined;
    try {
      release = await this.gate.enter(stop.signal, { wait: continuing });
      // A stop answers the caller at once; the statement it cut short ends on its own.
      return await Promise.race([read(new ClickHouseView(this.db, stop.signal, this.sourcesSince())), stopped(stop.signal)]);
    } catch (err) {
      const reason = stop.signal.aborted ? stop.signal.reason : err;
      if (reason instanceof QueryTimeoutError) this.readCounts.timedOut++;
      else if (reason instanceof QueryCancelledError) this.readCounts.cancelled++;
      throw asRequestError(reason);
    } finally {
      this.readCounts.reads++;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      release?.();
    }
  }

  /**
   * Sources last stored before this (epoch ms) have no line left within retention: a source still
   * sending is stored again every SOURCE_REFRESH_MS (writer.ts). Null when retention is off.
   */
  private sourcesSince(): number | null {
    const { retentionMs } = this.options;
    return retentionMs === null ? null : this.now() - retentionMs - SOURCE_REFRESH_MS - HOUR_MS;
  }

  gateCounts(): GateCounts {
    return this.gate.counts();
  }

  async stats(): Promise<StoreStats> {
    try {
      const { entries, sources } = this.db.tables;
      const local = this.options.clickhouse.cluster ? `${TABLES.entries}_local` : TABLES.entries;
      const [parts] = await this.db.rows(
        `SELECT toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS bytes, count() AS parts FROM system.parts
         WHERE active AND database = {db:String} AND table IN ({entries:String}, {marks:String}, {sources:String}, {saved:String})`,
        { db: this.db.name, entries: local, marks: TABLES.marks, sources: TABLES.sources, saved: TABLES.savedSearches },
      );
      const since = this.sourcesSince();
      const [counts] = await this.db.rows(
        `SELECT toString(count()) AS n, toString(toUnixTimestamp64Micro(min(ts))) AS oldest, toString(toUnixTimestamp64Micro(max(ts))) AS newest,
           (SELECT count() FROM ${sources} FINAL ${since === null ? '' : 'WHERE last_seen >= fromUnixTimestamp64Milli({since:Int64})'}) AS sources FROM ${entries}`,
        since === null ? {} : { since },
      );
      const n = Number(counts.n);
      return {
        engine: { name: this.connection.engine, version: this.version },
        entries: n,
        sources: Number(counts.sources),
        oldest: n > 0 ? microsToIso(BigInt(String(counts.oldest))) : null,
        newest: n > 0 ? microsToIso(BigInt(String(counts.newest))) : null,
        diskBytes: Number(parts?.bytes ?? 0),
        hotEntries: 0,
        segments: Number(parts?.parts ?? 0),
        // ClickHouse merges and indexes as it inserts: nothing waits to settle.
        settling: { hours: 0, settled: 0 },
      };
    } catch (err) {
      throw asRequestError(err);
    }
  }

  async health(): Promise<string | null> {
    const ping = await this.connection.client.ping();
    if (ping.success) return null;
    const problem = asRequestError(ping.error);
    return problem instanceof Error && (problem as { status?: number }).status === 503 ? problem.message : `ClickHouse does not answer: ${ping.error.message}`;
  }

  describe(): string {
    const { url, database, cluster } = this.options.clickhouse;
    return `${this.connection.engine === 'chdb' ? 'ClickHouse embedded (chDB)' : 'ClickHouse'} at ${url}, database ${database}${cluster ? `, cluster ${cluster}` : ''}`;
  }

  async memory(): Promise<Record<string, number>> {
    return {};
  }

  /**
   * Retention: whole days older than LOGPOND_RETENTION go at once (the table's TTL would take hours
   * to), and so do the sources none of whose lines can be left.
   */
  async maintain(): Promise<ClickHouseMaintenance> {
    const { retentionMs } = this.options;
    if (retentionMs === null) return { dropped: [], forgottenSources: 0 };
    // Partitions are days, named YYYYMMDD: those before the day the cutoff falls in are wholly past it.
    const cutoffDay = new Date(Math.floor((this.now() - retentionMs) / DAY_MS) * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
    const cluster = this.options.clickhouse.cluster;
    const table = cluster ? `${TABLES.entries}_local` : TABLES.entries;
    const days = await this.db.rows<{ partition_id: string }>(
      `SELECT DISTINCT partition_id FROM system.parts WHERE active AND database = {db:String} AND table = {table:String}`,
      { db: this.db.name, table },
    );
    const dropped = days.map((d) => d.partition_id).filter((id) => /^\d{8}$/.test(id) && id < cutoffDay);
    const on = cluster ? ` ON CLUSTER \`${cluster}\`` : '';
    // The partition ids come from system.parts and are checked digits: no user text.
    for (const id of dropped) await this.db.command(`ALTER TABLE \`${this.db.name}\`.${table}${on} DROP PARTITION ID '${id}'`);
    return { dropped, forgottenSources: await this.forgetSources() };
  }

  /**
   * Deletes the sources stored last well before sourcesSince(): reads hide them already, but a CronJob's
   * pod a minute would add half a million rows a year for every read of `sources` to pass over.
   * Only when there are some: each DELETE is a mutation the server must apply.
   */
  private async forgetSources(): Promise<number> {
    const hiddenSince = this.sourcesSince();
    if (hiddenSince === null) return 0;
    // Later than hiding them: a line may outlive its source's last store by a day (its day's
    // partition goes whole) and another (stamped up to MAX_AHEAD_MICROS ahead), and keeps its source.
    const since = hiddenSince - DAY_MS - MAX_AHEAD_MICROS / 1000;
    const stale = `last_seen < fromUnixTimestamp64Milli({since:Int64})`;
    const [{ n }] = await this.db.rows<{ n: string }>(`SELECT toString(count()) AS n FROM ${this.db.tables.sources} FINAL WHERE ${stale}`, { since });
    if (Number(n) === 0) return 0;
    // Older versions of a source still sending are deleted too; its newest row stays. Not ON
    // CLUSTER: the table is replicated to every node, and so is a delete on one of them.
    await this.db.command(`DELETE FROM ${this.db.tables.sources} WHERE ${stale}`, { since });
    return Number(n);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.writer.idle();
    await this.connection.release();
  }
}

function stopped(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function refuse(err: unknown): never {
  throw asRequestError(err);
}
