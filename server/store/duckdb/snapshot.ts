// Every read runs inside one DuckDB transaction, which is what makes it consistent: sealing moves
// rows from a hot table into a new Parquet file, catalogs that file and hides the rows it took in
// one commit, so a read that took the segment list from JavaScript memory and then queried could
// see the rows twice or not at all. Reading the catalog inside the read's own transaction sees
// the hot tables and the segment list as of the same instant.
//
// Maintenance may drop a file from the catalog while a read that named it runs (a merge, an index
// rewrite, a day token fold, retention); the file stays on disk until the read's statements end,
// as the read holds the files of its snapshot (store/file-retirement.ts). A file that fails a read
// all the same was damaged or removed outside the store: it is checked and, if it is, set aside
// (damaged-segments.ts), and the read runs once more on a snapshot without it.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { LogpondError } from '../../errors';
import type { LogStore } from './log-store';
import type { ReadCounts, ReadOptions } from '../log-storage';
import { ReadGate } from '../read-gate';
import { QueryCancelledError, QueryTimeoutError } from '../read-errors';
import { KnownSources } from './known-sources';
import { HOT_SNAPSHOT } from './schema';
import { type Segment, SEGMENT_COLUMNS, segmentOf } from './segments';

export { QueryCancelledError, QueryTimeoutError };




/** The segments and token files a read asked for. */
interface Touched {
  segments: Set<Segment>;
  tokenFiles: Set<string>;
}

/** Unlimited: for tests and scripts that run one read at a time. */
const UNGATED = new ReadGate(Number.MAX_SAFE_INTEGER, 0);

/** An interrupt normally lands within milliseconds; this is for a chunk that does not. */
export const STOP_GRACE_MS = 1_000;

/** How often a stopped read's connection is interrupted again while its statements run on. */
const INTERRUPT_AGAIN_MS = 50;

export class Snapshot {
  private readonly memos = new Map<string, Promise<unknown>>();

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly segments: readonly Segment[],
    /** Why the read was stopped, once it was: later statements must not start. */
    private readonly stopped: () => LogpondError | null = () => null,
    /** The segments directory, which catalogued paths are relative to. */
    readonly directory = '',
    /** Entries stamped with the present that arrive a second (LogStore.presentPerSecond). */
    readonly presentPerSecond = 0,
    /** The sources the writer knows (LogStore.knownSources); an id not there is read from the catalog. */
    readonly knownSources = new KnownSources(),
    /** What the read asked for, for the damage check should a statement fail. */
    private readonly touched: Touched = { segments: new Set(), tokenFiles: new Set() },
  ) {}

  /** Records the token files (absolute paths) a lookup is about to read. */
  readsTokenFiles(files: readonly string[]): void {
    for (const file of files) this.touched.tokenFiles.add(file);
  }

  /** Every segment of the snapshot, oldest first. */
  all(): readonly Segment[] {
    return this.segments;
  }

  /** `compute` once per snapshot and key: a page walk asks the same question window after window. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let value = this.memos.get(key) as Promise<T> | undefined;
    if (!value) this.memos.set(key, (value = compute()));
    return value;
  }

  /** Segments that may hold entries in [fromUs, toUs), oldest first. */
  overlapping(fromUs: bigint, toUs: bigint): Segment[] {
    const found = this.segments.filter((s) => s.maxTs >= fromUs && s.minTs < toUs);
    for (const s of found) this.touched.segments.add(s);
    return found;
  }

  async rows(sql: string, params: Record<string, DuckDBValue> = {}): Promise<Record<string, unknown>[]> {
    // interrupt() only stops a statement that is running; one stopped between statements ends here.
    const reason = this.stopped();
    if (reason) throw reason;
    return (await this.connection.runAndReadAll(sql, params)).getRowObjectsJS();
  }
}


/**
 * A digest of every catalog column a Segment holds. Reading and converting the whole catalog was
 * most of what a read cost before its own statement (the catalog changes a few times a minute
 * and is read by every read); its digest costs a third of that, and an unchanged digest means
 * the segments the previous read made are this transaction's too.
 */
const CATALOG_DIGEST = `SELECT count(*) AS n, bit_xor(hash(path, partition_start, min_ts, max_ts, row_count, bytes, indexed, token_file)) AS h FROM segments`;

export class Reader {
  readonly counts: ReadCounts = { reads: 0, timedOut: 0, cancelled: 0 };
  /** The segments of the catalog last read, by its digest (CATALOG_DIGEST). */
  private catalog: { digest: string; segments: readonly Segment[] } | null = null;

  constructor(
    readonly store: LogStore,
    readonly timeoutMs: number,
    /** How long a stopped read may take to notice before its caller is answered regardless. */
    readonly stopGraceMs = STOP_GRACE_MS,
    /** Reads beyond its limit wait in its queue; their wait counts toward the timeout. */
    readonly gate: ReadGate = UNGATED,
  ) {}

  /**
   * Runs `read` on a consistent snapshot, interrupting it when the timeout passes or `signal`
   * aborts. A read must not return rows lazily: the snapshot ends when `read` resolves.
   */
  async read<T>(read: (snapshot: Snapshot) => Promise<T>, options: ReadOptions = {}): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    const release = await this.turn(options, deadline);
    // The turn ends when the statements do, not when the caller is answered: a statement that
    // outlives its grace still holds the threads the limit is there to share.
    const statements: Promise<unknown>[] = [];
    try {
      const touched: Touched = { segments: new Set(), tokenFiles: new Set() };
      try {
        return await this.readOnce(read, options, deadline, statements, touched);
      } catch (err) {
        // A timeout, a cancel or a refusal of ours is not about the files.
        const scope = { segments: [...touched.segments], tokenFiles: [...touched.tokenFiles] };
        if (err instanceof LogpondError || !(await this.store.damage.check(err, scope))) throw err;
        this.counts.reads--; // the same read, run again
        return await this.readOnce(read, options, deadline, statements, { segments: new Set(), tokenFiles: new Set() });
      }
    } finally {
      void Promise.allSettled(statements).then(release);
    }
  }

  /** Waits for the gate to let the read run; a read stopped while it waits leaves the queue. */
  private async turn({ signal, continuing }: ReadOptions, deadline: number): Promise<() => void> {
    const waiting = new AbortController();
    const timer = setTimeout(() => waiting.abort(new QueryTimeoutError(this.timeoutMs)), Math.max(0, deadline - Date.now()));
    const onAbort = () => waiting.abort(new QueryCancelledError());
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
    try {
      return await this.gate.enter(waiting.signal, { wait: continuing });
    } catch (err) {
      this.counts.reads++;
      if (err instanceof QueryTimeoutError) this.counts.timedOut++;
      else if (err instanceof QueryCancelledError) this.counts.cancelled++;
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async readOnce<T>(
    read: (snapshot: Snapshot) => Promise<T>,
    { signal }: ReadOptions,
    deadline: number,
    statements: Promise<unknown>[],
    touched: Touched,
  ): Promise<T> {
    this.counts.reads++;
    if (signal?.aborted) {
      this.counts.cancelled++;
      throw new QueryCancelledError();
    }
    const connection = await this.store.connect();
    let stopped: LogpondError | null = null;
    let abandon: (reason: LogpondError) => void = () => {};
    const abandoned = new Promise<never>((_, reject) => (abandon = reject));
    let grace: NodeJS.Timeout | undefined;
    let interrupting: NodeJS.Timeout | undefined;
    const stop = (reason: LogpondError) => {
      if (stopped) return;
      stopped = reason;
      connection.interrupt();
      // interrupt() stops only a statement that is running: one that rows() handed to DuckDB
      // just before the stop, but not yet begun, would run to its end holding its turn. Ask
      // again until the work is over.
      interrupting = setInterval(() => connection.interrupt(), INTERRUPT_AGAIN_MS);
      // interrupt() lands between chunks of rows, and one chunk of long lines under many terms can
      // take seconds: past the grace the caller gets its answer anyway, and the statement closes
      // its connection when it ends.
      grace = setTimeout(() => abandon(reason), this.stopGraceMs);
    };
    const timer = setTimeout(() => stop(new QueryTimeoutError(this.timeoutMs)), Math.max(0, deadline - Date.now()));
    const onAbort = () => stop(new QueryCancelledError());
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort(); // the client left while the connection opened
    // Before the snapshot is taken: a file retired after this stays on disk until the read ends.
    const letGo = this.store.segments.retirement.hold();
    const work = this.onSnapshot(connection, read, () => stopped, touched);
    statements.push(work);
    try {
      return await Promise.race([work, abandoned]);
    } catch (err) {
      if (stopped) {
        if ((stopped as LogpondError).status === 504) this.counts.timedOut++;
        else this.counts.cancelled++;
        throw stopped;
      }
      throw err;
    } finally {
      clearTimeout(timer);
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
      const end = () => {
        clearInterval(interrupting);
        connection.closeSync(); // ends the transaction
        letGo();
      };
      void work.then(end, end);
    }
  }

  private async onSnapshot<T>(connection: DuckDBConnection, read: (snapshot: Snapshot) => Promise<T>, stopped: () => LogpondError | null, touched: Touched): Promise<T> {
    await connection.run('BEGIN TRANSACTION');
    // The hot tables first: their snapshot must not be newer than the catalog's (schema.ts,
    // HOT_COLUMNS), or rows sealed and emptied in between would be in neither.
    await connection.run(HOT_SNAPSHOT);
    const directory = this.store.segments.directory;
    const [{ n, h }] = (await connection.runAndReadAll(CATALOG_DIGEST)).getRowObjectsJS();
    const digest = `${directory}\n${n}\n${h}`;
    let segments = this.catalog?.digest === digest ? this.catalog.segments : null;
    if (!segments) {
      const catalog = await connection.runAndReadAll(`SELECT ${SEGMENT_COLUMNS} FROM segments ORDER BY partition_start, min_ts`);
      // Frozen: later reads share them.
      segments = Object.freeze(catalog.getRowObjectsJS().map((row) => Object.freeze(segmentOf(row, directory))));
      this.catalog = { digest, segments };
    }
    return read(new Snapshot(connection, segments, stopped, directory, this.store.presentPerSecond(), this.store.knownSources, touched));
  }
}
