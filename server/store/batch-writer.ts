// Appends ingest batches to the hot table: one transaction per batch, so a batch is stored whole
// or not at all, and a per-file high-water mark so a resent or overlapping batch stores nothing
// twice. Batches are written one at a time: the caches below must move in step with the
// committed state, and DuckDB serializes writers to one table anyway.
import { type DuckDBConnection, listValue, timestampValue } from '@duckdb/node-api';
import type { IngestResult, SourceMeta } from '../../common/ingest-batch';
import { StorageUnavailableError } from '../errors';
import { extract } from '../ingest/extract';
import type { ValidBatch } from '../ingest/valid-batch';
import { SerialQueue } from './serial-queue';

interface CachedSource {
  id: number;
  metaJson: string;
}

interface CachedFile {
  id: number;
  maxOffset: number;
}

export class BatchWriter {
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly sources: Map<string, CachedSource>,
    private readonly files: Map<string, CachedFile>,
    private nextSourceId: number,
    private nextFileId: number,
  ) {}

  static async load(connection: DuckDBConnection): Promise<BatchWriter> {
    const sources = new Map<string, CachedSource>();
    const sourceRows = await connection.runAndReadAll(
      `SELECT id, key, node, namespace, pod, pod_uid, container, container_id, labels, annotations FROM sources`,
    );
    let nextSourceId = 1;
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
      nextSourceId = Math.max(nextSourceId, Number(row.id) + 1);
    }
    const files = new Map<string, CachedFile>();
    const fileRows = await connection.runAndReadAll(`SELECT id, source_id, file_key, max_offset FROM files`);
    let nextFileId = 1;
    for (const row of fileRows.getRowObjectsJS()) {
      files.set(fileKeyOf(Number(row.source_id), String(row.file_key)), {
        id: Number(row.id),
        maxOffset: Number(row.max_offset),
      });
      nextFileId = Math.max(nextFileId, Number(row.id) + 1);
    }
    return new BatchWriter(connection, sources, files, nextSourceId, nextFileId);
  }

  get sourceCount(): number {
    return this.sources.size;
  }

  write(batch: ValidBatch): Promise<IngestResult> {
    return this.queue.run(() => this.writeNow(batch));
  }

  /** Resolves once every batch queued so far has been written or refused. */
  idle(): Promise<void> {
    return this.queue.run(async () => undefined);
  }

  private async writeNow(batch: ValidBatch): Promise<IngestResult> {
    // Work out everything in scratch state first; the caches change only after COMMIT.
    const sourceIds = new Map<string, number>();
    const newSources: { id: number; meta: SourceMeta; metaJson: string }[] = [];
    const changedSources: { id: number; meta: SourceMeta; metaJson: string }[] = [];
    let nextSourceId = this.nextSourceId;
    for (const meta of batch.sources) {
      const metaJson = metaJsonOf(meta);
      const cached = this.sources.get(meta.key);
      if (!cached) {
        const id = nextSourceId++;
        newSources.push({ id, meta, metaJson });
        sourceIds.set(meta.key, id);
      } else {
        if (cached.metaJson !== metaJson) changedSources.push({ id: cached.id, meta, metaJson });
        sourceIds.set(meta.key, cached.id);
      }
    }

    const touchedFiles = new Map<string, CachedFile & { isNew: boolean; sourceId: number; fileKey: string }>();
    let nextFileId = this.nextFileId;
    const accepted: { entry: ValidBatch['entries'][number]; sourceId: number; fileId: number }[] = [];
    let duplicates = 0;
    for (const entry of batch.entries) {
      const sourceId = sourceIds.get(entry.source)!; // validation guarantees the source is listed
      const key = fileKeyOf(sourceId, entry.file);
      let file = touchedFiles.get(key);
      if (!file) {
        const cached = this.files.get(key);
        file = cached
          ? { ...cached, isNew: false, sourceId, fileKey: entry.file }
          : { id: nextFileId++, maxOffset: -1, isNew: true, sourceId, fileKey: entry.file };
        touchedFiles.set(key, file);
      }
      if (entry.offset <= file.maxOffset) {
        duplicates++;
        continue;
      }
      file.maxOffset = entry.offset;
      accepted.push({ entry, sourceId, fileId: file.id });
    }
    if (accepted.length === 0 && newSources.length === 0 && changedSources.length === 0) {
      return { accepted: 0, duplicates };
    }

    const now = timestampValue(BigInt(Date.now()) * 1000n);
    const connection = this.connection;
    try {
      await connection.run('BEGIN TRANSACTION');
      for (const { id, meta } of newSources) {
        await connection.run(
          `INSERT INTO sources VALUES ($id, $key, $node, $namespace, $pod, $podUid, $container, $containerId, $labels, $annotations, $now, $now)`,
          { id, ...sourceParams(meta), now },
        );
      }
      for (const { id, meta } of changedSources) {
        await connection.run(
          `UPDATE sources SET node = $node, namespace = $namespace, pod = $pod, pod_uid = $podUid, container = $container,
             container_id = $containerId, labels = $labels, annotations = $annotations, last_seen = $now WHERE id = $id`,
          { id, ...sourceParams(meta, false), now },
        );
      }
      const files = [...touchedFiles.values()];
      const created = files.filter((f) => f.isNew);
      if (created.length > 0) {
        await connection.run(
          `INSERT INTO files SELECT unnest($ids), unnest($sources), unnest($keys), unnest($offsets), $now`,
          {
            ids: listValue(created.map((f) => f.id)),
            sources: listValue(created.map((f) => f.sourceId)),
            keys: listValue(created.map((f) => f.fileKey)),
            offsets: listValue(created.map((f) => f.maxOffset)),
            now,
          },
        );
      }
      const advanced = files.filter((f) => !f.isNew);
      if (advanced.length > 0) {
        await connection.run(
          `UPDATE files SET max_offset = v.max_offset, last_seen = $now
           FROM (SELECT unnest($ids) AS id, unnest($offsets) AS max_offset) v WHERE files.id = v.id`,
          { ids: listValue(advanced.map((f) => f.id)), offsets: listValue(advanced.map((f) => f.maxOffset)), now },
        );
      }
      if (accepted.length > 0) {
        const appender = await connection.createAppender('entries_hot');
        for (const { entry, sourceId, fileId } of accepted) {
          const { level, fields } = extract(entry.message);
          appender.appendTimestamp(timestampValue(entry.tsMicros));
          appender.appendUInteger(sourceId);
          appender.appendUInteger(fileId);
          appender.appendUBigInt(BigInt(entry.offset));
          appender.appendVarchar(entry.stream);
          appender.appendVarchar(level);
          appender.appendVarchar(entry.message);
          if (fields) appender.appendVarchar(JSON.stringify(fields));
          else appender.appendNull();
          appender.appendBoolean(entry.truncated);
          appender.endRow();
        }
        appender.closeSync();
      }
      await connection.run('COMMIT');
    } catch (err) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw new StorageUnavailableError(`the batch was not stored: ${(err as Error).message}`);
    }

    for (const { id, meta, metaJson } of [...newSources, ...changedSources]) {
      this.sources.set(meta.key, { id, metaJson });
    }
    for (const [key, file] of touchedFiles) this.files.set(key, { id: file.id, maxOffset: file.maxOffset });
    this.nextSourceId = nextSourceId;
    this.nextFileId = nextFileId;
    return { accepted: accepted.length, duplicates };
  }
}

function fileKeyOf(sourceId: number, fileKey: string): string {
  return `${sourceId}\u0000${fileKey}`;
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

function sortedObject(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sourceParams(meta: SourceMeta, withKey = true) {
  // DuckDB refuses a named parameter the statement does not use, so the UPDATE goes without key.
  return {
    ...(withKey ? { key: meta.key } : {}),
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
