// Appends ingest batches to the hot table with two guarantees:
// - a batch is stored whole or not at all: it is written inside one transaction;
// - nothing is stored twice: each file generation has a high-water mark, the highest offset
//   stored, and an entry at or below it is a duplicate (offsets of one file only grow).
// Batches that arrive while a write is running are committed together (group commit): a
// transaction and the journal's sync cost as much as appending thousands of rows, and under load
// they would otherwise dominate. A failed group refuses every batch in it, each still whole.
//
// The marks live in memory and in the `files` table. The table is brought up to date when rows
// leave the hot table (seal); the hot tables are empty when the store opens, and the journal's
// replay through this writer brings their marks back, so a batch never pays for an UPDATE.
import { type DuckDBAppender, type DuckDBConnection, listValue, timestampValue } from '@duckdb/node-api';
import { type BatchRows, EntryChunks } from './entry-chunks';
import type { IngestResult, SourceMeta } from '../../../common/ingest-batch';
import { StorageUnavailableError } from '../../errors';
import type { DecodedBatch } from '../../ingest/decoded-batch';
import { sourceFileOf } from '../../ingest/valid-batch';
import { HOT_DATABASE, HOT_SNAPSHOT, type HotIncarnations, HOT_TABLES, type HotTable, otherHotTable } from './schema';
import { IngestFronts } from './ingest-fronts';
import { KnownSources, sortedObject } from './known-sources';
import type { Journal } from './journal';

/** The most entries committed in one transaction: bounds the memory of one group. */
const MAX_GROUP_ENTRIES = 100_000;

interface CachedSource {
  id: number;
  metaJson: string;
}

interface CachedFile {
  id: number;
  maxOffset: number;
}

interface Pending {
  batch: DecodedBatch;
  resolve: (result: IngestResult) => void;
  reject: (err: Error) => void;
}

/** What one group will change, worked out before its transaction; applied to caches after COMMIT. */
interface GroupPlan {
  newSources: { id: number; meta: SourceMeta; metaJson: string }[];
  changedSources: { id: number; meta: SourceMeta; metaJson: string }[];
  newFiles: { id: number; sourceId: number; fileKey: string }[];
  marks: Map<string, CachedFile>;
  rows: BatchRows[];
  /** The batches with rows to store, for the journal. */
  stored: DecodedBatch[];
  rowCount: number;
  results: IngestResult[];
  /** Per file id, the newest timestamp this group stores from it (see IngestFronts). */
  newest: Map<number, number>;
  nextSourceId: number;
  nextFileId: number;
}

export class BatchWriter {
  private pending: Pending[] = [];
  private writing: Promise<void> | null = null;
  private group: Promise<unknown> | null = null;
  /** The hot table batches go to; the other one is sealed meanwhile. */
  private active: HotTable = HOT_TABLES[0];
  private journal: Journal | null = null;
  private readonly chunks = new EntryChunks();
  /** How far each file's stored lines have come, for the store's maintenance. */
  readonly fronts = new IngestFronts();
  /** Time spent with batches to write, before the current run (busyMs). */
  private busyBefore = 0;
  private busySince: number | null = null;
  /** Set while forgetSources runs: groups wait for it (see there). */
  private paused: Promise<unknown> | null = null;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly sources: Map<string, CachedSource>,
    private readonly files: Map<string, CachedFile>,
    private nextSourceId: number,
    private nextFileId: number,
    private readonly incarnations: HotIncarnations,
    /** The store's clock (epoch ms). */
    private readonly now: () => number,
    /** What each stored source is, for reads. */
    readonly knownSources: KnownSources,
  ) {}

  static async load(connection: DuckDBConnection, incarnations: HotIncarnations, now: () => number = Date.now): Promise<BatchWriter> {
    const sources = new Map<string, CachedSource>();
    const knownSources = new KnownSources();
    let nextSourceId = 1;
    const sourceRows = await connection.runAndReadAll(
      `SELECT id, key, node, namespace, pod, pod_uid, container, container_id, labels, annotations FROM sources`,
    );
    for (const row of sourceRows.getRowObjectsJS()) {
      const meta: SourceMeta = {
        key: String(row.key),
        node: String(row.node),
        namespace: String(row.namespace),
        pod: String(row.pod),
        podUid: String(row.pod_uid),
        container: String(row.container),
        containerId: String(row.container_id),
        labels: JSON.parse(String(row.labels)),
        annotations: JSON.parse(String(row.annotations)),
      };
      sources.set(meta.key, { id: Number(row.id), metaJson: metaJsonOf(meta) });
      knownSources.set(Number(row.id), meta);
      nextSourceId = Math.max(nextSourceId, Number(row.id) + 1);
    }
    const files = new Map<string, CachedFile>();
    let nextFileId = 1;
    const fileRows = await connection.runAndReadAll(
      `SELECT id, source_id, file_key, max_offset FROM files`,
    );
    for (const row of fileRows.getRowObjectsJS()) {
      files.set(fileKeyOf(Number(row.source_id), String(row.file_key)), {
        id: Number(row.id),
        maxOffset: Number(row.max_offset),
      });
      nextFileId = Math.max(nextFileId, Number(row.id) + 1);
    }
    return new BatchWriter(connection, sources, files, nextSourceId, nextFileId, incarnations, now, knownSources);
  }

  write(batch: DecodedBatch): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Resolves once every batch handed over so far has been written or refused. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Milliseconds the writer has had batches to write since it was made: how saturated ingest is. */
  busyMs(now = performance.now()): number {
    return this.busyBefore + (this.busySince === null ? 0 : now - this.busySince);
  }

  private async drain(): Promise<void> {
    this.busySince = performance.now();
    while (this.pending.length > 0) {
      while (this.paused) await this.paused.catch(() => undefined);
      const group = this.takeGroup();
      try {
        this.group = this.writeGroup(group.map((p) => p.batch));
        const results = (await this.group) as IngestResult[];
        group.forEach((p, i) => p.resolve(results[i]));
      } catch (err) {
        for (const p of group) p.reject(err as Error);
      } finally {
        this.group = null;
      }
    }
    // In the same turn as the last look at `pending`, not in a callback a microtask later: a
    // batch handed over in between (by code that awaited the last result) would have waited for
    // a drain that had already ended. Nothing above throws: a group's failure is its batches'.
    this.writing = null;
    this.busyBefore = this.busyMs();
    this.busySince = null;
  }

  /**
   * Forgets those of `candidates` no stored line names any more (retention or the disk limit
   * dropped all of them): their rows, their files' marks and what the caches hold of them. Without
   * it every pod ever seen stayed in memory and its label keys in suggestions: a cluster whose
   * CronJobs start a pod a minute adds half a million a year. A source that logs again is stored
   * anew. The caller finds the candidates beforehand, away from ingest (LogStore).
   *
   * Between groups: a group's plan takes source ids from the cache, and its rows must not name a
   * source deleted meanwhile. Lines are named by the hot tables or by a sealed segment's rollups
   * (written in the seal's transaction), both read in this one transaction, the hot tables first:
   * a seal committed between the two reads then shows its rows in one or the other (schema.ts).
   */
  async forgetSources(candidates: readonly number[]): Promise<number> {
    const run = (async () => {
      await this.group?.catch(() => undefined);
      const connection = this.connection;
      await connection.run('BEGIN TRANSACTION');
      try {
        await connection.run(HOT_SNAPSHOT);
        const ids = listValue([...candidates]);
        const unreferenced = (
          await connection.runAndReadAll(
            `SELECT id, key FROM sources WHERE list_contains($ids, id)
               AND id NOT IN (SELECT source_id FROM entries_hot WHERE list_contains($ids, source_id))
               AND id NOT IN (SELECT source_id FROM rollups WHERE list_contains($ids, source_id))`,
            { ids },
          )
        ).getRowObjectsJS();
        if (unreferenced.length > 0) {
          const gone = listValue(unreferenced.map((r) => Number(r.id)));
          await connection.run(`DELETE FROM files WHERE list_contains($gone, source_id)`, { gone });
          await connection.run(`DELETE FROM sources WHERE list_contains($gone, id)`, { gone });
        }
        await connection.run('COMMIT');
        const gone = new Set(unreferenced.map((r) => Number(r.id)));
        for (const r of unreferenced) this.sources.delete(String(r.key));
        for (const key of this.files.keys()) if (gone.has(sourceIdOf(key))) this.files.delete(key);
        for (const id of gone) this.knownSources.delete(id);
        return gone.size;
      } catch (err) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    })();
    this.paused = run;
    try {
      return await run;
    } finally {
      this.paused = null;
    }
  }

  /** The oldest pending batches, up to MAX_GROUP_ENTRIES entries (at least one batch). */
  private takeGroup(): Pending[] {
    let size = 0;
    let take = 0;
    while (take < this.pending.length && (take === 0 || size + this.pending[take].batch.entries.length <= MAX_GROUP_ENTRIES)) {
      size += this.pending[take++].batch.entries.length;
    }
    return this.pending.splice(0, take);
  }

  get activeTable(): HotTable {
    return this.active;
  }

  /** Journals the batches of the active table from now on (see journal.ts); until then none are. */
  useJournal(journal: Journal): void {
    this.journal = journal;
  }

  /**
   * Points later batches at the other hot table and `next` journal, and resolves, with the table
   * and journal left behind, once the group being written into them (if any) has committed or failed.
   */
  async switchTable(next: Journal): Promise<{ table: HotTable; journal: Journal | null }> {
    const previous = { table: this.active, journal: this.journal };
    this.active = otherHotTable(previous.table);
    this.journal = next;
    await this.group?.catch(() => undefined);
    return previous;
  }

  private async writeGroup(batches: DecodedBatch[]): Promise<IngestResult[]> {
    const plan = this.plan(batches);
    // Two transactions, as a transaction writes to one database: sources and files go to the
    // file, rows to the in-memory hot tables. Sources and files stored for rows that then fail
    // are harmless, and found again when the batch is resent.
    if (plan.newSources.length + plan.changedSources.length + plan.newFiles.length > 0) await this.writeCatalog(plan);
    this.applyCatalog(plan);
    if (plan.rowCount > 0) await this.writeRows(plan.rows, plan.stored);
    for (const [key, mark] of plan.marks) this.files.set(key, mark);
    this.fronts.record(plan.newest, this.now());
    return plan.results;
  }

  private async writeCatalog(plan: GroupPlan): Promise<void> {
    const now = timestampValue(BigInt(Date.now()) * 1000n);
    const connection = this.connection;
    try {
      await connection.run('BEGIN TRANSACTION');
      for (const { id, meta } of plan.newSources) {
        await connection.run(
          `INSERT INTO sources VALUES ($id, $key, $node, $namespace, $pod, $podUid, $container, $containerId, $labels, $annotations, $now, $now)`,
          { id, key: meta.key, ...sourceParams(meta), now },
        );
      }
      for (const { id, meta } of plan.changedSources) {
        await connection.run(
          `UPDATE sources SET node = $node, namespace = $namespace, pod = $pod, pod_uid = $podUid, container = $container,
             container_id = $containerId, labels = $labels, annotations = $annotations, last_seen = $now WHERE id = $id`,
          { id, ...sourceParams(meta), now },
        );
      }
      if (plan.newFiles.length > 0) {
        await connection.run(`INSERT INTO files SELECT unnest($ids), unnest($sources), unnest($keys), -1, $now`, {
          ids: listValue(plan.newFiles.map((f) => f.id)),
          sources: listValue(plan.newFiles.map((f) => f.sourceId)),
          keys: listValue(plan.newFiles.map((f) => f.fileKey)),
          now,
        });
      }
      await connection.run('COMMIT');
    } catch (err) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw new StorageUnavailableError(`the batch was not stored: ${(err as Error).message}`);
    }
  }

  /**
   * Appends the rows to the active hot table and commits them once the batches they come from are
   * in the journal: a batch is acknowledged only once it would survive a crash. The journal's
   * write and sync run meanwhile on libuv's threads; awaited in turn, they held up the writer
   * (bench:ingest, 5 M entries: 200k entries/s without a journal, 167-170k with it awaited before
   * COMMIT). A group refused after its records were written has them cut off again, so a replay
   * cannot store what the sender was told was refused.
   */
  private async writeRows(rows: BatchRows[], batches: DecodedBatch[]): Promise<void> {
    const connection = this.connection;
    // Taken together: a switch meanwhile must not split a group's rows from its journal.
    const { active, journal } = this;
    const incarnation = this.incarnations.of(active);
    const journaled = journal?.append(batches);
    let appender: DuckDBAppender | undefined;
    try {
      await connection.run('BEGIN TRANSACTION');
      appender = await connection.createAppender(active.slice(HOT_DATABASE.length + 1), null, HOT_DATABASE);
      this.chunks.append(appender, rows, incarnation);
      appender.closeSync();
      appender = undefined;
      await journaled;
      await connection.run('COMMIT');
    } catch (err) {
      // The next group's record must not be written while this one's still is.
      const before = await journaled?.catch(() => undefined);
      if (before !== undefined) await journal!.retract(before);
      // Drop the rows an appender still buffers: closing it later (its finalizer does) would
      // flush them outside this transaction.
      if (appender) {
        try {
          appender.clear();
          appender.closeSync();
        } catch {
          // The appender is unusable either way; the rollback below discards what it flushed.
        }
      }
      await connection.run('ROLLBACK').catch(() => undefined);
      throw new StorageUnavailableError(`the batch was not stored: ${(err as Error).message}`);
    }
  }

  /** Decides, without touching the caches, which sources, files and rows a group adds. */
  private plan(batches: DecodedBatch[]): GroupPlan {
    const plan: GroupPlan = {
      newSources: [],
      changedSources: [],
      newFiles: [],
      marks: new Map(),
      rows: [],
      stored: [],
      rowCount: 0,
      results: [],
      newest: new Map(),
      nextSourceId: this.nextSourceId,
      nextFileId: this.nextFileId,
    };
    const planned = new Map<string, CachedSource>();
    for (const batch of batches) {
      const sourceIds = new Uint32Array(batch.sources.length);
      batch.sources.forEach((meta, index) => {
        const metaJson = metaJsonOf(meta);
        const known = planned.get(meta.key) ?? this.sources.get(meta.key);
        if (!known) {
          const id = plan.nextSourceId++;
          plan.newSources.push({ id, meta, metaJson });
          planned.set(meta.key, { id, metaJson });
        } else if (known.metaJson !== metaJson) {
          plan.changedSources.push({ id: known.id, meta, metaJson });
          planned.set(meta.key, { id: known.id, metaJson });
        }
        sourceIds[index] = (planned.get(meta.key) ?? known)!.id;
      });
      const e = batch.entries;
      const rows = new Uint32Array(e.length);
      const fileIds = new Uint32Array(e.length);
      // Per (source, file) pair of this batch: its mark, looked up by string key once, and the
      // newest timestamp accepted from it.
      const marksOfPair = new Map<number, { mark: CachedFile; newest: number }>();
      let accepted = 0;
      let duplicates = 0;
      for (let i = 0; i < e.length; i++) {
        const pair = sourceFileOf(e, i);
        let slot = marksOfPair.get(pair);
        if (!slot) {
          let mark: CachedFile | undefined;
          const sourceId = sourceIds[e.source[i]];
          const fileKey = e.files[e.file[i]];
          const key = fileKeyOf(sourceId, fileKey);
          mark = plan.marks.get(key);
          if (!mark) {
            const cached = this.files.get(key);
            if (cached) mark = { ...cached };
            else {
              mark = { id: plan.nextFileId++, maxOffset: -1 };
              plan.newFiles.push({ id: mark.id, sourceId, fileKey });
            }
            plan.marks.set(key, mark);
          }
          marksOfPair.set(pair, (slot = { mark, newest: -Infinity }));
        }
        const mark = slot.mark;
        if (e.offset[i] <= mark.maxOffset) {
          duplicates++;
          continue;
        }
        mark.maxOffset = e.offset[i];
        if (e.ts[i] > slot.newest) slot.newest = e.ts[i];
        fileIds[i] = mark.id;
        rows[accepted++] = i;
      }
      for (const { mark, newest } of marksOfPair.values()) {
        if (newest > (plan.newest.get(mark.id) ?? -Infinity)) plan.newest.set(mark.id, newest);
      }
      if (accepted > 0) {
        plan.rows.push({ entries: e, rows, count: accepted, sourceIds, fileIds });
        plan.stored.push(batch);
      }
      plan.rowCount += accepted;
      plan.results.push({ accepted, duplicates });
    }
    return plan;
  }

  /** Once sources and files are stored, whether or not the rows then are. */
  private applyCatalog(plan: GroupPlan): void {
    for (const { id, meta, metaJson } of [...plan.newSources, ...plan.changedSources]) {
      this.sources.set(meta.key, { id, metaJson });
      this.knownSources.set(id, meta);
    }
    for (const file of plan.newFiles) this.files.set(fileKeyOf(file.sourceId, file.fileKey), { id: file.id, maxOffset: -1 });
    this.nextSourceId = plan.nextSourceId;
    this.nextFileId = plan.nextFileId;
  }
}

/**
 * Persists the high-water marks of a hot table's rows, which are about to leave it (seal);
 * call inside the transaction that deletes them. `table` is one of the fixed HotTable names.
 */
export async function persistMarks(connection: DuckDBConnection, table: HotTable): Promise<void> {
  await connection.run(
    `UPDATE files SET max_offset = greatest(files.max_offset, h.max_offset)
     FROM (SELECT file_id, max("offset")::BIGINT AS max_offset FROM ${table} GROUP BY file_id) h
     WHERE files.id = h.file_id`,
  );
}

function fileKeyOf(sourceId: number, fileKey: string): string {
  return `${sourceId}\u0000${fileKey}`;
}

function sourceIdOf(cachedFileKey: string): number {
  return Number(cachedFileKey.slice(0, cachedFileKey.indexOf('\u0000')));
}

function metaJsonOf(meta: SourceMeta): string {
  return JSON.stringify([
    meta.node,
    meta.namespace,
    meta.pod,
    meta.podUid,
    meta.container,
    meta.containerId,
    sortedObject(meta.labels),
    sortedObject(meta.annotations),
  ]);
}


/** Without `key`: DuckDB refuses a named parameter that the UPDATE does not use. */
function sourceParams(meta: SourceMeta) {
  return {
    node: meta.node,
    namespace: meta.namespace,
    pod: meta.pod,
    podUid: meta.podUid,
    container: meta.container,
    containerId: meta.containerId,
    labels: JSON.stringify(sortedObject(meta.labels)),
    annotations: JSON.stringify(sortedObject(meta.annotations)),
  };
}
