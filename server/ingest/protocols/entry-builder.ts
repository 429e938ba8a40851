// Records of a shipper's request (OTLP, Loki push), gathered into the batch shape the store
// appends: the same columns, level and field extraction, timestamp window and limits as a batch
// from Logpond's own collector (decode-batch.ts), so the rest of the path cannot tell them apart.
import type { SourceMeta } from '../../../common/ingest-batch';
import { BadRequestError } from '../../errors';
import { type DecodedBatch, LEVELS } from '../decoded-batch';
import { extract, type Fields, type Level } from '../extract';
import { TextBuffer } from '../text-buffer';
import { plausibleTimestamp, TS_ORIGINAL_FIELD } from '../timestamp-window';
import { MAX_BATCH_ENTRIES } from '../valid-batch';

/** Sources (OTLP resources, Loki streams) one request may hold: as many as a collector's batch. */
export const MAX_REQUEST_SOURCES = 10_000;

/** Nanosecond timestamps are int64 in both protocols' own servers: nothing after 2262-04-11. */
export const MAX_TS_MICROS = Math.floor(Number(2n ** 63n / 1000n));

export interface RecordInput {
  source: number;
  /** Microseconds since the epoch, or null where the record carries none (stored at receipt). */
  tsMicros: number | null;
  /** What the record said its time was, asked for only when tsMicros lies outside the plausible window. */
  tsText: () => string;
  message: string;
  stderr: boolean;
  /** From the protocol's own severity; null to take it from the message, as for a collector's line. */
  level: Level | null;
  /** Attributes or structured metadata; they win over fields extracted from the message. */
  fields: Fields | null;
}

export class EntryBuilder {
  readonly sources: SourceMeta[] = [];
  private readonly sourceIndex = new Map<string, number>();
  private readonly source: number[] = [];
  private readonly ts: number[] = [];
  private readonly stream: number[] = [];
  private readonly level: number[] = [];
  private readonly messageEnd: number[] = [];
  private readonly fieldsEnd: number[] = [];
  private readonly text: TextBuffer;
  private readonly receivedAtMicros: number;

  constructor(
    /** What a record is called in errors: "a record", "an entry". */
    private readonly noun: string,
    receivedAtMs: number,
    /** The longest message taken, in UTF-8 bytes (LOGPOND_MAX_LINE). */
    private readonly maxLineBytes: number,
    sizeHint: number,
  ) {
    this.receivedAtMicros = receivedAtMs * 1000;
    this.text = new TextBuffer(sizeHint);
  }

  get length(): number {
    return this.source.length;
  }

  /** The index of the source with this key, adding it on first sight. */
  sourceOf(key: string, meta: () => Omit<SourceMeta, 'key'>, where: string): number {
    let index = this.sourceIndex.get(key);
    if (index === undefined) {
      if (this.sources.length >= MAX_REQUEST_SOURCES) {
        throw new BadRequestError(`${where}: a request may hold at most ${MAX_REQUEST_SOURCES} distinct sources (streams or resources); send fewer at a time`, 'too_many_sources');
      }
      index = this.sources.length;
      this.sourceIndex.set(key, index);
      this.sources.push({ key, ...meta() });
    }
    return index;
  }

  /** `where` names the record in an error (`streams[3].entries[7]`); asked for only then. */
  add(record: RecordInput, where: () => string): void {
    if (this.source.length >= MAX_BATCH_ENTRIES) {
      throw new BadRequestError(`${where()}: a request may hold at most ${MAX_BATCH_ENTRIES} ${this.noun}s; send fewer at a time`, 'too_many_entries');
    }
    const { message } = record;
    if (message.length * 3 > this.maxLineBytes && Buffer.byteLength(message) > this.maxLineBytes) {
      throw new BadRequestError(
        `${where()}: the ${this.noun} is ${Buffer.byteLength(message)} bytes, over the server's LOGPOND_MAX_LINE of ${this.maxLineBytes}`,
        'line_too_long',
      );
    }
    const micros = record.tsMicros ?? this.receivedAtMicros;
    const plausible = plausibleTimestamp(micros, this.receivedAtMicros);
    const extracted = extract(message);
    let fields = extracted.fields;
    if (record.fields !== null) fields = fields === null ? record.fields : { ...fields, ...record.fields };
    if (!plausible) fields = { ...fields, [TS_ORIGINAL_FIELD]: record.tsText() };
    this.source.push(record.source);
    this.ts.push(plausible ? micros : this.receivedAtMicros);
    this.stream.push(record.stderr ? 1 : 0);
    this.level.push(LEVEL_INDEX[record.level !== null && record.level !== 'unknown' ? record.level : extracted.level]);
    const end = this.text.write(message);
    this.messageEnd.push(end);
    this.fieldsEnd.push(fields === null ? end : this.text.write(JSON.stringify(fields)));
  }

  /**
   * The batch, each source's entries numbered from 0 in request order: the caller places them in
   * a file of its own (see ingest/protocol-ingest.ts), as a collector's lines sit in a log file.
   */
  build(collector: DecodedBatch['collector'], wire: DecodedBatch['wire']): DecodedBatch {
    const n = this.source.length;
    return {
      collector,
      wire,
      sources: this.sources,
      entries: {
        length: n,
        source: Uint32Array.from(this.source),
        files: [''],
        file: new Uint32Array(n),
        offset: Float64Array.from({ length: n }, (_, i) => i),
        ts: Float64Array.from(this.ts),
        stream: Uint8Array.from(this.stream),
        level: Uint8Array.from(this.level),
        truncated: new Uint8Array(n),
        text: this.text.bytes(),
        messageEnd: Uint32Array.from(this.messageEnd),
        fieldsEnd: Uint32Array.from(this.fieldsEnd),
      },
    };
  }
}

const LEVEL_INDEX = Object.fromEntries(LEVELS.map((level, i) => [level, i])) as Record<Level, number>;
