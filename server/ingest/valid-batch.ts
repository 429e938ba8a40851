import type { SourceMeta, Stream } from '../../common/ingest-batch';

/** An ingest batch after validation: timestamps parsed, defaults filled in. */
export interface ValidBatch {
  collector: { id: string; node: string; version?: string };
  sources: SourceMeta[];
  entries: ValidEntry[];
}

export interface ValidEntry {
  source: string;
  file: string;
  offset: number;
  tsMicros: bigint;
  stream: Stream;
  message: string;
  truncated: boolean;
}
