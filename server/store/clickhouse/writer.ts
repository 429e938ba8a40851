// Ingest on ClickHouse, exactly once across collector retries, restarts and server replicas:
// - each file's mark (its highest stored offset, kept from the rows themselves by a materialized
//   view, schema.ts) is read before a batch is inserted, and lines at or below it are duplicates;
//   batches on one server go one after another, so no two of them read the same mark;
// - two servers can still read one mark at once — a batch whose retry reached another replica
//   while the first attempt was in flight — and both would insert the same lines. So each insert
//   carries a deduplication token derived from exactly the lines it holds (file and offset):
//   ClickHouse drops the second of two identical inserts, replicated or not (the table keeps a
//   window of recent tokens, `non_replicated_deduplication_window`).
// Sources are inserted before their lines, so a read never sees a line without its pod.
import { createHash } from 'node:crypto';
import type { IngestResult, SourceMeta } from '../../../common/ingest-batch';
import { type DecodedBatch, LEVELS, STREAMS } from '../../ingest/decoded-batch';
import { sourceFileOf } from '../../ingest/valid-batch';
import { SerialQueue } from '../serial-queue';
import type { Database, Row } from './database';
import { fileIdOf, sourceIdOf } from './ids';

export class ClickHouseWriter {
  private readonly queue = new SerialQueue();
  /** Sources this server stored, by key, as the JSON of their metadata: a changed pod is stored again. */
  private readonly known = new Map<string, string>();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  ingest(batch: DecodedBatch): Promise<IngestResult> {
    return this.queue.run(() => this.write(batch));
  }

  /** Resolves once every batch queued so far is written or refused. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async write(batch: DecodedBatch): Promise<IngestResult> {
    const e = batch.entries;
    const sourceIds = batch.sources.map((meta) => sourceIdOf(meta.key));
    await this.storeSources(batch.sources, sourceIds);
    const fileIds = new Float64Array(e.length);
    const byPair = new Map<number, number>();
    for (let i = 0; i < e.length; i++) {
      const pair = sourceFileOf(e, i);
      let id = byPair.get(pair);
      if (id === undefined) byPair.set(pair, (id = fileIdOf(batch.sources[e.source[i]].key, e.files[e.file[i]])));
      fileIds[i] = id;
    }
    const marks = await this.marks([...new Set(byPair.values())]);
    const rows: Row[] = [];
    const token = createHash('sha256');
    let duplicates = 0;
    let start = 0;
    for (let i = 0; i < e.length; i++) {
      const end = e.fieldsEnd[i];
      const mark = marks.get(fileIds[i]) ?? -1;
      if (e.offset[i] <= mark) {
        duplicates++;
        start = end;
        continue;
      }
      marks.set(fileIds[i], e.offset[i]);
      const fieldsText = e.messageEnd[i] < end ? this.decoder.decode(e.text.subarray(e.messageEnd[i], end)) : null;
      rows.push({
        ts: dateTime64(e.ts[i]),
        source_id: sourceIds[e.source[i]],
        file_id: fileIds[i],
        offset: e.offset[i],
        stream: STREAMS[e.stream[i]],
        level: LEVELS[e.level[i]],
        message: this.decoder.decode(e.text.subarray(start, e.messageEnd[i])),
        fields: fieldsText,
        truncated: e.truncated[i] === 1,
      });
      token.update(`${fileIds[i]}:${e.offset[i]};`);
      start = end;
    }
    await this.db.insert(this.db.tables.entries, rows, { insert_deduplicate: 1, insert_deduplication_token: token.digest('hex') });
    return { accepted: rows.length, duplicates };
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

  private async storeSources(sources: SourceMeta[], ids: number[]): Promise<void> {
    const now = dateTime64(this.now() * 1000);
    const changed: { key: string; json: string; row: Row }[] = [];
    sources.forEach((meta, index) => {
      const json = JSON.stringify(meta);
      if (this.known.get(meta.key) === json) return;
      changed.push({
        key: meta.key,
        json,
        row: {
          id: ids[index],
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
    });
    if (changed.length === 0) return;
    await this.db.insert(this.db.tables.sources, changed.map((c) => c.row));
    for (const { key, json } of changed) this.known.set(key, json);
  }
}

/** Microseconds since the epoch as ClickHouse reads a DateTime64(6) in text: `2026-11-25 10:00:00.123456`. */
export function dateTime64(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const rest = String(Math.round(micros - millis * 1000)).padStart(3, '0');
  return `${new Date(millis).toISOString().slice(0, 23).replace('T', ' ')}${rest}`;
}
