import type { SourceMeta } from '../../common/ingest-batch';

/**
 * An ingest batch ready for the appender: validated, timestamps parsed, level and fields
 * extracted. Entries are column arrays because they cross from a decode worker to the main
 * thread, and arrays of strings clone far faster than arrays of small objects.
 */
export interface DecodedBatch {
  collector: { id: string; node: string; version?: string };
  sources: SourceMeta[];
  entries: EntryColumns;
}

export interface EntryColumns {
  length: number;
  source: string[];
  file: string[];
  offset: number[];
  /** Microseconds since the epoch. */
  ts: BigInt64Array;
  stream: string[];
  level: string[];
  message: string[];
  /** Extracted fields as JSON text, or null. */
  fields: (string | null)[];
  truncated: boolean[];
}
