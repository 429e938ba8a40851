// A hit as the read routes answer it, and its id: the entry's order key (store/log-storage.ts,
// EntryKey) written as text, which is also the cursor of the page it ends.
import type { Hit, SourceInfo } from '../../common/read-api';
import { BadRequestError } from '../errors';
import type { EntryKey, StoredEntry } from '../store/log-storage';
import { microsToIso } from '../store/timestamps';
import { MAX_TIME_MS, MIN_TIME_MS } from './time-range';

export type { Hit, SourceInfo };
export type HitKey = EntryKey;

/** `<ts>.<file>.<offset>` in base 36: short, URL-safe, and opaque enough to be treated as a token. */
export function encodeKey(key: HitKey): string {
  return `${key.ts.toString(36)}.${key.fileId.toString(36)}.${key.offset.toString(36)}`;
}

// A file id fits in 53 bits: DuckDB counts them up from 1, ClickHouse derives them (store/clickhouse/ids.ts).
const KEY_TEXT = /^(-?[0-9a-z]{1,13})\.([0-9a-z]{1,11})\.([0-9a-z]{1,13})$/;
const MAX_FILE_ID = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_KEY_US = BigInt(MIN_TIME_MS) * 1000n;
const MAX_KEY_US = BigInt(MAX_TIME_MS) * 1000n + 999n;
const MAX_OFFSET = 2n ** 63n - 1n;

/** The key an id or a cursor names; a 400 naming `parameter` when it is not one of ours. */
export function decodeKey(text: string, parameter: 'id' | 'cursor'): HitKey {
  const match = KEY_TEXT.exec(text);
  const fileId = match ? parseBase36(match[2]) : 0n;
  const parsed = match && fileId <= MAX_FILE_ID && { ts: parseBase36(match[1]), fileId: Number(fileId), offset: parseBase36(match[3]) };
  if (!parsed || parsed.offset < 0n || parsed.offset > MAX_OFFSET || parsed.ts < MIN_KEY_US || parsed.ts > MAX_KEY_US) {
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

export function toHit(entry: StoredEntry): Hit {
  const hit: Hit = {
    id: encodeKey(entry.key),
    ts: microsToIso(entry.key.ts),
    source: String(entry.sourceId),
    stream: entry.stream,
    level: entry.level,
    message: entry.message,
    fields: parseFields(entry.fields),
  };
  if (entry.truncated) hit.truncated = true;
  return hit;
}

/** An entry's extracted fields; none for a plain line (NULL) or text that is not a JSON object. */
export function parseFields(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Whether `a` comes before `b` in time order. */
export function isBefore(a: HitKey, b: HitKey): boolean {
  if (a.ts !== b.ts) return a.ts < b.ts;
  if (a.fileId !== b.fileId) return a.fileId < b.fileId;
  return a.offset < b.offset;
}
