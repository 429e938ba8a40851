// Ingest on ClickHouse, exactly once across collector retries, restarts and server replicas:
// - each file's mark (its highest stored offset, kept from the rows themselves by a materialized
//   view, schema.ts) is read before a batch is inserted, and lines at or below it are duplicates;
//   batches on one server go one group after another, so no two groups read the same mark;
// - two servers can still read one mark at once — a batch whose retry reached another replica
//   while the first attempt was in flight — and both would insert the same lines. So each insert
//   carries a deduplication token derived from exactly the lines it holds (file and offset):
//   ClickHouse drops the second of two identical inserts, replicated or not (the table keeps a
//   window of recent tokens, `non_replicated_deduplication_window`).
// Sources are inserted before their lines, so a read never sees a line without its pod.
import { createHash } from 'node:crypto';
import type { IngestResult, SourceMeta } from '../../../common/ingest-batch';
import type { DecodedBatch } from '../../ingest/decoded-batch';
import { sourceFileOf } from '../../ingest/valid-batch';
import type { Database, Row } from './database';
import { fileIdOf, sourceIdOf } from './ids';
import { TSV_COLUMNS, tsvRows } from './tsv-rows';

/** The most lines one insert takes: bounds the memory of a group. */
const MAX_GROUP_ENTRIES = 100_000;

interface Pending {
  batch: DecodedBatch;
  resolve: (result: IngestResult) => void;
  reject: (err: Error) => void;
}

/** How often a source still sending is stored again, to keep its `last_seen` current. */
export const SOURCE_REFRESH_MS = 24 * 3_600_000;

export class ClickHouseWriter {
  /**
   * Batches that arrived while an insert ran go in the next one together (group commit): an
   * insert makes a part and the marks a query, each costing what thousands of lines do.
   */
  private pending: Pending[] = [];
  private running: Promise<void> | null = null;
  /**
   * Sources this server stored, by key: the JSON of their metadata and when. A changed pod is
   * stored again, and so is one last stored SOURCE_REFRESH_MS ago, so `last_seen` says which are
   * still sending (reads leave out those gone past retention).
   */
  private readonly known = new Map<string, { json: string; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  ingest(batch: DecodedBatch): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once every batch queued so far is written or refused. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      let lines = 0;
      let taken = 0;
      while (taken < this.pending.length && (taken === 0 || lines + this.pending[taken].batch.entries.length <= MAX_GROUP_ENTRIES)) {
        lines += this.pending[taken++].batch.entries.length;
      }
      const group = this.pending.splice(0, taken);
      try {
        const results = await this.write(group.map((p) => p.batch));
        group.forEach((p, i) => p.resolve(results[i]));
      } catch (err) {
        // Every batch of the group is refused, each whole; the collectors send them again.
        for (const p of group) p.reject(err as Error);
      }
    }
    this.running = null;
  }

  private async write(batches: DecodedBatch[]): Promise<IngestResult[]> {
    const sources = new Map<string, { meta: SourceMeta; id: number }>();
    for (const batch of batches) for (const meta of batch.sources) sources.set(meta.key, { meta, id: sourceIdOf(meta.key) });
    await this.storeSources([...sources.values()]);
    const files = batches.map((batch) => this.fileIdsOf(batch));
    const marks = await this.marks([...new Set(files.flatMap((f) => [...f.distinct]))]);
    const texts: Buffer[] = [];
    const keys: Float64Array[] = [];
    const results = batches.map((batch, b) => {
      const e = batch.entries;
      const fileIds = files[b].ids;
      const rows = new Uint32Array(e.length);
      const own = new Float64Array(2 * e.length);
      let count = 0;
      for (let i = 0; i < e.length; i++) {
        if (e.offset[i] <= (marks.get(fileIds[i]) ?? -1)) continue;
        marks.set(fileIds[i], e.offset[i]);
        own[2 * count] = fileIds[i];
        own[2 * count + 1] = e.offset[i];
        rows[count++] = i;
      }
      if (count > 0) {
        texts.push(tsvRows(e, rows, count, batch.sources.map((meta) => sources.get(meta.key)!.id), fileIds));
        keys.push(own.subarray(0, 2 * count));
      }
      return { accepted: count, duplicates: e.length - count };
    });
    if (texts.length > 0) {
      // The token names exactly these lines (file, offset): the same lines inserted again are dropped.
      const token = createHash('sha256');
      for (const k of keys) token.update(new Uint8Array(k.buffer, k.byteOffset, k.byteLength));
      await this.db.insertText(this.db.tables.entries, TSV_COLUMNS, texts.length === 1 ? texts[0] : Buffer.concat(texts), {
        insert_deduplicate: 1,
        insert_deduplication_token: token.digest('hex'),
      });
    }
    return results;
  }

  /** Each line's file id, and the batch's distinct ones. */
  private fileIdsOf(batch: DecodedBatch): { ids: Float64Array; distinct: Set<number> } {
    const e = batch.entries;
    const ids = new Float64Array(e.length);
    const byPair = new Map<number, number>();
    for (let i = 0; i < e.length; i++) {
      const pair = sourceFileOf(e, i);
      let id = byPair.get(pair);
      if (id === undefined) byPair.set(pair, (id = fileIdOf(batch.sources[e.source[i]].key, e.files[e.file[i]])));
      ids[i] = id;
    }
    return { ids, distinct: new Set(byPair.values()) };
  }

  /** The highest offset stored of each file, where any is. */
  private async marks(fileIds: number[]): Promise<Map<number, number>> {
    const rows = await this.db.rows<{ file_id: string; max_offset: string }>(
      `SELECT toString(file_id) AS file_id, toString(max(max_offset)) AS max_offset FROM ${this.db.tables.marks}
       WHERE file_id IN {ids:Array(UInt64)} GROUP BY file_id`,
      { ids: fileIds },
    );
    return new Map(rows.map((r) => [Number(r.file_id), Number(r.max_offset)]));
  }

  private async storeSources(sources: { meta: SourceMeta; id: number }[]): Promise<void> {
    const nowMs = this.now();
    const now = dateTime64(nowMs * 1000);
    const changed: { key: string; json: string; row: Row }[] = [];
    for (const { meta, id } of sources) {
      const json = JSON.stringify(meta);
      const known = this.known.get(meta.key);
      if (known?.json === json && nowMs - known.at < SOURCE_REFRESH_MS) continue;
      changed.push({
        key: meta.key,
        json,
        row: {
          id,
          key: meta.key,
          node: meta.node,
          namespace: meta.namespace,
          pod: meta.pod,
          pod_uid: meta.podUid,
          container: meta.container,
          container_id: meta.containerId,
          labels: meta.labels,
          annotations: meta.annotations,
          first_seen: now,
          last_seen: now,
        },
      });
    }
    if (changed.length === 0) return;
    await this.db.insert(this.db.tables.sources, changed.map((c) => c.row));
    for (const { key, json } of changed) this.known.set(key, { json, at: nowMs });
  }
}

/** Microseconds since the epoch as ClickHouse reads a DateTime64(6) in text: `2026-11-25 10:00:00.123456`. */
export function dateTime64(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const rest = String(Math.round(micros - millis * 1000)).padStart(3, '0');
  return `${new Date(millis).toISOString().slice(0, 23).replace('T', ' ')}${rest}`;
}
