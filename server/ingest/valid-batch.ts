import type { SourceMeta } from '../../common/ingest-batch';

/** At most this many entries a batch (validate-batch.ts refuses more). */
export const MAX_BATCH_ENTRIES = 100_000;

/** An ingest batch after validation: timestamps parsed, defaults filled in, entries as columns. */
export interface ValidBatch {
  collector: { id: string; node: string; version?: string };
  sources: SourceMeta[];
  entries: ValidEntries;
}

export interface ValidEntries {
  length: number;
  /** Each entry's source, as its index in `sources` (whether it was sent as a key or an index). */
  source: Uint32Array;
  /** The batch's distinct file generations; `file[i]` is an index into this list. */
  files: string[];
  file: Uint32Array;
  offset: Float64Array;
  /** Microseconds since the epoch (exact: timestamps before the year 2255 are below 2^53). */
  ts: Float64Array;
  /** 0 for stdout, 1 for stderr. */
  stream: Uint8Array;
  /** 1 where the collector cut the message. */
  truncated: Uint8Array;
  message: string[];
  /**
   * Entries whose timestamp lay outside the plausible window (timestamp-window.ts): index → the
   * text they carried. Their `ts` is the time the batch was received.
   */
  tsOriginal: Map<number, string>;
}

/**
 * One number per (source, file) pair of a batch: files of the same name under two sources are
 * two files. Cheaper than a key string per entry on the hot path; a batch has fewer files than
 * MAX_BATCH_ENTRIES.
 */
export function sourceFileOf(entries: Pick<ValidEntries, 'source' | 'file'>, i: number): number {
  return entries.source[i] * MAX_BATCH_ENTRIES + entries.file[i];
}
