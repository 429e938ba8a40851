// The wire shape of POST /api/ingest, shared by the collector (which builds batches) and the
// server (which validates and stores them). Types only: the server validates with zod, and the
// collector must not pull server code in.

/** One container log stream's metadata, sent with every batch that references it. */
export interface SourceMeta {
  /** Collector-chosen stable key of the stream; node + container id is unique. */
  key: string;
  node: string;
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  containerId: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Stream = 'stdout' | 'stderr';

/** One log entry as read from a file. (source, file, offset) is its identity. */
export interface WireEntry {
  /** SourceMeta.key of a source listed in the same batch, or that source's index in `sources`. */
  source: string | number;
  /** Identity of the file generation the line was read from (e.g. "<dev>:<inode>"); a rotated file gets a new one. */
  file: string;
  /** Byte offset of the entry's first byte in that file; offsets of one file only grow. */
  offset: number;
  /** RFC 3339 timestamp, up to nanoseconds (stored to microseconds). */
  ts: string;
  stream: Stream;
  message: string;
  /** Set when the collector cut the line at LOGPOND_MAX_LINE. */
  truncated?: boolean;
}

export interface IngestBatch {
  collector: { id: string; node: string; version?: string };
  sources: SourceMeta[];
  entries: WireEntry[];
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
}
