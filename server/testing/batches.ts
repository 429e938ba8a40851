// Builders for ingest batches in tests and benches.
import type { IngestBatch, SourceMeta, WireEntry } from '../../common/ingest-batch';
import { decodeBatch } from '../ingest/decode-batch';
import type { DecodedBatch } from '../ingest/decoded-batch';

export function sourceMeta(key: string, overrides: Partial<SourceMeta> = {}): SourceMeta {
  return {
    key,
    node: 'node-a',
    namespace: 'shop',
    pod: `${key}-7d9f8b6c5-x2k4p`,
    podUid: `uid-${key}`,
    container: key,
    containerId: `cid-${key}`,
    labels: { 'app.kubernetes.io/name': key },
    annotations: {},
    ...overrides,
  };
}

export interface LinesSpec {
  source: string;
  file?: string;
  /** Offsets are firstOffset, firstOffset + 100, ... */
  firstOffset?: number;
  count: number;
  /** Epoch ms of the first line; each next line is 1 ms later. */
  startMs: number;
  message?: (i: number) => string;
}

export function lines(spec: LinesSpec): WireEntry[] {
  const first = spec.firstOffset ?? 0;
  return Array.from({ length: spec.count }, (_, i) => ({
    source: spec.source,
    file: spec.file ?? '1:100',
    offset: first + i * 100,
    ts: new Date(spec.startMs + i).toISOString(),
    stream: 'stdout' as const,
    message: spec.message ? spec.message(i) : `line ${first + i * 100}`,
  }));
}

export function batch(entries: WireEntry[], sources?: SourceMeta[]): IngestBatch {
  const keys = [...new Set(entries.map((e) => e.source))];
  return {
    collector: { id: 'test-collector', node: 'node-a' },
    sources: sources ?? keys.map((k) => sourceMeta(String(k))),
    entries,
  };
}

/** What the store receives for a wire batch: decoded as the ingest route would. */
export function decoded(body: IngestBatch): DecodedBatch {
  return decodeBatch(Buffer.from(JSON.stringify(body)), 'identity', Number.MAX_SAFE_INTEGER);
}
