import type { SourceMeta, Stream } from '../../common/ingest-batch';
import type { ValidEntries } from './valid-batch';

/**
 * An ingest batch ready for the appender: validated, timestamps parsed, level and fields
 * extracted. Entries are typed arrays over a few buffers, and their text is UTF-8 bytes: a
 * batch crosses from a decode worker to the main thread by moving those buffers, not by
 * cloning thousands of strings, and the appender copies the bytes into DuckDB without turning
 * them back into strings (see store/entry-chunks.ts).
 */
export interface DecodedBatch {
  collector: { id: string; node: string; version?: string };
  /** The body the batch was decoded from, which the store's journal keeps (store/duckdb/journal.ts). */
  wire: WireBody;
  sources: SourceMeta[];
  entries: EntryColumns;
}

export interface WireBody {
  body: Uint8Array;
  /** `gzip` or `identity`. */
  encoding: string;
}

/** Index 0 and 1 of ValidEntries.stream. */
export const STREAMS: readonly Stream[] = ['stdout', 'stderr'];
export { LEVELS } from './extract-level';

/** The validated columns (see valid-batch.ts), with each message's extract and its text as bytes. */
export interface EntryColumns extends Omit<ValidEntries, 'message' | 'tsOriginal'> {
  /** Index into LEVELS. */
  level: Uint8Array;
  /**
   * Messages and their extracted fields (JSON text), UTF-8, back to back: entry i's message is
   * text[fieldsEnd[i - 1] (0 for the first) .. messageEnd[i]), its fields
   * text[messageEnd[i] .. fieldsEnd[i]), or null where that range is empty.
   */
  text: Uint8Array;
  messageEnd: Uint32Array;
  fieldsEnd: Uint32Array;
}

/** The buffers a batch is made of, to move (not copy) it to another thread. */
export function transferablesOf(batch: DecodedBatch): ArrayBuffer[] {
  const e = batch.entries;
  const buffers = [e.source, e.file, e.offset, e.ts, e.stream, e.level, e.truncated, e.text, e.messageEnd, e.fieldsEnd].map(
    (array) => array.buffer as ArrayBuffer,
  );
  return [...new Set([...buffers, batch.wire.body.buffer as ArrayBuffer])];
}
