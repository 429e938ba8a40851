// Hits as the API returns them, their ids and the keyset cursor. An entry is identified by its
// order key (ts, file_id, offset): the file generation pins the source, the offset is unique
// within it, so the key is unique, stable across seals and compactions, and totally ordered —
// which is what lets pages neither repeat nor skip a line.
import { BadRequestError } from '../errors';
import { microsToIso } from '../store/timestamps';
import type { Snapshot } from './snapshot';
import { MAX_TIME_MS, MIN_TIME_MS } from './time-range';
import { listValue } from '@duckdb/node-api';
import type { Hit, SourceInfo } from '../../common/read-api';

export type { Hit, SourceInfo };

export interface HitKey {
  ts: bigint;
  fileId: number;
  offset: bigint;
}

/** Columns every hit query selects, in this shape. */
export const HIT_COLUMNS = `epoch_us(e.ts) AS ts, e.source_id, e.file_id, e."offset", e.stream, e.level, e.message, e.fields, e.truncated`;

export interface HitRow {
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

export function keyOf(row: HitRow): HitKey {
  return { ts: BigInt(row.ts), fileId: Number(row.file_id), offset: BigInt(row.offset) };
}

/** `<ts>.<file>.<offset>` in base 36: short, URL-safe, and opaque enough to be treated as a token. */
export function encodeKey(key: HitKey): string {
  return `${key.ts.toString(36)}.${key.fileId.toString(36)}.${key.offset.toString(36)}`;
}

const KEY_TEXT = /^(-?[0-9a-z]{1,13})\.([0-9a-z]{1,7})\.([0-9a-z]{1,13})$/;
const MIN_KEY_US = BigInt(MIN_TIME_MS) * 1000n;
const MAX_KEY_US = BigInt(MAX_TIME_MS) * 1000n + 999n;
const MAX_OFFSET = 2n ** 63n - 1n;

/** The key an id or a cursor names; a 400 naming `parameter` when it is not one of ours. */
export function decodeKey(text: string, parameter: 'id' | 'cursor'): HitKey {
  const match = KEY_TEXT.exec(text);
  const parsed = match && { ts: parseBase36(match[1]), fileId: Number(parseBase36(match[2])), offset: parseBase36(match[3]) };
  // Thirteen base-36 digits reach past int64: keys this server issues hold a time it can name and
  // an offset of a real file, and anything else must not reach the engine.
  if (!parsed || parsed.fileId > 0xffffffff || parsed.offset < 0n || parsed.offset > MAX_OFFSET || parsed.ts < MIN_KEY_US || parsed.ts > MAX_KEY_US) {
    throw new BadRequestError(`${parameter}: not a ${parameter === 'id' ? 'hit id' : 'cursor'} this server issued`, `invalid_${parameter}`);
  }
  return parsed;
}

function parseBase36(text: string): bigint {
  const negative = text.startsWith('-');
  let value = 0n;
  for (const c of negative ? text.slice(1) : text) value = value * 36n + BigInt(parseInt(c, 36));
  return negative ? -value : value;
}

export function toHit(row: HitRow): Hit {
  const hit: Hit = {
    id: encodeKey(keyOf(row)),
    ts: microsToIso(BigInt(row.ts)),
    source: String(row.source_id),
    stream: row.stream,
    level: row.level,
    message: row.message,
    fields: row.fields ? parseFields(row.fields) : {},
  };
  if (row.truncated) hit.truncated = true;
  return hit;
}

function parseFields(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The `sources` map of a response: metadata once per source, not once per hit. */
export async function sourcesOf(snapshot: Snapshot, ids: Iterable<number>): Promise<Record<string, SourceInfo>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return {};
  const rows = await snapshot.rows(
    `SELECT id, node, namespace, pod, container, container_id, labels FROM sources WHERE list_contains($ids, id)`,
    { ids: listValue(unique) },
  );
  const out: Record<string, SourceInfo> = {};
  for (const row of rows) {
    out[String(row.id)] = {
      node: String(row.node),
      namespace: String(row.namespace),
      pod: String(row.pod),
      container: String(row.container),
      containerId: String(row.container_id),
      labels: parseFields(String(row.labels)) as Record<string, string>,
    };
  }
  return out;
}
