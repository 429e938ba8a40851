// The ingest body's schema. A batch is refused whole on the first bad part, and the error names
// that part by path (`entries[12].ts`) so a collector's author can find it.
import { z } from 'zod';
import { BadRequestError } from '../errors';
import { parseTimestampMicros } from '../store/timestamps';
import type { ValidBatch } from './valid-batch';

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

const entrySchema = z.object({
  source: name.min(1),
  file: name.min(1),
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ts: z.string().max(64),
  stream: z.enum(['stdout', 'stderr']),
  message: z.string(),
  truncated: z.boolean().default(false),
});

const batchSchema = z.object({
  collector: z.object({ id: name.min(1), node: name, version: name.optional() }),
  sources: z.array(sourceSchema).max(MAX_BATCH_SOURCES),
  entries: z.array(entrySchema).max(MAX_BATCH_ENTRIES),
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
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidBatchError(formatPath(issue.path), issue.message);
  }
  const { collector, sources, entries } = parsed.data;
  const listed = new Set<string>();
  sources.forEach((source, i) => {
    if (listed.has(source.key)) throw new InvalidBatchError(`sources[${i}].key`, `"${source.key}" is listed twice`);
    listed.add(source.key);
  });
  const valid: ValidBatch['entries'] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!listed.has(entry.source)) {
      throw new InvalidBatchError(`entries[${i}].source`, `"${entry.source}" is not listed in sources`);
    }
    const tsMicros = parseTimestampMicros(entry.ts);
    if (tsMicros === undefined) {
      throw new InvalidBatchError(`entries[${i}].ts`, `expected an RFC 3339 timestamp, got "${entry.ts}"`);
    }
    valid[i] = {
      source: entry.source,
      file: entry.file,
      offset: entry.offset,
      tsMicros,
      stream: entry.stream,
      message: entry.message,
      truncated: entry.truncated,
    };
  }
  return { collector, sources, entries: valid };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}
