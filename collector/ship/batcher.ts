// Gathers entries into ingest batches, closed by size or by age. Memory stays bounded because
// the reading loop stops while no room is left (see hasRoom); the files are the buffer then.
import type { IngestBatch, SourceMeta, WireEntry } from '../../common/ingest-batch';
import type { TailedEntry } from '../tail/file-tailer';
import type { CheckpointEntry } from './checkpoint';

/** A batch closes at this many message bytes: big enough to amortise a request, small to retry. */
export const BATCH_MAX_BYTES = 1024 * 1024;
/** ...or when its first entry is this old, so a quiet file's line shows up within about a second. */
export const BATCH_MAX_AGE_MS = 1_000;
/** ...or at this many entries; the server refuses more than 100 000. */
export const BATCH_MAX_ENTRIES = 20_000;
/** Wire bytes of an entry beside its message (keys, timestamp, file id), counted towards the size. */
const ENTRY_OVERHEAD_BYTES = 128;
/**
 * Closed batches waiting behind the one in flight; at this many reading stops. So at most three
 * batches (about 3 MiB) are held while the server is away.
 */
const MAX_WAITING_BATCHES = 2;

export interface OutgoingBatch {
  body: IngestBatch;
  /** Per path, the checkpoint that this batch's acknowledgement allows. */
  commits: Map<string, CheckpointEntry>;
  entryCount: number;
}

export interface BatcherOptions {
  collector: IngestBatch['collector'];
  /** The path's source; undefined when its pod or namespace is excluded from collection. */
  sourceFor: (path: string) => SourceMeta | undefined;
  /** An entry of an excluded source was passed over. */
  onExcluded?: () => void;
  now?: () => number;
  maxBytes?: number;
  maxAgeMs?: number;
  maxEntries?: number;
  /** Called when a batch was closed and can be taken. */
  onSealed?: () => void;
}

interface Filling {
  entries: WireEntry[];
  sources: Map<string, SourceMeta>;
  /** Null for an excluded path. */
  keyOfPath: Map<string, string | null>;
  commits: Map<string, CheckpointEntry>;
  bytes: number;
  openedAtMs: number;
}

export class Batcher {
  private filling: Filling | undefined;
  private readonly sealed: OutgoingBatch[] = [];
  private readonly now: () => number;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: BatcherOptions) {
    this.now = options.now ?? Date.now;
    this.maxBytes = options.maxBytes ?? BATCH_MAX_BYTES;
    this.maxAgeMs = options.maxAgeMs ?? BATCH_MAX_AGE_MS;
    this.maxEntries = options.maxEntries ?? BATCH_MAX_ENTRIES;
  }

  /** False while enough is waiting to be sent: the reader must pause. */
  get hasRoom(): boolean {
    return this.sealed.length < MAX_WAITING_BATCHES;
  }

  get isEmpty(): boolean {
    return this.filling === undefined && this.sealed.length === 0;
  }

  add(entry: TailedEntry): void {
    const filling: Filling = (this.filling ??= {
      entries: [] as WireEntry[],
      sources: new Map(),
      keyOfPath: new Map(),
      commits: new Map(),
      bytes: 0,
      openedAtMs: this.now(),
    });
    let key = filling.keyOfPath.get(entry.path);
    if (key === undefined) {
      const source = this.options.sourceFor(entry.path);
      key = source?.key ?? null;
      filling.keyOfPath.set(entry.path, key);
      if (source) filling.sources.set(source.key, source);
    }
    // A rotated-away file's progress cannot be resumed after a restart; the path's entry waits
    // for the new file's first acknowledged line.
    if (!entry.rotated) filling.commits.set(entry.path, { file: entry.file, offset: entry.resume });
    if (key === null) {
      // Passed over, but its offset still moves with the batch, so a restart does not read it again.
      this.options.onExcluded?.();
      filling.bytes += ENTRY_OVERHEAD_BYTES;
      if (this.isFull()) this.sealNow();
      return;
    }
    const wire: WireEntry = {
      source: key,
      file: entry.file,
      offset: entry.offset,
      ts: entry.ts,
      stream: entry.stream,
      message: entry.message,
    };
    if (entry.truncated) wire.truncated = true;
    filling.entries.push(wire);
    filling.bytes += Buffer.byteLength(entry.message) + ENTRY_OVERHEAD_BYTES;
    if (this.isFull()) this.sealNow();
  }

  /** Milliseconds until the filling batch is due, or undefined when there is none. */
  dueInMs(): number | undefined {
    if (!this.filling) return undefined;
    return Math.max(0, this.filling.openedAtMs + this.maxAgeMs - this.now());
  }

  /** Closes the filling batch when it is old enough. */
  sealIfDue(): void {
    if (this.dueInMs() === 0) this.sealNow();
  }

  sealNow(): void {
    const filling = this.filling;
    if (!filling) return;
    this.filling = undefined;
    this.sealed.push({
      body: { collector: this.options.collector, sources: [...filling.sources.values()], entries: filling.entries },
      commits: filling.commits,
      entryCount: filling.entries.length,
    });
    this.options.onSealed?.();
  }

  /** The oldest closed batch, to send next. */
  take(): OutgoingBatch | undefined {
    return this.sealed.shift();
  }

  private isFull(): boolean {
    const filling = this.filling;
    return !!filling && (filling.bytes >= this.maxBytes || filling.entries.length >= this.maxEntries);
  }
}
