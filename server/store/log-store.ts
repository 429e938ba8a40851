// The store: one DuckDB file plus sealed Parquet segments under the data directory. One process
// owns it (DuckDB allows one writer per file); the app memoizes the open store on globalThis.
import fs from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, timestampValue } from '@duckdb/node-api';
import type { IngestResult } from '../../common/ingest-batch';
import type { ValidBatch } from '../ingest/valid-batch';
import { BatchWriter } from './batch-writer';
import { SCHEMA, SCHEMA_VERSION } from './schema';
import { PARTITION_MICROS, Segments } from './segments';
import { microsToIso } from './timestamps';

/** Hot rows are sealed an hour at a time once the hour is this far behind: late lines still land hot. */
const SEAL_DELAY_MICROS = 5n * 60_000_000n;
/** Above this many hot rows, seal up to a minute ago: the DuckDB file never shrinks, so keep it small. */
export const HOT_MAX_ROWS = 1_000_000;
const FORCED_SEAL_DELAY_MICROS = 60_000_000n;
const MAINTENANCE_INTERVAL_MS = 30_000;

export interface StoreOptions {
  dataDir: string;
  retentionMs: number | null;
  maxDiskBytes: number | null;
  /** DuckDB's memory_limit, e.g. `1GB`. */
  memoryLimit?: string;
  /** Run seal/retention on a timer; tests call maintain() themselves. */
  background?: boolean;
  hotMaxRows?: number;
  now?: () => number;
}

export interface StoreStats {
  entries: number;
  sources: number;
  oldest: string | null;
  newest: string | null;
  diskBytes: number;
  hotEntries: number;
  segments: number;
}

export interface MaintenanceReport {
  sealed: number;
  compacted: number;
  droppedSegments: number;
  freedBytes: number;
}

export class LogStore {
  private hotRows = 0;
  private maintaining: Promise<MaintenanceReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly options: StoreOptions,
    private readonly instance: DuckDBInstance,
    private readonly writerConnection: DuckDBConnection,
    private readonly maintenanceConnection: DuckDBConnection,
    private readonly writer: BatchWriter,
    readonly segments: Segments,
    readonly databasePath: string,
  ) {}

  static async open(options: StoreOptions): Promise<LogStore> {
    await fs.mkdir(options.dataDir, { recursive: true });
    const databasePath = path.join(options.dataDir, 'logpond.duckdb');
    const instance = await DuckDBInstance.create(databasePath, {
      memory_limit: options.memoryLimit ?? '1GB',
    });
    const writerConnection = await instance.connect();
    for (const statement of SCHEMA) await writerConnection.run(statement);
    await writerConnection.run(
      `INSERT INTO meta SELECT 'schema_version', $v WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'schema_version')`,
      { v: String(SCHEMA_VERSION) },
    );
    const maintenanceConnection = await instance.connect();
    const segments = new Segments(maintenanceConnection, path.join(options.dataDir, 'segments'));
    await segments.load();
    const writer = await BatchWriter.load(writerConnection);
    const store = new LogStore(
      options,
      instance,
      writerConnection,
      maintenanceConnection,
      writer,
      segments,
      databasePath,
    );
    store.hotRows = Number(
      (await writerConnection.runAndReadAll('SELECT count(*) AS n FROM entries_hot')).getRowObjectsJS()[0].n,
    );
    if (options.background ?? true) {
      store.timer = setInterval(() => void store.maintainQuietly(), MAINTENANCE_INTERVAL_MS);
      store.timer.unref();
      void store.maintainQuietly();
    }
    return store;
  }

  /** A fresh connection for a read; the caller closes it. Reads never queue behind the writer. */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async ingest(batch: ValidBatch): Promise<IngestResult> {
    const result = await this.writer.write(batch);
    this.hotRows += result.accepted;
    if (this.hotRows > (this.options.hotMaxRows ?? HOT_MAX_ROWS) && !this.maintaining) {
      void this.maintainQuietly();
    }
    return result;
  }

  /** Seals old hot rows into segments, applies retention, merges small segments. */
  maintain(): Promise<MaintenanceReport> {
    this.maintaining ??= this.maintainNow().finally(() => {
      this.maintaining = null;
    });
    return this.maintaining;
  }

  private async maintainQuietly(): Promise<void> {
    try {
      await this.maintain();
    } catch (err) {
      if (!this.closed) console.error(`logpond: store maintenance failed: ${(err as Error).message}`);
    }
  }

  private async maintainNow(): Promise<MaintenanceReport> {
    const now = BigInt(Math.trunc(this.now())) * 1000n;
    const forced = this.hotRows > (this.options.hotMaxRows ?? HOT_MAX_ROWS);
    const sealCutoff = forced ? now - FORCED_SEAL_DELAY_MICROS : floorToPartition(now - SEAL_DELAY_MICROS);
    const report: MaintenanceReport = { sealed: 0, compacted: 0, droppedSegments: 0, freedBytes: 0 };
    report.sealed = await this.segments.seal(sealCutoff);
    this.hotRows = Math.max(0, this.hotRows - report.sealed);
    // Checkpoint while the sealed rows are fresh deletions: whole deleted row groups are dropped
    // instead of being written to the file, and the WAL does not carry them further.
    if (report.sealed > 0) await this.maintenanceConnection.run('CHECKPOINT');

    if (this.options.retentionMs !== null) {
      const cutoff = now - BigInt(this.options.retentionMs) * 1000n;
      const expired = this.segments.list().filter((s) => s.maxTs < cutoff);
      report.freedBytes += await this.segments.drop(expired);
      report.droppedSegments += expired.length;
      await this.maintenanceConnection.run(`DELETE FROM entries_hot WHERE ts < $cutoff`, {
        cutoff: timestampValue(cutoff),
      });
    }
    if (this.options.maxDiskBytes !== null) {
      const { freed, dropped } = await this.enforceDiskLimit(this.options.maxDiskBytes, now);
      report.freedBytes += freed;
      report.droppedSegments += dropped;
    }
    report.compacted = await this.segments.compact(floorToPartition(sealCutoff));
    return report;
  }

  /** Drops the oldest partitions, whole, until the store fits; seals first when it is all hot. */
  private async enforceDiskLimit(limit: number, now: bigint): Promise<{ freed: number; dropped: number }> {
    let freed = 0;
    let dropped = 0;
    for (;;) {
      const over = (await this.diskBytes()) - limit;
      if (over <= 0) break;
      const all = this.segments.list();
      if (all.length === 0) {
        // Everything is hot: seal it so the next pass has whole files to drop.
        const moved = await this.segments.seal(now);
        this.hotRows = Math.max(0, this.hotRows - moved);
        if (moved === 0) break;
        continue;
      }
      // Never drop the newest partition for size: that would leave the page empty.
      const oldest = all[0].partitionStart;
      if (all.every((s) => s.partitionStart === oldest)) break;
      const victims = all.filter((s) => s.partitionStart === oldest);
      freed += await this.segments.drop(victims);
      dropped += victims.length;
    }
    return { freed, dropped };
  }

  /** Bytes on disk: the DuckDB file, its WAL and every segment. */
  async diskBytes(): Promise<number> {
    let total = this.segments.bytes;
    for (const file of [this.databasePath, `${this.databasePath}.wal`]) {
      total += await fs.stat(/*turbopackIgnore: true*/ file).then((s) => s.size, () => 0);
    }
    return total;
  }

  async stats(): Promise<StoreStats> {
    const connection = await this.connect();
    try {
      const hot = (
        await connection.runAndReadAll(
          `SELECT count(*) AS n, epoch_us(min(ts)) AS lo, epoch_us(max(ts)) AS hi FROM entries_hot`,
        )
      ).getRowObjectsJS()[0];
      const sources = (await connection.runAndReadAll(`SELECT count(*) AS n FROM sources`)).getRowObjectsJS()[0];
      const segments = this.segments.list();
      const lows = [...segments.map((s) => s.minTs), ...(hot.lo === null ? [] : [BigInt(hot.lo as bigint)])];
      const highs = [...segments.map((s) => s.maxTs), ...(hot.hi === null ? [] : [BigInt(hot.hi as bigint)])];
      return {
        entries: Number(hot.n) + this.segments.rows,
        sources: Number(sources.n),
        oldest: lows.length ? microsToIso(lows.reduce((a, b) => (b < a ? b : a))) : null,
        newest: highs.length ? microsToIso(highs.reduce((a, b) => (b > a ? b : a))) : null,
        diskBytes: await this.diskBytes(),
        hotEntries: Number(hot.n),
        segments: segments.length,
      };
    } finally {
      connection.closeSync();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.maintaining?.catch(() => undefined);
    await this.writer.idle();
    await this.writerConnection.run('CHECKPOINT').catch(() => undefined);
    this.writerConnection.closeSync();
    this.maintenanceConnection.closeSync();
    this.instance.closeSync();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function floorToPartition(micros: bigint): bigint {
  return micros - (((micros % PARTITION_MICROS) + PARTITION_MICROS) % PARTITION_MICROS);
}
