// The ingest body's schema. A batch is refused whole on the first bad part, and the error names
// that part by path (`entries[12].ts`) so a collector's author can find it.
import { z } from 'zod';
import { BadRequestError } from '../errors';
import { parseTimestampMicros } from '../store/timestamps';
import type { ValidBatch, ValidEntry } from './valid-batch';

/** Bounds that keep one batch's memory small; the collector sends about 1 MiB at a time. */
export const MAX_BATCH_ENTRIES = 100_000;
const MAX_BATCH_SOURCES = 10_000;
const MAX_NAME = 512;

const name = z.string().max(MAX_NAME);
const stringMap = z.record(z.string().max(MAX_NAME), z.string().max(64 * 1024));

const sourceSchema = z.object({
  key: name.min(1),
  node: name,
  namespace: name,
  pod: name,
  podUid: name.default(''),
  container: name,
  containerId: name.default(''),
  labels: stringMap.default({}),
  annotations: stringMap.default({}),
});

// Entries are checked by hand: they are the hot path of ingest (zod cost ~3 µs per entry, more
// than storing it), and their shape is flat.
const envelopeSchema = z.object({
  collector: z.object({ id: name.min(1), node: name, version: name.optional() }),
  sources: z.array(sourceSchema).max(MAX_BATCH_SOURCES),
});

export class InvalidBatchError extends BadRequestError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`, 'invalid_batch');
  }
}

export function validateBatch(body: unknown): ValidBatch {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidBatchError(formatPath(issue.path), issue.message);
  }
  const { collector, sources } = parsed.data;
  const entries = (body as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new InvalidBatchError('entries', 'expected an array');
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new InvalidBatchError('entries', `expected at most ${MAX_BATCH_ENTRIES} entries, got ${entries.length}`);
  }
  const listed = new Set<string>();
  const keys = sources.map((source) => source.key);
  sources.forEach((source, i) => {
    if (listed.has(source.key)) throw new InvalidBatchError(`sources[${i}].key`, `"${source.key}" is listed twice`);
    listed.add(source.key);
  });
  const valid: ValidEntry[] = new Array(entries.length);
  // Offsets of one file only grow (the server's idempotency rests on it); a batch that goes
  // backwards within itself is a collector bug, refused rather than half-dropped as duplicates.
  const lastOffset = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    const entry = validEntry(entries[i], i, listed, keys);
    const file = `${entry.source}\u0000${entry.file}`;
    const previous = lastOffset.get(file);
    if (previous !== undefined && entry.offset <= previous) {
      throw new InvalidBatchError(
        `entries[${i}].offset`,
        `${entry.offset} does not follow ${previous}: offsets of one file must increase within a batch`,
      );
    }
    lastOffset.set(file, entry.offset);
    valid[i] = entry;
  }
  return { collector, sources, entries: valid };
}

/**
 * An entry's `source` is the key of a listed source or, shorter on the wire, its index in
 * `sources` (a key repeated on every entry was a fifth of a batch before compression).
 */
function validEntry(raw: unknown, i: number, listed: ReadonlySet<string>, keys: readonly string[]): ValidEntry {
  const bad = (field: string, detail: string) => new InvalidBatchError(`entries[${i}]${field}`, detail);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('', 'expected an object');
  const e = raw as Record<string, unknown>;
  const { file, offset, ts, stream, message, truncated } = e;
  let source = e.source;
  if (typeof source === 'number') {
    if (!Number.isInteger(source) || source < 0 || source >= keys.length) {
      throw bad('.source', `${source} is not the index of one of the ${keys.length} sources`);
    }
    source = keys[source];
  } else if (typeof source !== 'string' || source === '') {
    throw bad('.source', 'expected a source key or its index in sources');
  } else if (!listed.has(source)) {
    throw bad('.source', `"${source}" is not listed in sources`);
  }
  if (typeof file !== 'string' || file === '' || file.length > MAX_NAME) {
    throw bad('.file', `expected a non-empty string of at most ${MAX_NAME} characters`);
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw bad('.offset', 'expected a non-negative integer');
  }
  if (typeof ts !== 'string') throw bad('.ts', 'expected an RFC 3339 timestamp');
  const tsMicros = parseTimestampMicros(ts);
  if (tsMicros === undefined) throw bad('.ts', `expected an RFC 3339 timestamp, got "${ts.slice(0, 64)}"`);
  if (stream !== 'stdout' && stream !== 'stderr') throw bad('.stream', 'expected "stdout" or "stderr"');
  if (typeof message !== 'string') throw bad('.message', 'expected a string');
  if (truncated !== undefined && typeof truncated !== 'boolean') throw bad('.truncated', 'expected a boolean');
  return { source: source as string, file, offset, tsMicros, stream, message, truncated: truncated === true };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}
