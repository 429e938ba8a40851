// The store: one DuckDB file plus sealed Parquet segments under the data directory. One process
// owns it (DuckDB allows one writer per file); the app memoizes the open store on globalThis.
import type { StoreStats } from '../log-storage';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, version as duckdbVersion } from '@duckdb/node-api';
import type { IngestResult } from '../../../common/ingest-batch';
import type { DecodedBatch } from '../../ingest/decoded-batch';
import { StorageUnavailableError } from '../../errors';
import { BatchWriter } from './batch-writer';
import type { KnownSources } from './known-sources';
import { decodeRecords, Journal, type JournalReplay, listJournals } from './journal';
import { HotIncarnations, HOT_SNAPSHOT, HOT_TABLES, type HotTable, otherHotTable, SCHEMA, SCHEMA_VERSION } from './schema';
import { PARTITION_MICROS, Segments, type SettleReadYield } from './segments';
import { DAMAGED_DIR, DamagedSegments } from './damaged-segments';
import { SavedSearches } from './saved-searches';
import { SerialQueue } from '../serial-queue';
import { RecentDensity } from '../recent-density';
import { SettleBudget } from './settle-budget';
import { ThreadBudget } from './thread-budget';
import { dropFileHotTables, takeFileHotRows } from './upgrade';
import { DAY_MICROS, microsToIso, millisToMicros } from '../timestamps';

/**
 * The active hot table is sealed once it holds this many rows, or once its first row is
 * SEAL_EVERY_MS old. Hot rows are held in memory (and in the journal), so this bounds both.
 */
export const HOT_MAX_ROWS = 250_000;
const SEAL_EVERY_MS = 5 * 60_000;
/**
 * An hour is complete once every file being read has moved this far past its end (see
 * completeBefore): a little slack for lines a node stamps late, as its clock is not ours.
 */
const LATENESS_MICROS = 60_000_000n;
/** An hour that received no sealed file for this long is settled, whatever holds it open. */
const QUIET_PARTITION_MS = 10 * 60_000;
/** A round with nothing to settle costs a few catalog lookups. */
const MAINTENANCE_INTERVAL_MS = 10_000;
/**
 * Hot rows of an hour that is over are sealed once nothing has arrived for this long, so the
 * tail of a backfill is settled with the rest rather than SEAL_EVERY_MS later.
 */
const IDLE_SEAL_MS = 3_000;
/**
 * While complete hours wait to be settled, a round settles for this long and the next round
 * follows at once; retention, the disk limit and due seals run between rounds.
 */
const SETTLE_ROUND_MS = 5_000;
/**
 * The budget of the settling work (Segments' file work): a DuckDB instance of its own, one
 * thread per statement, so each hour in work takes one core at most whatever runs beside it, and
 * memory for the sorts in work, beyond which they spill to disk (`settle.tmp`).
 */
const SETTLE_INSTANCE_OPTIONS = { threads: '1', memory_limit: '256MB' };
/** While settling waits for a saturated writer (SettleBudget), rounds look again this soon. */
const DEFERRED_SETTLE_RECHECK_MS = IDLE_SEAL_MS;
/**
 * Hours settled at once while nothing is being ingested: the hours a backfill leaves are settled
 * in about half the time on two cores once its last line is stored; while lines arrive, one
 * (SettleBudget: none while the writer is saturated, for a while).
 * Not more: each statement holds one of libuv's four threads, which the journal and every other
 * DuckDB statement need too, and a pod's CPU quota is not what availableParallelism() says.
 */
const SETTLE_WORKERS_IDLE = Math.min(2, os.availableParallelism());
/** DuckDB's checkpoint_threshold: far past any WAL the catalog writes between two seals. */
const NO_AUTOMATIC_CHECKPOINT = '64GB';
/** A day's token files are folded into one once the day is this far in the past. */
const FOLD_DAY_AFTER_MICROS = DAY_MICROS;

export interface StoreOptions {
  dataDir: string;
  /** How the journal's records become batches again at start (the ingest side's decoder). */
  replay: JournalReplay;
  retentionMs: number | null;
  maxDiskBytes: number | null;
  /** DuckDB's memory_limit, e.g. `1GB`. */
  memoryLimit?: string;
  /** Run seal/retention on a timer; tests call maintain() themselves. */
  background?: boolean;
  hotMaxRows?: number;
  now?: () => number;
  /** How settling yields to reads (Segments); tests shorten it. */
  settleReadYield?: SettleReadYield;
}

export type { StoreStats };

/** Bytes DuckDB's buffer manager holds: the store's instance (hot tables, reads) and settling's. */
export type StoreMemory = {
  store: number;
  settle: number;
};

export interface MaintenanceReport {
  sealed: number;
  /** Hours settled this round: rewritten as one sorted, indexed file. */
  settled: number;
  /** Complete hours still to settle after it. */
  unsettled: number;
  /** Complete hours waited for a saturated writer (SettleBudget) instead of being settled. */
  deferred: boolean;
  /** Segments whose tokens moved into a shared day file. */
  shared: number;
  /** Small files of hours still filling joined into one. */
  joined: number;
  droppedSegments: number;
  /** Sources forgotten because the segments dropped held their last lines (BatchWriter.forgetSources). */
  forgottenSources: number;
  /** Bytes that left the catalog; on disk they are freed once no running read holds them. */
  freedBytes: number;
}

export class LogStore {
  /** Rows in the active hot table, and when its first row arrived. */
  private activeRows = 0;
  /** Rows a failed seal left in a hot table, which its next seal takes. */
  private readonly rowsLeftBySeal = new Map<HotTable, number>();
  /** The last batch handed to the writer, or waiting for room to be: the next waits behind it. */
  private admission: Promise<void> = Promise.resolve();
  private activeSince = 0;
  private lastIngest = 0;
  private readonly settleBudget = new SettleBudget(SETTLE_WORKERS_IDLE);
  private maintaining: Promise<MaintenanceReport> | null = null;
  /** Saved searches, per user, in the DuckDB file. */
  readonly savedSearches = new SavedSearches(() => this.connect(), () => this.now());
  private readonly sealing = new SerialQueue();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** One thread per statement while a seal runs or reads queue (see setReadsCrowded). */
  private readonly threadBudget: ThreadBudget;
  private crowdedLease: Promise<() => Promise<void>> | null = null;
  private readonly density = new RecentDensity();

  private constructor(
    private readonly options: StoreOptions,
    private readonly instance: DuckDBInstance,
    /** Where Segments' file work runs (SETTLE_INSTANCE_OPTIONS). */
    private readonly settleInstance: DuckDBInstance,
    /** The writer's, the catalog's, the seals' and the settling's connections, closed at close(). */
    private readonly connections: readonly DuckDBConnection[],
    private readonly writer: BatchWriter,
    readonly segments: Segments,
    private readonly incarnations: HotIncarnations,
    readonly databasePath: string,
    /** DuckDB's own thread count, which queries use unless the budget narrows it (ThreadBudget). */
    threads: number,
    private readonly journalDir: string,
  ) {
    this.damage = new DamagedSegments(segments, () => this.connect(), path.join(options.dataDir, DAMAGED_DIR));
    // `threads` is a number read from DuckDB at open, not user text.
    this.threadBudget = new ThreadBudget(threads, async (n) => {
      await this.onConnection((c) => c.run(`SET GLOBAL threads = ${Math.trunc(n)}`));
    });
  }

  /** Journals of the given hot table's rows: deleted once it is sealed, kept while a seal fails. */
  private readonly unsealed = new Map<HotTable, Journal[]>();
  /** The journal the writer appends to. */
  private journal: Journal | null = null;
  private nextJournal = 1;

  private newJournal(): Promise<Journal> {
    return Journal.create(this.journalDir, this.nextJournal++);
  }

  static async open(options: StoreOptions): Promise<LogStore> {
    await fs.mkdir(options.dataDir, { recursive: true });
    const databasePath = path.join(options.dataDir, 'logpond.duckdb');
    const instance = await DuckDBInstance.create(databasePath, { memory_limit: options.memoryLimit ?? '1GB' });
    // What a sort spilled before a crash is of no use now.
    const settleTemp = path.join(options.dataDir, 'settle.tmp');
    await fs.rm(settleTemp, { recursive: true, force: true });
    let settleInstance: DuckDBInstance | undefined;
    const connections: DuckDBConnection[] = [];
    try {
      settleInstance = await DuckDBInstance.create(':memory:', { ...SETTLE_INSTANCE_OPTIONS, temp_directory: settleTemp });
      const writerConnection = await instance.connect();
      connections.push(writerConnection);
      for (const statement of SCHEMA) await writerConnection.run(statement);
      // Every read opens the segments it spans; keeping their footers parsed saves ~0.3 ms a file.
      await writerConnection.run('LOAD parquet');
      await writerConnection.run('SET GLOBAL parquet_metadata_cache = true');
      // Past this much WAL a commit checkpoints every attached database, the in-memory hot one
      // too, and there that vacuums and compresses every hot row group again: a writer's commit
      // of a few large batches did so again and again. The file's WAL holds only catalog changes,
      // and the CHECKPOINT after every seal and settling round bounds it.
      await writerConnection.run(`SET GLOBAL checkpoint_threshold = '${NO_AUTOMATIC_CHECKPOINT}'`);
      await writerConnection.run(
        `INSERT INTO meta SELECT 'schema_version', $v WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'schema_version')`,
        { v: String(SCHEMA_VERSION) },
      );
      const incarnations = await HotIncarnations.load(writerConnection);
      const olderLayout = await takeFileHotRows(writerConnection, incarnations.of(HOT_TABLES[0]));
      const maintenanceConnection = await instance.connect();
      connections.push(maintenanceConnection);
      const fileWork: DuckDBConnection[] = [];
      for (let i = 0; i < SETTLE_WORKERS_IDLE; i++) fileWork.push(await settleInstance.connect());
      connections.push(...fileWork);
      const sealConnection = await instance.connect();
      connections.push(sealConnection);
      const segments = new Segments(maintenanceConnection, sealConnection, fileWork, path.join(options.dataDir, 'segments'), options.now, options.settleReadYield);
      await segments.load();
      // Rows copied out of an older file are sealed before the writer reads the marks they set.
      if (olderLayout.length > 0) {
        await sealTable(segments, incarnations, HOT_TABLES[0]);
        await dropFileHotTables(writerConnection, olderLayout);
      }
      const writer = await BatchWriter.load(writerConnection, incarnations, options.now);
      const threads = Number((await writerConnection.runAndReadAll(`SELECT current_setting('threads')::INTEGER AS n`)).getRowObjectsJS()[0].n);
      const journalDir = path.join(options.dataDir, 'journal');
      const store = new LogStore(options, instance, settleInstance, [writerConnection, maintenanceConnection, sealConnection, ...fileWork], writer, segments, incarnations, databasePath, threads, journalDir);
      segments.damage = store.damage;
      // What the last run acknowledged but had not sealed is in its journals: replayed through the
      // writer (which drops what was sealed after all) and sealed, so both hot tables start empty.
      const journals = await listJournals(journalDir);
      for (const { file } of journals) {
        const { bodies, damagedBytes } = decodeRecords(await fs.readFile(/*turbopackIgnore: true*/ file));
        for (const { body, encoding } of bodies) await writer.write(options.replay(body, encoding));
        if (damagedBytes > 0) {
          console.error(`logpond: ${path.basename(file)}: ${damagedBytes} bytes at the end were cut short when the server stopped (a batch never acknowledged), skipped`);
        }
      }
      for (const table of HOT_TABLES) await sealTable(segments, incarnations, table);
      for (const { file } of journals) await fs.rm(/*turbopackIgnore: true*/ file, { force: true });
      store.nextJournal = (journals.at(-1)?.sequence ?? 0) + 1;
      store.journal = await store.newJournal();
      writer.useJournal(store.journal);
      await maintenanceConnection.run('CHECKPOINT');
      if (options.background ?? true) store.maintainLater(MAINTENANCE_INTERVAL_MS);
      return store;
    } catch (err) {
      // Close what was opened: the caller may retry, and DuckDB does not stop a second instance
      // in the same process from opening the same file.
      for (const connection of connections) connection.closeSync();
      instance.closeSync();
      settleInstance?.closeSync();
      throw err;
    }
  }

  /** Sets aside the files a failed read or rewrite shows to be damaged (damaged-segments.ts). */
  readonly damage: DamagedSegments;

  /** A fresh connection for a read; the caller closes it. Reads never queue behind the writer. */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async ingest(batch: DecodedBatch): Promise<IngestResult> {
    if (this.closed) throw new StorageUnavailableError('the store is shutting down');
    // Held while a seal runs and the table the writer fills is already twice the size a seal
    // takes: the collector waits (its files hold the lines), and the server's memory stays
    // bounded when seals cannot keep up, as when a backfill's batches span a week of hours.
    const max = this.options.hotMaxRows ?? HOT_MAX_ROWS;
    // Batches reach the writer in the order ingest was called (LogStorage.ingest): a shipper's
    // lines are numbered in that order (ingest/protocols/protocol-file.ts), and the writer takes a
    // line at or below its file's mark for a duplicate.
    const admitted = this.admission
      .then(async () => {
        while (this.activeRows >= 2 * max && this.sealing.busy && !this.closed) await this.sealing.idle();
      })
      .then(() => {
        if (this.closed) throw new StorageUnavailableError('the store is shutting down');
        return { written: this.writer.write(batch) };
      });
    this.admission = admitted.then(
      () => undefined,
      () => undefined,
    );
    const result = await (await admitted).written;
    if (result.accepted > 0 && this.activeRows === 0) this.activeSince = this.now();
    if (result.accepted > 0) {
      this.lastIngest = this.now();
      this.density.record(batch.entries.ts, this.lastIngest);
    }
    this.activeRows += result.accepted;
    // Not behind a maintenance round, which may be settling hours: the hot table must not grow.
    if (this.activeRows >= (this.options.hotMaxRows ?? HOT_MAX_ROWS) && !this.sealing.busy && !this.closed) {
      this.seal().catch((err: Error) => {
        if (!this.closed) console.error(`logpond: sealing the hot table failed: ${err.message}`);
      });
    }
    return result;
  }

  /** What each stored source is, kept by the writer for reads. */
  get knownSources(): KnownSources {
    return this.writer.knownSources;
  }

  /** Entries stamped with the present that arrive a second, over the last minute (RecentDensity). */
  presentPerSecond(): number {
    return this.density.rate(this.now());
  }

  /** Seals everything hot into segments, applies retention, settles every complete hour. */
  maintain(): Promise<MaintenanceReport> {
    return this.maintainRound(true, Infinity);
  }

  /** The background rounds: the next comes at once while hours wait to be settled. */
  private maintainLater(delayMs: number): void {
    this.timer = setTimeout(async () => {
      let more = false;
      let deferred = false;
      try {
        const report = await this.maintainRound(false, Date.now() + SETTLE_ROUND_MS, true);
        // Only while rounds make headway: an hour whose index cannot be written waits its turn.
        more = report.unsettled > 0 && report.settled > 0;
        deferred = report.deferred;
      } catch (err) {
        if (!this.closed) console.error(`logpond: store maintenance failed: ${(err as Error).message}`);
      }
      if (!this.closed) this.maintainLater(more ? 0 : deferred ? DEFERRED_SETTLE_RECHECK_MS : MAINTENANCE_INTERVAL_MS);
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Runs `work` with DuckDB on one thread. A seal is background work beside ingest; run in
   * parallel, its Parquet writes fought the ingest thread for the cores and spent more on that
   * than they gained: measured with bench/ingest.ts on two cores, server CPU 33-36 s → 28-30 s for
   * 3 M entries and 121-131k → 135-146k entries/s. Queries that run meanwhile get one thread too,
   * until the seal ends. (Settling runs in an instance of its own: see SETTLE_INSTANCE_OPTIONS.)
   */
  private async onOneThread<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.threadBudget.narrow();
    try {
      return await work();
    } finally {
      await release();
    }
  }

  /**
   * Reads tell the store when some wait for a turn: the cores are then taken by reads, and each
   * statement runs on one thread (ThreadBudget). A page's own few reads keep every thread.
   */
  setReadsCrowded(crowded: boolean): void {
    if (crowded === (this.crowdedLease !== null)) return;
    if (crowded) {
      this.crowdedLease = this.threadBudget.narrow();
    } else {
      const lease = this.crowdedLease!;
      this.crowdedLease = null;
      void lease.then((release) => release());
    }
  }

  /**
   * A statement on a connection of its own: the maintenance connection may be inside a seal's
   * or a settle's transaction at any moment, as seals run beside maintenance rounds.
   */
  private async onConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  }

  private async sealIsDue(): Promise<boolean> {
    if (this.activeRows === 0) return false;
    const now = this.now();
    if (this.activeRows >= (this.options.hotMaxRows ?? HOT_MAX_ROWS) || now - this.activeSince >= SEAL_EVERY_MS) return true;
    if (now - this.lastIngest < IDLE_SEAL_MS) return false;
    const hourStarted = millisToMicros(now);
    const oldestHot = await this.oldestHot();
    return oldestHot !== null && oldestHot < hourStarted - (hourStarted % PARTITION_MICROS);
  }

  /** The oldest timestamp in the hot tables, microseconds. */
  private async oldestHot(): Promise<bigint | null> {
    const lo = await this.onConnection(async (c) => (await c.runAndReadAll(`SELECT epoch_us(min(ts)) AS lo FROM entries_hot`)).getRowObjectsJS()[0].lo);
    return lo === null ? null : BigInt(lo as bigint);
  }

  /**
   * One round at a time: a round asked for while one runs is that round. A `budgeted` round (the
   * background's) settles only as much as SettleBudget allows beside ingest.
   */
  private maintainRound(sealAlways: boolean, settleDeadline: number, budgeted = false): Promise<MaintenanceReport> {
    this.maintaining ??= this.runRound(sealAlways, settleDeadline, budgeted).finally(() => {
      this.maintaining = null;
    });
    return this.maintaining;
  }

  private async runRound(sealAlways: boolean, settleDeadline: number, budgeted: boolean): Promise<MaintenanceReport> {
    const now = millisToMicros(this.now());
    const report: MaintenanceReport = { sealed: 0, settled: 0, unsettled: 0, deferred: false, shared: 0, joined: 0, droppedSegments: 0, forgottenSources: 0, freedBytes: 0 };
    // A round does not queue behind a seal ingest started: it settles meanwhile.
    if (sealAlways ? this.activeRows > 0 : !this.sealing.busy && (await this.sealIsDue()) && !this.sealing.busy) report.sealed = await this.seal();

    if (this.options.retentionMs !== null) {
      const cutoff = now - BigInt(this.options.retentionMs) * 1000n;
      const expired = this.segments.list().filter((s) => s.maxTs < cutoff);
      report.freedBytes += await this.segments.drop(expired);
      report.droppedSegments += expired.length;
    }
    // Joining and settling come before the size limit, which must count the files they write.
    const { completeBefore, quietBefore } = await this.settleBounds();
    report.joined = await this.segments.joinBusy(completeBefore, quietBefore);
    const idle = this.now() - this.lastIngest >= IDLE_SEAL_MS;
    let workers = idle ? SETTLE_WORKERS_IDLE : 1;
    if (budgeted) {
      const before = this.segments.settling(completeBefore, quietBefore);
      const pending = before.hours - before.settled;
      workers = this.settleBudget.workers({ now: performance.now(), busyMs: this.writer.busyMs(), idle, pending });
      report.deferred = workers === 0 && pending > 0;
    }
    if (workers > 0) report.settled = await this.segments.settle(completeBefore, quietBefore, settleDeadline, workers, budgeted);
    const { hours, settled } = this.segments.settling(completeBefore, quietBefore);
    report.unsettled = hours - settled;
    // Once settling has done what it can: a day's token files are folded again each time more of
    // its hours have their own, which, in the middle of settling a backfill, was each round.
    if (report.unsettled === 0 || report.settled === 0) report.shared = await this.segments.shareDayTokens(now - FOLD_DAY_AFTER_MICROS);
    if (this.options.maxDiskBytes !== null) {
      // Their catalog changes sit in the WAL, and the database file takes more than the WAL's
      // bytes when they are checkpointed: measure after that.
      if (report.joined + report.settled + report.shared > 0) await this.checkpoint();
      const { freed, dropped } = await this.enforceDiskLimit(this.options.maxDiskBytes);
      report.freedBytes += freed;
      report.droppedSegments += dropped;
    }
    if (report.droppedSegments > 0) report.forgottenSources = await this.forgetUnreferencedSources();
    return report;
  }

  /**
   * Sources no segment's rollups name any more, forgotten where no hot row names them either
   * (BatchWriter.forgetSources). The scan of every rollup runs here, beside ingest; ingest waits
   * only for the check of the few it finds.
   */
  private async forgetUnreferencedSources(): Promise<number> {
    const connection = await this.connect();
    let candidates: number[];
    try {
      const rows = await connection.runAndReadAll(`SELECT id FROM sources WHERE id NOT IN (SELECT DISTINCT source_id FROM rollups)`);
      candidates = rows.getRowObjectsJS().map((r) => Number(r.id));
    } finally {
      connection.closeSync();
    }
    return candidates.length === 0 ? 0 : this.writer.forgetSources(candidates);
  }

  /**
   * Hours that ended before `completeBefore` are complete: every file being read has moved past
   * them (IngestFronts), no hot row is in them, and the clock has too (so an hour is not settled
   * while it can still fill, should every collector pause). Hours that received no seal since
   * `quietBefore` are complete whatever holds them open. Microseconds.
   */
  private async settleBounds(oldestHot?: bigint | null): Promise<{ completeBefore: bigint; quietBefore: bigint }> {
    const now = this.now();
    let bound = millisToMicros(now);
    const front = this.writer.fronts.oldestActive(now);
    if (front !== null && BigInt(Math.trunc(front)) < bound) bound = BigInt(Math.trunc(front));
    const hot = oldestHot === undefined ? await this.oldestHot() : oldestHot;
    if (hot !== null && hot < bound) bound = hot;
    return { completeBefore: bound - LATENESS_MICROS, quietBefore: (BigInt(Math.trunc(now)) - BigInt(QUIET_PARTITION_MS)) * 1000n };
  }

  /**
   * Switches the writer to the other hot table, seals the one it leaves whole, then checkpoints
   * the catalog changes that made. One at a time: a second switch during a seal would point the
   * writer at the table being emptied.
   */
  private async seal(): Promise<number> {
    const sealed = await this.sealing.run(() => this.onOneThread(() => this.switchAndSeal()));
    await this.checkpoint();
    return sealed;
  }

  /**
   * A checkpoint cannot run while another transaction writes to the file (the writer's catalog
   * changes, rarely). It only bounds the WAL, so a missed one waits for the next seal rather than
   * failing the maintenance round (retention and compaction come after it).
   */
  private async checkpoint(): Promise<void> {
    try {
      await this.onConnection((c) => c.run('CHECKPOINT'));
    } catch (err) {
      if (!/other write transactions active/i.test((err as Error).message)) throw err;
    }
  }

  private async switchAndSeal(): Promise<number> {
    const next = await this.newJournal();
    const rows = this.activeRows;
    // The table written to next may hold rows its last seal failed to move: they count toward its
    // next seal, or, with no line arriving after, they would stay hot until a restart.
    this.activeRows = this.rowsLeftBySeal.get(otherHotTable(this.writer.activeTable)) ?? 0;
    this.activeSince = this.now();
    const { table, journal } = await this.writer.switchTable(next);
    this.journal = next;
    const journals = [...(this.unsealed.get(table) ?? []), ...(journal ? [journal] : [])];
    this.unsealed.set(table, journals);
    let sealed: number;
    try {
      sealed = await sealTable(this.segments, this.incarnations, table);
    } catch (err) {
      // Its rows are still there, and their journals kept; the next seal of that table takes them.
      // They also count toward the seal of the table now written to, so that one comes due and
      // this one is tried again after it.
      this.rowsLeftBySeal.set(table, rows);
      this.activeRows += rows;
      throw err;
    }
    this.rowsLeftBySeal.delete(table);
    this.unsealed.delete(table);
    for (const done of journals) await done.remove();
    return sealed;
  }

  /**
   * Drops the oldest partitions, whole, until the store fits; seals first when it is all hot.
   * Retired files that running reads still hold are not counted: they go when those reads end,
   * and as they do not shrink while this waits, counting them would drop partition after
   * partition, down to the newest, for bytes about to be freed anyway. So the disk may exceed the
   * limit by what reads hold, while they run: LOGPOND_QUERY_TIMEOUT bounds that, but for a
   * statement slow to notice its interrupt, which holds them until it ends (Reader).
   */
  private async enforceDiskLimit(limit: number): Promise<{ freed: number; dropped: number }> {
    let freed = 0;
    let dropped = 0;
    for (;;) {
      const over = (await this.diskBytes()) - this.segments.retirement.heldBytes - limit;
      if (over <= 0) break;
      if ((await this.segments.refoldShrunkDays()) > 0) continue;
      const all = this.segments.list();
      if (all.length === 0) {
        // Everything is hot: seal it so the next pass has whole files to drop.
        if (this.activeRows === 0 || (await this.seal()) === 0) break;
        continue;
      }
      // Never drop the newest partition for size (that would leave the page empty), judged by
      // the clock: one line stamped in year 9999 must not shield itself and doom the present.
      const oldest = all[0].partitionStart;
      const present = millisToMicros(this.now());
      if (all.every((s) => s.partitionStart === oldest) || oldest + PARTITION_MICROS > present) break;
      const victims = all.filter((s) => s.partitionStart === oldest);
      freed += await this.segments.drop(victims);
      dropped += victims.length;
    }
    return { freed, dropped };
  }

  /** Bytes on disk: the DuckDB file, its WAL, every segment (retired ones reads still hold too) and the journals. */
  async diskBytes(): Promise<number> {
    let total = this.segments.bytes + this.segments.retirement.heldBytes;
    for (const file of [this.databasePath, `${this.databasePath}.wal`]) {
      total += await fs.stat(/*turbopackIgnore: true*/ file).then((s) => s.size, () => 0);
    }
    for (const journal of [this.journal, ...[...this.unsealed.values()].flat()]) total += journal?.bytes ?? 0;
    return total;
  }

  async stats(): Promise<StoreStats> {
    const connection = await this.connect();
    try {
      // One snapshot, taken as a read takes it (Reader): the hot tables first, then the catalog.
      // Counted apart, a seal committing in between had its rows counted twice, or not at all.
      await connection.run('BEGIN TRANSACTION');
      await connection.run(HOT_SNAPSHOT);
      const [hot] = (await connection.runAndReadAll(`SELECT count(*) AS n, epoch_us(min(ts)) AS lo, epoch_us(max(ts)) AS hi FROM entries_hot`)).getRowObjectsJS();
      const [sealed] = (
        await connection.runAndReadAll(`SELECT count(*) AS files, coalesce(sum(row_count), 0) AS n, epoch_us(min(min_ts)) AS lo, epoch_us(max(max_ts)) AS hi FROM segments`)
      ).getRowObjectsJS();
      const [sources] = (await connection.runAndReadAll(`SELECT count(*) AS n FROM sources`)).getRowObjectsJS();
      await connection.run('COMMIT');
      const bound = (...values: unknown[]) => values.filter((v) => v !== null).map((v) => BigInt(v as bigint));
      const lows = bound(sealed.lo, hot.lo);
      const highs = bound(sealed.hi, hot.hi);
      return {
        engine: { name: 'duckdb', version: duckdbVersion() },
        entries: Number(hot.n) + Number(sealed.n),
        sources: Number(sources.n),
        oldest: lows.length ? microsToIso(lows.reduce((a, b) => (b < a ? b : a))) : null,
        newest: highs.length ? microsToIso(highs.reduce((a, b) => (b > a ? b : a))) : null,
        diskBytes: await this.diskBytes(),
        hotEntries: Number(hot.n),
        segments: Number(sealed.files),
        settling: await this.settlingNow(hot.lo === null ? null : BigInt(hot.lo as bigint)),
        ...(await this.damagedFiles(connection)),
      };
    } finally {
      connection.closeSync();
    }
  }

  private async damagedFiles(connection: DuckDBConnection): Promise<Pick<StoreStats, 'damaged'>> {
    const [row] = (await connection.runAndReadAll(`SELECT count(*) AS n, sum(row_count) AS entries FROM damaged_segments`)).getRowObjectsJS();
    if (Number(row.n) === 0) return {};
    return { damaged: { files: Number(row.n), entries: Number(row.entries), directory: this.damage.directory } };
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** For the metrics: not in stats(), which every open page polls. */
  async memory(): Promise<StoreMemory> {
    const on = async (instance: DuckDBInstance) => {
      const connection = await instance.connect();
      try {
        return await memoryOf(connection);
      } finally {
        connection.closeSync();
      }
    };
    return { store: await on(this.instance), settle: await on(this.settleInstance) };
  }

  private async settlingNow(oldestHot: bigint | null): Promise<{ hours: number; settled: number }> {
    const { completeBefore, quietBefore } = await this.settleBounds(oldestHot);
    return this.segments.settling(completeBefore, quietBefore);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.writer.idle();
    await this.savedSearches.close();
    while (this.maintaining) await this.maintaining.catch(() => undefined);
    // A seal ingest started runs on its own; the connections must outlive it.
    await this.sealing.idle();
    // Sealed now, so the next start has no journal to replay; if that fails, it replays them.
    if (this.activeRows > 0) await this.seal().catch(() => undefined);
    const journal = this.journal;
    this.journal = null;
    if (journal && journal.bytes === 0 && this.unsealed.size === 0) await journal.remove();
    else await journal?.close();
    await this.onConnection((c) => c.run('CHECKPOINT')).catch(() => undefined);
    for (const connection of this.connections) connection.closeSync();
    this.instance.closeSync();
    this.settleInstance.closeSync();
    // What reads still hold is removed when they end, or, should the process end first, by the
    // next start (Segments.load).
    await this.segments.retirement.settled();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** Seals the rows of `table`'s current incarnation; its later rows are of the next one. */
async function sealTable(segments: Segments, incarnations: HotIncarnations, table: HotTable): Promise<number> {
  const sealed = await segments.seal(table, incarnations.of(table));
  incarnations.renew(table);
  return sealed;
}

/** What an instance's buffer manager holds now, in bytes. */
async function memoryOf(connection: DuckDBConnection): Promise<number> {
  const row = (await connection.runAndReadAll(`SELECT sum(memory_usage_bytes)::BIGINT AS bytes FROM duckdb_memory()`)).getRowObjectsJS()[0];
  return Number(row.bytes ?? 0);
}
