// The ingest body's schema. A batch is refused whole on the first bad part, and the error names
// that part by path (`entries[12].ts`) so a collector's author can find it.
import { z } from 'zod';
import { BadRequestError } from '../errors';
import { timestampMicros } from '../store/timestamps';
import { plausibleTimestamp } from './timestamp-window';
import { MAX_BATCH_ENTRIES, sourceFileOf, type ValidBatch, type ValidEntries } from './valid-batch';

/** Bounds that keep one batch's memory small; the collector sends about 1 MiB at a time. */
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

/**
 * `receivedAtMs` is when the body arrived: an entry stamped outside the plausible window around
 * it is stored at that time instead, its own timestamp kept in `tsOriginal` (timestamp-window.ts).
 */
export function validateBatch(body: unknown, receivedAtMs: number = Date.now()): ValidBatch {
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
  const index = new Map<string, number>();
  sources.forEach((source, i) => {
    if (index.has(source.key)) throw new InvalidBatchError(`sources[${i}].key`, `"${source.key}" is listed twice`);
    index.set(source.key, i);
  });
  const n = entries.length;
  const valid: ValidEntries = {
    length: n,
    source: new Uint32Array(n),
    files: [],
    file: new Uint32Array(n),
    offset: new Float64Array(n),
    ts: new Float64Array(n),
    stream: new Uint8Array(n),
    truncated: new Uint8Array(n),
    message: new Array(n),
    tsOriginal: new Map(),
  };
  const receivedAtMicros = receivedAtMs * 1000;
  const fileIndex = new Map<string, number>();
  // Offsets of one file only grow (the server's idempotency rests on it); a batch that goes
  // backwards within itself is a collector bug, refused rather than half-dropped as duplicates.
  const lastOffset = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    readEntry(entries[i], i, index, sources.length, valid, fileIndex, receivedAtMicros);
    const pair = sourceFileOf(valid, i);
    const previous = lastOffset.get(pair);
    if (previous !== undefined && valid.offset[i] <= previous) {
      throw new InvalidBatchError(
        `entries[${i}].offset`,
        `${valid.offset[i]} does not follow ${previous}: offsets of one file must increase within a batch`,
      );
    }
    lastOffset.set(pair, valid.offset[i]);
  }
  return { collector, sources, entries: valid };
}

/**
 * Checks entry i and writes it into row i of `valid`. An entry's `source` is the key of a
 * listed source or, shorter on the wire, its index in `sources` (a key repeated on every entry
 * was a fifth of a batch before compression).
 */
function readEntry(
  raw: unknown,
  i: number,
  index: ReadonlyMap<string, number>,
  sourceCount: number,
  valid: ValidEntries,
  fileIndex: Map<string, number>,
  receivedAtMicros: number,
): void {
  const bad = (field: string, detail: string) => new InvalidBatchError(`entries[${i}]${field}`, detail);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('', 'expected an object');
  const { source, file, offset, ts, stream, message, truncated } = raw as Record<string, unknown>;
  let sourceIndex: number | undefined;
  if (typeof source === 'number') {
    if (!Number.isInteger(source) || source < 0 || source >= sourceCount) {
      throw bad('.source', `${source} is not the index of one of the ${sourceCount} sources`);
    }
    sourceIndex = source;
  } else if (typeof source !== 'string' || source === '') {
    throw bad('.source', 'expected a source key or its index in sources');
  } else {
    sourceIndex = index.get(source);
    if (sourceIndex === undefined) throw bad('.source', `"${source}" is not listed in sources`);
  }
  if (typeof file !== 'string' || file === '' || file.length > MAX_NAME) {
    throw bad('.file', `expected a non-empty string of at most ${MAX_NAME} characters`);
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw bad('.offset', 'expected a non-negative integer');
  }
  if (typeof ts !== 'string') throw bad('.ts', 'expected an RFC 3339 timestamp');
  const micros = timestampMicros(ts);
  if (micros === undefined) throw bad('.ts', `expected an RFC 3339 timestamp, got "${ts.slice(0, 64)}"`);
  if (stream !== 'stdout' && stream !== 'stderr') throw bad('.stream', 'expected "stdout" or "stderr"');
  if (typeof message !== 'string') throw bad('.message', 'expected a string');
  if (truncated !== undefined && typeof truncated !== 'boolean') throw bad('.truncated', 'expected a boolean');
  let fileAt = fileIndex.get(file);
  if (fileAt === undefined) {
    fileAt = valid.files.length;
    fileIndex.set(file, fileAt);
    valid.files.push(file);
  }
  valid.source[i] = sourceIndex;
  valid.file[i] = fileAt;
  valid.offset[i] = offset;
  if (plausibleTimestamp(micros, receivedAtMicros)) {
    valid.ts[i] = micros;
  } else {
    valid.ts[i] = receivedAtMicros;
    valid.tsOriginal.set(i, ts);
  }
  valid.stream[i] = stream === 'stdout' ? 0 : 1;
  valid.truncated[i] = truncated === true ? 1 : 0;
  valid.message[i] = message;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}
