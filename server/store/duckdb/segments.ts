// Sealed segments: Parquet files of one hour partition each, catalogued in the `segments` table.
// Sealing copies a hot table the writer has left (see LogStore.seal) and empties it.
// Files are written under a temporary name and renamed before COMMIT; a crash in between leaves a
// file the catalog does not know, which the next start deletes. Files that leave the catalog are
// retired, not deleted: a running read may still name them (file-retirement.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, type DuckDBValue, listValue, timestampValue } from '@duckdb/node-api';
import { persistMarks } from './batch-writer';
import { HOT_COLUMNS, type HotTable, ROLLUP_MICROS } from './schema';
import { SerialQueue } from '../serial-queue';
import { syncFile } from './sync-file';
import { DAY_TOKENS_DIR, daysToShare, writeDayTokenFile } from './day-tokens';
import { FileRetirement } from './file-retirement';
import { TOKEN_BLOCK_ROWS, TOKEN_FILE_SUFFIX, tokenFileOf, writeTokenFile } from './token-index';
import { isOlderIndex, ownBytes, rollUpOlderSegments } from './upgrade';
import { millisToMicros } from '../timestamps';

/** How often a settle worker held back by reads looks again. */
const READ_YIELD_MS = 20;

/**
 * How settling gives the cores to reads: no worker starts an hour while a read runs or ran less
 * than `graceMs` ago, which spans the gaps inside a burst (the page's histogram, hits and field
 * list; suggestions while typing). The first worker waits at most `limitMs` for each hour, so a
 * steady stream of reads slows settling but cannot stop it.
 */
export interface SettleReadYield {
  graceMs: number;
  limitMs: number;
}

export const SETTLE_READ_YIELD: SettleReadYield = { graceMs: 500, limitMs: 3_000 };

export const PARTITION_MICROS = 3_600_000_000n; // one hour: retention granularity and file size
/** How many hours' files a seal writes at once (see seal). */
const SEAL_OPEN_FILES = 8;
/** Hours' files a seal syncs and moves into place at once: that waits on the disk, not the cores. */
const SEAL_PLACE_AT_ONCE = 16;
/** Where a seal's partitioned COPY writes before each hour's file moves to its hour; emptied at load. */
const SEAL_STAGING = '.sealing';

/** A busy hour's small files are merged once it has this many: each file costs a query an open and a footer read. */
const MAX_BUSY_PARTITION_SEGMENTS = 8;

export interface Segment {
  /** Relative to the segments directory, but in a read's snapshot, where it is absolute (segmentOf). */
  path: string;
  partitionStart: bigint;
  minTs: bigint;
  maxTs: bigint;
  rows: number;
  /**
   * The segment's bytes on disk: its file and its own token file; a shared day token file is
   * counted once, on its own (Segments.bytes), as it is freed only with the last of its segments.
   */
  bytes: number;
  /** Whether its tokens are indexed. */
  indexed: boolean;
  /** The shared day token file holding its tokens, or null for its own file beside it (tokenFileOf). */
  tokenFile: string | null;
}

/** The columns a catalog row is read with, for segmentOf. */
export const SEGMENT_COLUMNS = `path, epoch_us(partition_start) AS p, epoch_us(min_ts) AS lo, epoch_us(max_ts) AS hi, row_count, bytes, indexed, token_file`;

/** A catalog row read with SEGMENT_COLUMNS; its paths joined to `directory` when one is given. */
export function segmentOf(row: Record<string, unknown>, directory?: string): Segment {
  const located = (file: string) => (directory === undefined ? file : path.join(directory, file));
  return {
    path: located(String(row.path)),
    partitionStart: BigInt(row.p as bigint),
    minTs: BigInt(row.lo as bigint),
    maxTs: BigInt(row.hi as bigint),
    rows: Number(row.row_count),
    bytes: Number(row.bytes),
    indexed: row.indexed === true,
    tokenFile: row.token_file === null ? null : located(String(row.token_file)),
  };
}

/** The token file an indexed segment's tokens are in, relative to the segments directory. */
export function tokensOf(segment: Pick<Segment, 'path' | 'tokenFile'>): string {
  return segment.tokenFile ?? tokenFileOf(segment.path);
}

export class Segments {
  private readonly queue = new SerialQueue();
  private segments: Segment[] = [];
  /** When each partition last received a sealed file (microseconds); not persisted. */
  private readonly lastSealed = new Map<bigint, bigint>();
  /** Size of each shared day token file in use. */
  private readonly dayFileBytes = new Map<string, number>();
  /** How many segments each day file was written for (those it was catalogued with at load). */
  private readonly dayFileMembers = new Map<string, number>();
  /** Files gone from the catalog stay on disk while a read may name them; reads hold them here. */
  readonly retirement = new FileRetirement();
  /** Checks the files of a rewrite that failed, and sets damaged ones aside (set by the store). */
  damage: { check(err: unknown, scope: { segments: readonly Segment[]; tokenFiles: readonly string[] }): Promise<boolean> } | null = null;

  constructor(
    /** The store's own connection: the catalog, and seals (which read the hot tables). */
    private readonly connection: DuckDBConnection,
    /** The seals' own connection to the store's instance, whose in-memory hot tables they read. */
    private readonly sealConnection: DuckDBConnection,
    /**
     * Connections to a DuckDB instance of its own, on one thread, for the files an hour is
     * settled into (Parquet to Parquet): each statement takes one core at most whatever runs
     * beside it, reads and ingest keep every thread of the store's instance meanwhile, and hours
     * are settled on as many connections at once as settle() is asked to.
     */
    private readonly fileWork: readonly DuckDBConnection[],
    readonly directory: string,
    /** The store's clock (epoch ms), so tests can let an hour pass. */
    private readonly now: () => number = Date.now,
    private readonly readYield: SettleReadYield = SETTLE_READ_YIELD,
  ) {}

  /** Loads the catalog and removes files a crash left behind, in either direction. */
  async load(): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    // What a seal staged before a crash was never catalogued: its rows are still in the journal.
    await fs.rm(path.join(this.directory, SEAL_STAGING), { recursive: true, force: true });
    const rows = await this.connection.runAndReadAll(`SELECT ${SEGMENT_COLUMNS} FROM segments`);
    const catalogued = rows.getRowObjectsJS().map((row) => segmentOf(row));
    const onDisk = new Set(await listParquet(this.directory));
    const missing = catalogued.filter((s) => !onDisk.has(s.path));
    this.segments = catalogued;
    if (missing.length > 0) {
      // Deleted from under the store while it was down: said, and kept on the damaged list.
      await this.setAsideNow(missing.map((segment) => ({ segment, reason: 'the file was missing when the store opened' })), null);
      for (const s of missing) console.error(`logpond: the segment ${s.path} (${s.rows} entries) was missing when the store opened; its lines leave every count`);
    }
    // An index that is not there must not be trusted: a read would skip the whole segment.
    const unindexed = this.segments.filter((s) => s.indexed && (!onDisk.has(tokensOf(s)) || isOlderIndex(tokensOf(s))));
    if (unindexed.length > 0) {
      await this.connection.run(`UPDATE segments SET indexed = false, token_file = NULL WHERE list_contains($paths, path)`, {
        paths: listValue(unindexed.map((s) => s.path)),
      });
      for (const s of unindexed) {
        s.indexed = false;
        s.tokenFile = null;
      }
    }
    await rollUpOlderSegments(this.connection, this.directory);
    for (const s of this.segments) {
      if (s.tokenFile === null) continue;
      s.bytes = await ownBytes(this.directory, s.path);
      if (!this.dayFileBytes.has(s.tokenFile)) this.dayFileBytes.set(s.tokenFile, (await fs.stat(path.join(this.directory, s.tokenFile))).size);
      this.dayFileMembers.set(s.tokenFile, (this.dayFileMembers.get(s.tokenFile) ?? 0) + 1);
    }
    const known = new Set(this.segments.flatMap((s) => [s.path, tokensOf(s)]));
    for (const file of onDisk) {
      if (!known.has(file)) await fs.rm(path.join(this.directory, file), { force: true });
    }
    this.sort();
  }

  list(): readonly Segment[] {
    return this.segments;
  }

  /** Absolute paths of the segments that may hold entries in [from, to). */
  pathsOverlapping(fromMicros: bigint, toMicros: bigint): string[] {
    return this.segments
      .filter((s) => s.maxTs >= fromMicros && s.minTs < toMicros)
      .map((s) => path.join(this.directory, s.path));
  }

  /** Bytes of the catalogued files; retired ones still on disk are `retirement.heldBytes`. */
  get bytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.bytes;
    for (const size of this.dayFileBytes.values()) total += size;
    return total;
  }

  get rows(): number {
    return this.segments.reduce((sum, s) => sum + s.rows, 0);
  }

  /**
   * Moves the rows of a hot table's `incarnation` into segments, one per hour they span, and
   * empties the table; answers how many rows moved. The writer must have switched to the other
   * hot table, and gives this one's next rows the next incarnation; one seal at a time.
   *
   * The files are written first, on a connection of the seals' own and outside the catalog's
   * queue (nothing writes to a table the writer has left): a seal of a backfill's batch spans a
   * week and writes a file for each of its hours, for seconds, and settling must not wait for
   * that. Only the catalog change queues, as one short transaction.
   */
  async seal(table: HotTable, incarnation: number): Promise<number> {
    const connection = this.sealConnection;
    const written: Segment[] = [];
    const staging = path.join(this.directory, SEAL_STAGING, randomUUID());
    try {
      // `table` is one of two fixed names (HotTable), never user text.
      const partitions = await connection.runAndReadAll(
        `SELECT epoch_us(date_trunc('hour', ts)) AS p, count(*) AS n, epoch_us(min(ts)) AS lo, epoch_us(max(ts)) AS hi
         FROM ${table} WHERE incarnation = $incarnation GROUP BY ALL ORDER BY p`,
        { incarnation },
      );
      const hours = partitions.getRowObjectsJS();
      if (hours.length > 0) {
        await fs.mkdir(path.dirname(staging), { recursive: true });
        // A PARTITION_BY write flushes what it buffered every partitioned_write_flush_threshold
        // rows (524,288 by default), and an hour whose file was closed meanwhile (more hours than
        // open files) gets a second file: a table that big (a batch of 100,000 admitted beside
        // a busy seal) would fail to seal at every try. Buffered whole, each hour's file is
        // written at the end in one go, with few open at once, which also holds the seal's memory
        // down. Both are numbers, not user text; only seals write partitions.
        const rows = hours.reduce((sum, row) => sum + Number(row.n), 0);
        await connection.run(`SET GLOBAL partitioned_write_flush_threshold = ${rows + 1}`);
        await connection.run(`SET GLOBAL partitioned_write_max_open_files = ${SEAL_OPEN_FILES}`);
        // Every hour's file in one pass over the table: a backfill's table spans a week, and a
        // statement per hour read all of it each time. Not indexed yet: an hour is settled
        // (sorted, indexed) once it is complete, so each line is tokenized once and not on the
        // ingest path's heels. Nor sorted: rows come in about in time order, so sorting made the
        // file no smaller (18.27 MB against 18.26 for 265k corpus rows) and cost a fifth of the seal.
        await connection.run(
          `COPY (SELECT * EXCLUDE (incarnation), epoch_us(date_trunc('hour', ts)) AS hour FROM ${table} WHERE incarnation = $incarnation)
           TO '${staging.replaceAll("'", "''")}' ${parquetOptions(false, 'PARTITION_BY (hour)')}`,
          { incarnation },
        );
      }
      // Each hour's file is synced, moved and its directory synced before the catalog names it.
      // One after the other, a backfill's seal of a week of hours waited on the disk nearly as
      // long as it took to write them, with both hot tables full meanwhile.
      const failures: unknown[] = [];
      let next = 0;
      const placeHours = async () => {
        while (next < hours.length && failures.length === 0) {
          const row = hours[next++];
          const start = BigInt(row.p as bigint);
          try {
            const segment = await this.placeStaged(path.join(staging, `hour=${start}`), start);
            written.push({ ...segment, minTs: BigInt(row.lo as bigint), maxTs: BigInt(row.hi as bigint), rows: Number(row.n) });
          } catch (err) {
            failures.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(SEAL_PLACE_AT_ONCE, hours.length) }, placeHours));
      if (failures.length > 0) throw failures[0];
      await this.queue.run(() => this.catalogSeal(table, incarnation, written));
    } catch (err) {
      for (const segment of written) await fs.rm(path.join(this.directory, segment.path), { force: true });
      throw err;
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
    // Emptied in a transaction of its own, as one transaction writes to one database only;
    // dropped and made anew rather than deleted from, as a dropped table's memory is released
    // whole. Drop and create commit together: a read that began between two autocommits found no
    // table. Should that fail, the sealed rows stay, hidden by their incarnation, until a later
    // seal of the table drops them.
    try {
      await connection.run('BEGIN TRANSACTION');
      await connection.run(`DROP TABLE ${table}`);
      await connection.run(`CREATE TABLE ${table} (${HOT_COLUMNS})`);
      await connection.run('COMMIT');
    } catch (err) {
      await connection.run('ROLLBACK').catch(() => undefined);
      console.error(`logpond: ${table} was sealed but could not be emptied yet: ${(err as Error).message}`);
      await connection.run(`CREATE TABLE IF NOT EXISTS ${table} (${HOT_COLUMNS})`).catch(() => undefined);
    }
    return written.reduce((sum, s) => sum + s.rows, 0);
  }

  /** Catalogs a seal's files, their rollups and the table's marks, and hides its rows, in one commit. */
  private async catalogSeal(table: HotTable, incarnation: number, written: Segment[]): Promise<void> {
    const connection = this.connection;
    try {
      await connection.run('BEGIN TRANSACTION');
      if (written.length > 0) {
        // One pass over the table for every hour's rollups, each hour's under its file.
        await connection.run(
          `INSERT INTO rollups SELECT m.path, make_timestamp(epoch_us(t.ts) // ${ROLLUP_MICROS} * ${ROLLUP_MICROS}), t.source_id, t.level, t.stream, count(*)
           FROM ${table} t JOIN (SELECT unnest($starts) AS p, unnest($paths) AS path) m ON epoch_us(date_trunc('hour', t.ts)) = m.p
           WHERE t.incarnation = $incarnation GROUP BY ALL`,
          { starts: listValue(written.map((s) => Number(s.partitionStart))), paths: listValue(written.map((s) => s.path)), incarnation },
        );
        await connection.run(
          `INSERT INTO segments (path, partition_start, min_ts, max_ts, row_count, bytes, indexed)
           SELECT unnest($paths), make_timestamp(unnest($starts)), make_timestamp(unnest($los)), make_timestamp(unnest($his)), unnest($rows), unnest($bytes), false`,
          {
            paths: listValue(written.map((s) => s.path)),
            starts: listValue(written.map((s) => Number(s.partitionStart))),
            los: listValue(written.map((s) => Number(s.minTs))),
            his: listValue(written.map((s) => Number(s.maxTs))),
            rows: listValue(written.map((s) => s.rows)),
            bytes: listValue(written.map((s) => s.bytes)),
          },
        );
      }
      await persistMarks(connection, table);
      // From this commit on, reads find these rows in the segments, not in the table.
      await connection.run(`UPDATE hot_incarnations SET sealed = $incarnation WHERE name = $table`, { incarnation, table });
      await connection.run('COMMIT');
    } catch (err) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    this.segments.push(...written);
    const now = millisToMicros(this.now());
    for (const s of written) this.lastSealed.set(s.partitionStart, now);
    this.sort();
  }

  /**
   * Settles complete hours, newest first (the page opens on the latest), until `deadline` (epoch
   * ms), `workers` hours at a time: each is rewritten as one file, sorted, at the final
   * compression, with its token index. An hour is complete once it ended before
   * `completeBeforeMicros` (see LogStore.settleBounds), or when it received no seal since
   * `quietBeforeMicros`. Only the catalog change of each hour waits in the queue, so seals go on
   * meanwhile. Answers how many hours were settled; an hour that fails is reported and left for
   * a later round, and the others go on. Resolves once every worker has stopped. With
   * `yieldToReads` (background rounds), reads come first (SettleReadYield).
   */
  async settle(completeBeforeMicros: bigint, quietBeforeMicros: bigint, deadline = Infinity, workers = 1, yieldToReads = false): Promise<number> {
    let settled = 0;
    // Taken once a call: an hour that failed, or whose token file could not be written, waits
    // for the next round.
    const taken = new Set<bigint>();
    const work = async (connection: DuckDBConnection, worker: number) => {
      let waitingSince: number | null = null;
      while (Date.now() < deadline) {
        const next = this.unsettledHours(completeBeforeMicros, quietBeforeMicros).findLast((h) => !taken.has(h.start));
        if (!next) return;
        // Reads come first (SettleReadYield): each worker's statement takes a core, so right after
        // a backfill a read beside the workers had a fraction of the cores it has once they stop.
        if (yieldToReads && this.retirement.readRecently(this.readYield.graceMs)) {
          waitingSince ??= Date.now();
          if (worker > 0 || Date.now() - waitingSince < this.readYield.limitMs) {
            await new Promise((resolve) => setTimeout(resolve, READ_YIELD_MS));
            continue;
          }
        }
        waitingSince = null;
        taken.add(next.start);
        try {
          if ((await this.merge(next.start, next.parts, true, connection))?.indexed) settled++;
        } catch (err) {
          // With a damaged file set aside, the rest of the hour is settled in this round.
          if (await this.damaged(err, next.parts)) taken.delete(next.start);
          else console.error(`logpond: settling the hour of ${new Date(Number(next.start / 1000n)).toISOString()} failed: ${(err as Error).message}`);
        }
      }
    };
    await Promise.allSettled(this.fileWork.slice(0, Math.max(1, workers)).map((connection, worker) => work(connection, worker)));
    return settled;
  }

  /** What is left to settle, and how much is settled: for the status a user sees. */
  settling(completeBeforeMicros: bigint, quietBeforeMicros: bigint): { hours: number; settled: number } {
    const complete = [...this.byPartition()].filter(([start]) => this.isComplete(start, completeBeforeMicros, quietBeforeMicros));
    const pending = this.unsettledHours(completeBeforeMicros, quietBeforeMicros).length;
    return { hours: complete.length, settled: complete.length - pending };
  }

  /** Complete hours not yet in one indexed file, oldest first. */
  private unsettledHours(completeBeforeMicros: bigint, quietBeforeMicros: bigint): { start: bigint; parts: Segment[] }[] {
    const hours: { start: bigint; parts: Segment[] }[] = [];
    for (const [start, parts] of this.byPartition()) {
      if (parts.length === 1 && parts[0].indexed) continue;
      if (this.isComplete(start, completeBeforeMicros, quietBeforeMicros)) hours.push({ start, parts });
    }
    return hours;
  }

  private isComplete(start: bigint, completeBeforeMicros: bigint, quietBeforeMicros: bigint): boolean {
    return start + PARTITION_MICROS <= completeBeforeMicros || (this.lastSealed.get(start) ?? 0n) < quietBeforeMicros;
  }

  /** The catalogued segments of each partition, in partition order. */
  private byPartition(): Map<bigint, Segment[]> {
    const byPartition = new Map<bigint, Segment[]>();
    for (const s of this.segments) {
      const parts = byPartition.get(s.partitionStart);
      if (parts) parts.push(s);
      else byPartition.set(s.partitionStart, [s]);
    }
    return byPartition;
  }

  /**
   * Keeps the number of files of an hour still filling small: once it has many, its smaller files
   * are joined, unsorted, leaving its largest alone (so a busy hour is not rewritten at every
   * seal); it is sorted once, when it is settled. Answers how many files were joined.
   */
  async joinBusy(completeBeforeMicros: bigint, quietBeforeMicros: bigint): Promise<number> {
    let joined = 0;
    for (const [start, all] of this.byPartition()) {
      if (all.length < MAX_BUSY_PARTITION_SEGMENTS || this.isComplete(start, completeBeforeMicros, quietBeforeMicros)) continue;
      const largest = all.reduce((a, b) => (b.rows > a.rows ? b : a));
      const parts = all.filter((s) => s !== largest);
      try {
        if (await this.merge(start, parts, false)) joined += parts.length;
      } catch (err) {
        if (!(await this.damaged(err, parts))) throw err;
      }
    }
    return joined;
  }

  /**
   * Rewrites `parts` as one file; answers that file's segment, or null when a part left the
   * catalog meanwhile (the file is discarded). The file is written outside the catalog's queue,
   * so seals go on meanwhile: a seal only adds files (one for this hour is left for the next
   * round), and what else changes the catalog runs in the maintenance round, one step after
   * another.
   */
  private async merge(start: bigint, parts: Segment[], settled: boolean, connection = this.fileWork[0]): Promise<Segment | null> {
    const paths = parts.map((s) => path.join(this.directory, s.path));
    // Sorted once the hour is over, for the weeks the file is read; a busy hour's files are only
    // joined, as they come: sorting them held all their rows in memory (an hour taking 200k
    // entries/s merged 1.8 M rows at a time, the server's RSS 1.5 GiB) to be sorted again later.
    const order = settled ? ' ORDER BY ts, source_id' : '';
    const segment = await this.writeSegment(connection, start, `SELECT * FROM read_parquet($paths)${order}`, { paths: listValue(paths) }, settled);
    const combined: Segment = {
      ...segment,
      minTs: parts.reduce((m, s) => (s.minTs < m ? s.minTs : m), parts[0].minTs),
      maxTs: parts.reduce((m, s) => (s.maxTs > m ? s.maxTs : m), parts[0].maxTs),
      rows: parts.reduce((sum, s) => sum + s.rows, 0),
    };
    const discard = async () => {
      await fs.rm(path.join(this.directory, combined.path), { force: true });
      await fs.rm(path.join(this.directory, tokenFileOf(combined.path)), { force: true });
    };
    return this.queue.run(async () => {
      // Checked where nothing else changes the catalog: committed, it would store their rows twice.
      if (parts.some((p) => !this.segments.includes(p))) {
        await discard();
        return null;
      }
      try {
        await this.connection.run('BEGIN TRANSACTION');
        await this.connection.run(`DELETE FROM segments WHERE list_contains($paths, path)`, {
          paths: listValue(parts.map((s) => s.path)),
        });
        await this.insertCatalog(combined);
        await this.connection.run(`UPDATE rollups SET segment = $path WHERE list_contains($parts, segment)`, {
          path: combined.path,
          parts: listValue(parts.map((s) => s.path)),
        });
        await this.connection.run('COMMIT');
      } catch (err) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        await discard();
        throw err;
      }
      this.segments = [...this.segments.filter((s) => !parts.includes(s)), combined];
      this.sort();
      await this.retire(parts.map((s) => s.path), parts);
      return combined;
    });
  }

  /**
   * Retires `files` and the token files of `gone` segments that no catalogued segment reads any
   * more; answers the bytes of the shared day files among those (own token files are in their
   * segment's bytes). Call once their catalog change has committed.
   */
  private async retire(files: readonly string[], gone: readonly Segment[]): Promise<number> {
    const inUse = new Set(this.segments.filter((s) => s.indexed).map(tokensOf));
    const candidates = new Set(gone.flatMap((s) => [tokenFileOf(s.path), ...(s.tokenFile ? [s.tokenFile] : [])]));
    const unused = [...candidates].filter((file) => !inUse.has(file));
    let freed = 0;
    for (const file of unused) {
      freed += this.dayFileBytes.get(file) ?? 0;
      this.dayFileBytes.delete(file);
      this.dayFileMembers.delete(file);
    }
    await this.retirement.retire([...files, ...unused].map((file) => path.join(this.directory, file)));
    return freed;
  }

  /**
   * Folds the token files of each day older than `before` into one shared file, so a lookup opens
   * one file per day instead of one per segment (the per-file cost dominated lookups: 74 ms over
   * 215 files). Answers how many segments moved into a day file.
   */
  async shareDayTokens(beforeMicros: bigint): Promise<number> {
    let moved = 0;
    for (const day of daysToShare(this.segments, beforeMicros)) {
      try {
        moved += await this.shareDay(day);
      } catch (err) {
        if (!(await this.damaged(err, day))) throw err;
      }
    }
    return moved;
  }

  /**
   * Rewrites the day files that still hold the tokens of dropped segments for the segments left,
   * as a day file is freed only with the last of its segments; answers the bytes that freed. For
   * the disk limit, which must not count what it already dropped: retention, dropping the oldest
   * day hour by hour, frees its file with its last hour instead of rewriting it every hour.
   */
  async refoldShrunkDays(): Promise<number> {
    const before = this.bytes;
    const members = new Map<string, Segment[]>();
    for (const s of this.segments) {
      if (s.tokenFile !== null) members.set(s.tokenFile, [...(members.get(s.tokenFile) ?? []), s]);
    }
    for (const [file, left] of members) {
      if (left.length >= (this.dayFileMembers.get(file) ?? 0)) continue;
      try {
        await this.shareDay(left);
      } catch (err) {
        if (!(await this.damaged(err, left))) throw err;
      }
    }
    return Math.max(0, before - this.bytes);
  }

  private async shareDay(members: Segment[]): Promise<number> {
    const day = new Date(Number(members[0].partitionStart / 1000n)).toISOString().slice(0, 10);
    const relative = `${DAY_TOKENS_DIR}/${day}-${randomUUID().slice(0, 8)}${TOKEN_FILE_SUFFIX}`;
    const final = path.join(this.directory, relative);
    await fs.mkdir(path.dirname(final), { recursive: true });
    const tokenFiles = new Map(members.map((s) => [s, s.tokenFile]));
    await writeDayTokenFile(this.fileWork[0], this.directory, members.map((s) => ({ segment: s.path, tokens: tokensOf(s) })), `${final}.tmp`);
    await syncFile(`${final}.tmp`);
    await fs.rename(`${final}.tmp`, final);
    await syncFile(path.dirname(final));
    const size = (await fs.stat(final)).size;
    const bytes = await Promise.all(members.map(async (s) => (await fs.stat(path.join(this.directory, s.path))).size));
    // Written outside the queue, like a merge's file (see merge); only the catalog change queues.
    return this.queue.run(async () => {
      // Or no longer indexed as when its tokens were read: a damaged token file was dropped meanwhile.
      if (members.some((s) => !this.segments.includes(s) || !s.indexed || s.tokenFile !== tokenFiles.get(s))) {
        await fs.rm(final, { force: true });
        return 0;
      }
      const before = new Map(members.map((s) => [s, s.tokenFile]));
      await this.connection.run(
        `UPDATE segments SET token_file = $file, bytes = m.bytes FROM (SELECT unnest($paths) AS path, unnest($bytes) AS bytes) m WHERE segments.path = m.path`,
        { file: relative, paths: listValue(members.map((s) => s.path)), bytes: listValue(bytes) },
      );
      members.forEach((s, i) => {
        s.tokenFile = relative;
        s.bytes = bytes[i];
      });
      this.dayFileBytes.set(relative, size);
      this.dayFileMembers.set(relative, members.length);
      await this.retire([], members.map((s) => ({ ...s, tokenFile: before.get(s) ?? null })));
      return members.length;
    });
  }

  /** Whether `err`, from a rewrite of `parts`, was a damaged file that is now out of the way. */
  private async damaged(err: unknown, parts: readonly Segment[]): Promise<boolean> {
    const tokenFiles = parts.filter((s) => s.indexed).map(tokensOf);
    return (await this.damage?.check(err, { segments: parts, tokenFiles }).catch(() => false)) ?? false;
  }

  /**
   * Takes segments whose file cannot be read out of the catalog with their rollups, records why in
   * `damaged_segments`, and moves each file into `damagedDir` (same relative path) for an operator
   * to look at. The file moves first: a crash before the commit leaves a catalogued file missing,
   * which the next start sets aside; one that cannot be moved (but is there) stays catalogued.
   * Answers those set aside.
   */
  setAside<T extends { segment: Segment; reason: string }>(damaged: readonly T[], damagedDir: string): Promise<T[]> {
    return this.queue.run(() => this.setAsideNow(damaged, damagedDir));
  }

  private async setAsideNow<T extends { segment: Segment; reason: string }>(damaged: readonly T[], damagedDir: string | null): Promise<T[]> {
    const victims: T[] = [];
    for (const d of damaged) {
      if (!this.segments.includes(d.segment)) continue; // merged or dropped meanwhile
      if (damagedDir !== null) {
        const target = path.join(damagedDir, d.segment.path);
        try {
          await fs.mkdir(path.dirname(target), { recursive: true });
          // A read that opened it keeps reading it there.
          await fs.rename(path.join(this.directory, d.segment.path), target);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
            console.error(`logpond: cannot move the damaged segment ${d.segment.path} to ${target}: ${(err as Error).message}; it stays in the store`);
            continue;
          }
        }
      }
      victims.push(d);
    }
    if (victims.length === 0) return [];
    const gone = victims.map((d) => d.segment);
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const paths = listValue(gone.map((s) => s.path));
      await this.connection.run(`DELETE FROM segments WHERE list_contains($paths, path)`, { paths });
      await this.connection.run(`DELETE FROM rollups WHERE list_contains($paths, segment)`, { paths });
      for (const { segment: s, reason } of victims) {
        await this.connection.run(`INSERT INTO damaged_segments VALUES ($path, $lo, $hi, $rows, $reason, now())`, {
          path: s.path,
          lo: timestampValue(s.minTs),
          hi: timestampValue(s.maxTs),
          rows: s.rows,
          reason,
        });
      }
      await this.connection.run('COMMIT');
    } catch (err) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    this.segments = this.segments.filter((s) => !gone.includes(s));
    await this.retire([], gone);
    return victims;
  }

  /**
   * Stops trusting the token file `file` (relative): the segments whose tokens it holds are read
   * whole until settling indexes them again, and the file is removed. Answers how many there were.
   */
  distrustTokens(file: string): Promise<number> {
    return this.queue.run(async () => {
      const members = this.segments.filter((s) => s.indexed && tokensOf(s) === file);
      if (members.length === 0) return 0;
      await this.connection.run(`UPDATE segments SET indexed = false, token_file = NULL WHERE list_contains($paths, path)`, {
        paths: listValue(members.map((s) => s.path)),
      });
      const before = members.map((s) => ({ ...s }));
      for (const s of members) {
        s.indexed = false;
        s.tokenFile = null;
      }
      await this.retire([], before);
      return members.length;
    });
  }

  /**
   * Deletes whole segments, catalog first, so a crash never leaves a catalogued missing file;
   * answers the bytes that left the catalog, which are freed on disk once no read holds them.
   */
  drop(victims: readonly Segment[]): Promise<number> {
    return this.queue.run(async () => {
      // Set aside meanwhile (damaged-segments.ts): already out of the catalog and the counts.
      victims = victims.filter((s) => this.segments.includes(s));
      if (victims.length === 0) return 0;
      const paths = listValue(victims.map((s) => s.path));
      await this.connection.run('BEGIN TRANSACTION');
      try {
        await this.connection.run(`DELETE FROM segments WHERE list_contains($paths, path)`, { paths });
        await this.connection.run(`DELETE FROM rollups WHERE list_contains($paths, segment)`, { paths });
        await this.connection.run('COMMIT');
      } catch (err) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      this.segments = this.segments.filter((s) => !victims.includes(s));
      const freed = victims.reduce((sum, s) => sum + s.bytes, 0);
      return freed + (await this.retire(victims.map((s) => s.path), victims));
    });
  }

  /** Moves the one file a partitioned COPY wrote for an hour to where the hour's segments live. */
  private async placeStaged(directory: string, partitionStart: bigint): Promise<Pick<Segment, 'path' | 'partitionStart' | 'bytes' | 'indexed' | 'tokenFile'>> {
    const files = await fs.readdir(directory);
    if (files.length !== 1) throw new Error(`a seal wrote ${files.length} files for the hour in ${directory}, expected one`);
    const relative = segmentPathOf(partitionStart);
    const final = path.join(this.directory, relative);
    const staged = path.join(directory, files[0]);
    await fs.mkdir(path.dirname(final), { recursive: true });
    // The catalog (and the high-water marks) will say these rows are stored: make it so on disk
    // first, or a power cut could lose rows no collector would send again.
    await syncFile(staged);
    await fs.rename(staged, final);
    await syncFile(path.dirname(final));
    const { size } = await fs.stat(final);
    return { path: relative, partitionStart, bytes: size, indexed: false, tokenFile: null };
  }

  private async writeSegment(
    connection: DuckDBConnection,
    partitionStart: bigint,
    select: string,
    params: Record<string, DuckDBValue>,
    /** The hour is over: the file is written to last (see parquetOptions) and its tokens indexed. */
    settled: boolean,
  ): Promise<Pick<Segment, 'path' | 'partitionStart' | 'bytes' | 'indexed' | 'tokenFile'>> {
    const relative = segmentPathOf(partitionStart);
    const final = path.join(this.directory, relative);
    const temporary = `${final}.tmp`;
    await fs.mkdir(path.dirname(final), { recursive: true });
    // COPY takes no parameter for its target; the path is built here from a date and a UUID.
    await connection.run(`COPY (${select}) TO '${temporary.replaceAll("'", "''")}' ${parquetOptions(settled)}`, params);
    // The catalog (and the high-water marks) will say these rows are stored: make it so on disk
    // first, or a power cut could lose rows no collector would send again.
    await syncFile(temporary);
    await fs.rename(temporary, final);
    const tokens = settled ? await this.writeTokens(connection, final) : 0;
    await syncFile(path.dirname(final));
    const { size } = await fs.stat(final);
    return { path: relative, partitionStart, bytes: size + tokens, indexed: tokens > 0, tokenFile: null };
  }

  /**
   * The segment's token file; its size, or 0 when it could not be written. A segment without one
   * is still whole and correct, only read in full by free-text searches, so a failure here does
   * not fail the seal.
   */
  private async writeTokens(connection: DuckDBConnection, segmentFile: string): Promise<number> {
    const final = tokenFileOf(segmentFile);
    const temporary = `${final}.tmp`;
    try {
      await writeTokenFile(connection, segmentFile, temporary);
      await syncFile(temporary);
      await fs.rename(temporary, final);
      return (await fs.stat(final)).size;
    } catch (err) {
      console.error(`logpond: no token index for ${path.basename(segmentFile)}: ${(err as Error).message}`);
      await fs.rm(temporary, { force: true });
      return 0;
    }
  }

  private async insertCatalog(s: Segment): Promise<void> {
    await this.connection.run(`INSERT INTO segments (path, partition_start, min_ts, max_ts, row_count, bytes, indexed) VALUES ($path, $start, $lo, $hi, $rows, $bytes, $indexed)`, {
      path: s.path,
      start: timestampValue(s.partitionStart),
      lo: timestampValue(s.minTs),
      hi: timestampValue(s.maxTs),
      rows: s.rows,
      bytes: s.bytes,
      indexed: s.indexed,
    });
  }

  private sort(): void {
    this.segments.sort((a, b) => (a.partitionStart < b.partitionStart ? -1 : a.partitionStart > b.partitionStart ? 1 : 0));
  }
}

/**
 * Parquet v2 pages (delta encodings). A settled hour is kept for the retention period and every
 * free-text query over it is bound by decompressing its messages, so it is written once, slowly,
 * at zstd level 9: the smallest file, and a smaller file decompresses faster. A file of an hour
 * not yet settled lives minutes, is written beside ingest and read by every query until its hour
 * settles: lz4 writes and decompresses faster than any zstd level, for more bytes meanwhile.
 */
function parquetOptions(settled: boolean, extra = ''): string {
  const compression = settled ? 'zstd, COMPRESSION_LEVEL 9' : 'lz4_raw';
  return `(FORMAT parquet, PARQUET_VERSION V2, COMPRESSION ${compression}, ROW_GROUP_SIZE ${TOKEN_BLOCK_ROWS}${extra ? `, ${extra}` : ''})`;
}

/** A new segment file of the hour starting at `partitionStart`, relative to the segments directory. */
function segmentPathOf(partitionStart: bigint): string {
  const hour = new Date(Number(partitionStart / 1000n)).toISOString().slice(0, 13);
  return `${hour}/${Date.now()}-${randomUUID().slice(0, 8)}.parquet`;
}

async function listParquet(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const hour of await fs.readdir(directory, { withFileTypes: true })) {
    if (!hour.isDirectory() || hour.name === SEAL_STAGING) continue;
    if (hour.name === DAY_TOKENS_DIR) {
      for (const file of await fs.readdir(path.join(directory, hour.name))) found.push(`${hour.name}/${file}`);
      continue;
    }
    for (const file of await fs.readdir(path.join(directory, hour.name))) {
      // Token files of any version: those of another version than the current are removed.
      if (/\.parquet(\.tmp|\.tokens[^/]*)?$/.test(file)) found.push(`${hour.name}/${file}`);
    }
  }
  return found;
}
