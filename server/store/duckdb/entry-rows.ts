// Entries as the read statements select them, and the sources of a page, in the storage
// interface's shapes (store/log-storage.ts).
import { listValue } from '@duckdb/node-api';
import type { SourceInfo, StoredEntry } from '../log-storage';
import type { Snapshot } from './snapshot';

/** Columns every entry query selects, in this shape. */
export const ENTRY_COLUMNS = `epoch_us(e.ts) AS ts, e.source_id, e.file_id, e."offset", e.stream, e.level, e.message, e.fields, e.truncated`;

export interface EntryRow {
  ts: bigint;
  source_id: number;
  file_id: number;
  offset: bigint;
  stream: string;
  level: string;
  message: string;
  fields: string | null;
  truncated: boolean;
}

export function toStoredEntry(row: EntryRow): StoredEntry {
  return {
    key: { ts: BigInt(row.ts), fileId: Number(row.file_id), offset: BigInt(row.offset) },
    sourceId: Number(row.source_id),
    stream: row.stream,
    level: row.level,
    message: row.message,
    fields: row.fields,
    truncated: row.truncated === true,
  };
}

/** Metadata once per source, not once per entry: from memory, or the catalog for an id just stored. */
export async function sourcesOf(snapshot: Snapshot, ids: Iterable<number>): Promise<Record<string, SourceInfo>> {
  const out: Record<string, SourceInfo> = {};
  const unknown: number[] = [];
  for (const id of new Set(ids)) {
    const known = snapshot.knownSources.get(id);
    if (known) out[String(id)] = known;
    else unknown.push(id);
  }
  if (unknown.length === 0) return out;
  const rows = await snapshot.rows(
    `SELECT id, node, namespace, pod, container, container_id, labels FROM sources WHERE list_contains($ids, id)`,
    { ids: listValue(unknown) },
  );
  for (const row of rows) {
    out[String(row.id)] = {
      node: String(row.node),
      namespace: String(row.namespace),
      pod: String(row.pod),
      container: String(row.container),
      containerId: String(row.container_id),
      labels: labelsOf(String(row.labels)),
    };
  }
  return out;
}

function labelsOf(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}
