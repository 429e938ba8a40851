import type { SourceMeta, Stream } from '../../common/ingest-batch';
import type { Level } from './extract-level';

/**
 * An ingest batch ready for the appender: validated, timestamps parsed, level and fields
 * extracted. Entries are typed arrays over a few buffers, and their text is UTF-8 bytes: a
 * batch crosses from a decode worker to the main thread by moving those buffers, not by
 * cloning thousands of strings, and the appender copies the bytes into DuckDB without turning
 * them back into strings (see store/entry-chunks.ts).
 */
export interface DecodedBatch {
  collector: { id: string; node: string; version?: string };
  sources: SourceMeta[];
  entries: EntryColumns;
}

export const STREAMS: readonly Stream[] = ['stdout', 'stderr'];
export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'];

export interface EntryColumns {
  length: number;
  /** Each entry's source, as its index in the batch's `sources`. */
  source: Uint32Array;
  /** The batch's file generations; `file[i]` is an index into this list. */
  files: string[];
  file: Uint32Array;
  offset: Float64Array;
  /** Microseconds since the epoch (exact as a number until the year 2255). */
  ts: Float64Array;
  /** Index into STREAMS. */
  stream: Uint8Array;
  /** Index into LEVELS. */
  level: Uint8Array;
  /** 1 where the collector cut the message. */
  truncated: Uint8Array;
  /**
   * Messages and their extracted fields (JSON text), UTF-8, back to back: entry i's message is
   * text[fieldsEnd[i - 1] (0 for the first) .. messageEnd[i]), its fields
   * text[messageEnd[i] .. fieldsEnd[i]), or null where that range is empty.
   */
  text: Uint8Array;
  messageEnd: Uint32Array;
  fieldsEnd: Uint32Array;
}

const decoder = new TextDecoder();

/** Entry i's message, as a string: for tests and error paths, not the append path. */
export function messageAt(entries: EntryColumns, i: number): string {
  return decoder.decode(entries.text.subarray(i === 0 ? 0 : entries.fieldsEnd[i - 1], entries.messageEnd[i]));
}

/** Entry i's fields as JSON text, or null. */
export function fieldsAt(entries: EntryColumns, i: number): string | null {
  if (entries.fieldsEnd[i] === entries.messageEnd[i]) return null;
  return decoder.decode(entries.text.subarray(entries.messageEnd[i], entries.fieldsEnd[i]));
}

/** The buffers a batch is made of, to move (not copy) it to another thread. */
export function transferablesOf(batch: DecodedBatch): ArrayBuffer[] {
  const e = batch.entries;
  const buffers = [e.source, e.file, e.offset, e.ts, e.stream, e.level, e.truncated, e.text, e.messageEnd, e.fieldsEnd].map(
    (array) => array.buffer as ArrayBuffer,
  );
  return [...new Set(buffers)];
}
