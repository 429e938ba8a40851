// Gathers entries into ingest batches, closed by size or by age. Memory stays bounded because
// the reading loop stops while no room is left (see hasRoom); the files are the buffer then.
import type { IngestBatch, SourceMeta } from '../../common/ingest-batch';
import type { TailedEntry } from '../tail/file-tailer';
import type { CheckpointEntry } from './checkpoint';
import { asciiJson, EntryBuffer } from './entry-buffer';

/** A batch closes at this many message bytes: big enough to amortise a request, small to retry. */
export const BATCH_MAX_BYTES = 1024 * 1024;
/** ...or when its first entry is this old, so a quiet file's line shows up within about a second. */
export const BATCH_MAX_AGE_MS = 1_000;
/** ...or at this many entries; the server refuses more than 100 000. */
export const BATCH_MAX_ENTRIES = 20_000;
/** What an excluded entry counts towards the size: it moves a checkpoint, so batches still close. */
const ENTRY_OVERHEAD_BYTES = 128;
/**
 * Closed batches waiting behind the one in flight; at this many reading stops. So at most three
 * batches (about 3 MiB) are held per lane (send-lanes.ts) while the server is away.
 */
const MAX_WAITING_BATCHES = 2;

/**
 * An ingest batch whose entries are already JSON text: each entry is serialized once, when it
 * is added, instead of being kept as an object and walked again by JSON.stringify.
 */
export interface OutgoingBody {
  collector: IngestBatch['collector'];
  sources: SourceMeta[];
  entries: EntryBuffer;
  /** Which of `entries` this body sends: all, or a part after a 413. */
  from: number;
  to: number;
}

/** The bytes of POST /api/ingest (an IngestBatch as JSON). */
export function serializeBody(body: OutgoingBody): Buffer {
  // ASCII as the entries are (entry-buffer.ts): labels and annotations may hold any character.
  const head = asciiJson(`{"collector":${JSON.stringify(body.collector)},"sources":${JSON.stringify(body.sources)},"entries":[`);
  return body.entries.framed(head, body.from, body.to);
}

/**
 * Entries [from, to) of the body (counted from its own first). Every source of the batch stays
 * listed: entries name their source by its index in the list.
 */
export function slicedBody(body: OutgoingBody, from: number, to: number): OutgoingBody {
  return { ...body, from: body.from + from, to: body.from + to };
}

export function entryCountOf(body: OutgoingBody): number {
  return body.to - body.from;
}


export interface OutgoingBatch {
  body: OutgoingBody;
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
  entries: EntryBuffer;
  /** The batch's sources by key, in the order listed; an entry names its source by that index. */
  sources: Map<string, { meta: SourceMeta; index: number }>;
  /** Null for an excluded path. */
  keyOfPath: Map<string, string | null>;
  /** Per path, the JSON of its `"source":…,"file":…` for the file last seen. */
  prefixOfPath: Map<string, { file: string; json: string }>;
  commits: Map<string, CheckpointEntry>;
  /** Size counted for excluded entries, which are not in `entries`. */
  bytes: number;
  openedAtMs: number;
}

export class Batcher {
  private filling: Filling | undefined;
  private readonly sealed: OutgoingBatch[] = [];
  /** Buffers of delivered batches, to fill again. */
  private readonly spare: Buffer[] = [];
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
      entries: EntryBuffer.create(this.maxBytes, this.spare.pop()),
      sources: new Map(),
      keyOfPath: new Map(),
      prefixOfPath: new Map(),
      commits: new Map(),
      bytes: 0,
      openedAtMs: this.now(),
    });
    let key = filling.keyOfPath.get(entry.path);
    if (key === undefined) {
      const source = this.options.sourceFor(entry.path);
      key = source?.key ?? null;
      filling.keyOfPath.set(entry.path, key);
      if (source) {
        const listed = filling.sources.get(source.key);
        if (listed) listed.meta = source;
        else filling.sources.set(source.key, { meta: source, index: filling.sources.size });
      }
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
    let prefix = filling.prefixOfPath.get(entry.path);
    if (prefix?.file !== entry.file) {
      prefix = { file: entry.file, json: `{"source":${filling.sources.get(key)!.index},"file":${JSON.stringify(entry.file)},"offset":` };
      filling.prefixOfPath.set(entry.path, prefix);
    }
    // Piece by piece into the buffer: a head string built per entry was garbage per line.
    const entries = filling.entries;
    entries.begin();
    entries.raw(prefix.json);
    entries.integer(entry.offset);
    entries.raw(',"ts":');
    entries.string(entry.ts);
    entries.raw(entry.stream === 'stderr' ? ',"stream":"stderr","message":' : ',"stream":"stdout","message":');
    entries.string(entry.message);
    entries.raw(entry.truncated ? ',"truncated":true}' : '}');
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
      body: {
        collector: this.options.collector,
        sources: [...filling.sources.values()].map((s) => s.meta),
        entries: filling.entries,
        from: 0,
        to: filling.entries.count,
      },
      commits: filling.commits,
      entryCount: filling.entries.count,
    });
    this.options.onSealed?.();
  }

  /** The oldest closed batch, to send next. */
  take(): OutgoingBatch | undefined {
    return this.sealed.shift();
  }

  /** The batch is delivered (or dropped): its buffer can hold the next one. */
  recycle(batch: OutgoingBatch): void {
    if (this.spare.length < MAX_WAITING_BATCHES + 2) this.spare.push(batch.body.entries.storage);
  }

  private isFull(): boolean {
    const filling = this.filling;
    return !!filling && (filling.bytes + filling.entries.bytes >= this.maxBytes || filling.entries.count >= this.maxEntries);
  }
}
